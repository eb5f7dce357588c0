/** The periods a supervisor looks at, as the API's from/to dates (midnight in Asia/Shanghai). */
export const PERIODS = ['thisMonth', 'lastMonth', 'thisYear'] as const;
export type PeriodKey = (typeof PERIODS)[number];

export interface Period {
  from: string;
  /** Exclusive; absent means now. */
  to?: string;
}

const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's year and month where the towns are. */
function yearMonth(now: Date): [number, number] {
  const [y, m] = shanghaiDate.format(now).split('-').map(Number) as [number, number];
  return [y, m];
}

/** The first day of the month `back` months before this one, as 'YYYY-MM'. */
export function monthBefore(now: Date, back: number): string {
  const [y, m] = yearMonth(now);
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function periodOf(key: PeriodKey, now = new Date()): Period {
  const [y] = yearMonth(now);
  switch (key) {
    case 'thisMonth':
      return { from: `${monthBefore(now, 0)}-01` };
    case 'lastMonth':
      return { from: `${monthBefore(now, 1)}-01`, to: `${monthBefore(now, 0)}-01` };
    case 'thisYear':
      return { from: `${y}-01-01` };
  }
}

/** How many months the trend shows, this one included. */
export const TREND_MONTHS = 12;

/** The trend's period: the last twelve months, this one included. */
export const trendPeriod = (now = new Date()): Period => ({
  from: `${monthBefore(now, TREND_MONTHS - 1)}-01`,
});

/** Today's date where the towns are, as 'YYYY-MM-DD'. */
export const todayInShanghai = (now = new Date()): string => shanghaiDate.format(now);
