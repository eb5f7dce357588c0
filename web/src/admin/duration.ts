/** Time limits are ISO-8601 durations in the API (PT2H, P3D); people type a number and a unit. */
export const DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Amount {
  n: number;
  unit: DurationUnit;
}

const SECONDS: Record<DurationUnit, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
};

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** A duration as its length in seconds, or null when it is not one the API takes. */
export function isoSeconds(iso: string): number | null {
  const m = ISO.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const total =
    (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3600 + (min ?? 0) * 60 + (s ?? 0);
  return total > 0 ? total : null;
}

/** The largest unit that says the duration exactly: P3D is 3 days, PT90M is 90 minutes. */
export function amountOf(iso: string): Amount | null {
  const seconds = isoSeconds(iso);
  if (seconds === null) return null;
  const unit = [...DURATION_UNITS].reverse().find((u) => seconds % SECONDS[u] === 0) ?? 'seconds';
  return { n: seconds / SECONDS[unit], unit };
}

/** A whole number of a unit as the API's duration; null unless it is a positive whole number. */
export function isoOf({ n, unit }: Amount): string | null {
  if (!Number.isInteger(n) || n <= 0 || n > 100_000) return null;
  if (unit === 'days') return `P${n}D`;
  return `PT${n}${{ seconds: 'S', minutes: 'M', hours: 'H' }[unit]}`;
}

/** Warning points typed as percentages ("50, 80") as the API's fractions; null if any is not 1–99. */
export function warnFractions(text: string): number[] | null {
  const parts = text
    .split(/[\s,，、]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length > 5) return null;
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 99)) return null;
  return [...new Set(numbers)].sort((a, b) => a - b).map((n) => n / 100);
}

export const warnText = (fractions: readonly number[]): string =>
  fractions.map((f) => Math.round(f * 100)).join(', ');
