import type { components } from '../api/schema';

export type Figures = components['schemas']['FiguresDto'];
export type StatsRow = components['schemas']['StatsRowDto'];
export type UnitRef = components['schemas']['UnitRefDto'];

/** The three rates a town is judged by (响应率, 解决率, 满意率) and the on-time rate (按时办结率). */
export const RATES = ['responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeRate'] as const;
export type RateKey = (typeof RATES)[number];

/** A rate as a whole percentage, or null when it has no base (nothing to measure yet). */
export function percent(rate: number | null | undefined): number | null {
  return rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10;
}

/** A rate in words: "85.5%", or that there is nothing to measure yet. */
export function rateWords(
  rate: number | null,
  t: (key: string, values?: object) => string,
): string {
  const p = percent(rate);
  return p === null ? t('desk.rates.noData') : t('desk.rates.percent', { n: p });
}

/** What each rate divides: the count it measures and its base, both in the figures. */
export function rateParts(f: Figures, rate: RateKey): { part: number; base: number } {
  switch (rate) {
    case 'responseRate':
      return { part: f.respondedOnTime, base: f.responseDue };
    case 'resolutionRate':
      return { part: f.solvedOfDue, base: f.dueInPeriod };
    case 'satisfactionRate':
      return { part: f.satisfied, base: f.satisfied + f.dissatisfied };
    case 'onTimeRate':
      return { part: f.resolvedOnTime, base: f.resolved };
  }
}

export const ratesOf = (f: Figures): Record<RateKey, number | null> => ({
  responseRate: f.responseRate,
  resolutionRate: f.resolutionRate,
  satisfactionRate: f.satisfactionRate,
  onTimeRate: f.onTimeRate,
});

/** A row of a table of rates: a unit's (which opens the unit) or a month's. */
export interface RatesRow {
  key: string;
  label: string;
  unit?: UnitRef;
  counts?: { received: number; overdueNow: number };
  rates: Record<RateKey, number | null>;
}
