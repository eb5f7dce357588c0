/** A reference number as the engine makes them: town prefix, year, number (XX-2026-000042). */
const REFERENCE = /^[A-Za-z]{2,6}-\d{4}-\d{6,9}$/;

/** The reference number `text` spells (any case, surrounding spaces ignored), or null. */
export function asReference(text: string): string | null {
  const t = text.trim();
  return REFERENCE.test(t) ? t.toUpperCase() : null;
}
