import { REFERENCE_NUMBER } from '../../../workflows';

/** The reference number `text` spells (any case, surrounding spaces ignored), or null. */
export function asReference(text: string): string | null {
  const t = text.trim();
  return REFERENCE_NUMBER.test(t) ? t.toUpperCase() : null;
}
