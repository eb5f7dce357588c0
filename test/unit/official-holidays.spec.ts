import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertDaysAgree,
  DEFAULT_CALENDAR,
  isWorkingDay,
} from '../../src/modules/calendar/business-time';
import { parseICalendar } from '../../src/modules/calendar/ical-import';

const DIR = join(__dirname, '..', '..', 'calendars');

/** Every date in [first, last], 'YYYY-MM-DD'. */
function days(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); d <= new Date(`${last}T00:00:00Z`);) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/**
 * The dates of 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025), typed from the notice
 * a second time, so a slip in the shipped file shows here.
 */
const NOTICE_2026 = {
  holidays: [
    ...days('2026-01-01', '2026-01-03'),
    ...days('2026-02-15', '2026-02-23'),
    ...days('2026-04-04', '2026-04-06'),
    ...days('2026-05-01', '2026-05-05'),
    ...days('2026-06-19', '2026-06-21'),
    ...days('2026-09-25', '2026-09-27'),
    ...days('2026-10-01', '2026-10-07'),
  ],
  makeupWorkdays: [
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ],
};

/** A file's text with its folded lines joined again (RFC 5545 §3.1). */
const unfolded = (name: string) => readFileSync(join(DIR, name), 'utf8').replace(/\r\n[ \t]/g, '');

describe('the holiday files shipped in calendars/', () => {
  const text = unfolded('cn-2026.ics');

  it('ship only official notices, one file per year, each naming its notice', () => {
    for (const name of readdirSync(DIR)) {
      const year = /^cn-(\d{4})\.ics$/.exec(name)?.[1];
      expect([name, year]).toEqual([name, expect.any(String)]);
      expect(unfolded(name)).toContain(`国务院办公厅关于${year}年部分节假日安排的通知`);
    }
    expect(text).toContain('国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）');
  });

  it('cn-2026.ics holds exactly the dates of the notice', () => {
    const parsed = parseICalendar(text);
    expect(parsed.holidays).toEqual([...NOTICE_2026.holidays].sort());
    expect(parsed.holidays).toHaveLength(33);
    expect(parsed.makeupWorkdays).toEqual(NOTICE_2026.makeupWorkdays);
  });

  it('names every event after its festival, and passes the calendar checks', () => {
    const summaries = [...text.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1].trim());
    expect(summaries).toHaveLength(13);
    for (const s of summaries) {
      expect(s).toMatch(/^(元旦|春节|清明节|劳动节|端午节|中秋节|国庆节) (放假|调休上班)$/);
    }
    const cal = { ...DEFAULT_CALENDAR, ...parseICalendar(text) };
    expect(() => assertDaysAgree(cal)).not.toThrow();
    // The Spring Festival week is off, the Saturday after it is worked.
    expect(isWorkingDay(cal, '2026-02-16')).toBe(false);
    expect(isWorkingDay(cal, '2026-02-28')).toBe(true);
  });
});

describe('assertDaysAgree', () => {
  const base = { weekendDays: [6, 7], holidays: [] as string[], makeupWorkdays: [] as string[] };

  it('refuses a date that is both a holiday and a make-up day', () => {
    expect(() =>
      assertDaysAgree({ ...base, holidays: ['2026-10-10'], makeupWorkdays: ['2026-10-10'] }),
    ).toThrow('2026-10-10: a date cannot be both a holiday and a make-up working day');
  });

  it('refuses a make-up day that is not a weekend day, naming its weekday', () => {
    expect(() =>
      assertDaysAgree({ ...base, makeupWorkdays: ['2026-10-12', '2026-10-10'] }),
    ).toThrow('a make-up working day must be a weekend day: 2026-10-12 is a Monday');
    // With Friday a weekend day, a Friday may be worked instead.
    expect(() =>
      assertDaysAgree({ ...base, weekendDays: [5, 6, 7], makeupWorkdays: ['2026-10-09'] }),
    ).not.toThrow();
  });
});
