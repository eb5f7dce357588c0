import type { PossibleDuplicate } from '../api/client';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** Why a request may be the same problem, in words: how far apart, how alike the titles. */
export function duplicateReasons(d: PossibleDuplicate, t: Translate): string {
  const parts: string[] = [];
  if (d.distanceM !== null) parts.push(t('merge.distance', { m: Math.round(d.distanceM) }));
  if (d.reasons.includes('similarTitle'))
    parts.push(t('merge.similar', { pct: Math.round(d.titleSimilarity * 100) }));
  return parts.join(' · ');
}

/** A reference number as people type it: spaces dropped, letters in capitals. */
export const typedReference = (value: string): string => value.replace(/\s+/g, '').toUpperCase();
