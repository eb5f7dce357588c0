import * as fc from 'fast-check';
import { MAX_CALENDAR_DATES, limitsAt } from '../../src/modules/calendar/calendar-limits';
import { parseCalendarJson, parseICalendar } from '../../src/modules/calendar/ical-import';

function ics(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

describe('parseICalendar', () => {
  it('reads the 2026 National Day holiday and its make-up days', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:national-day-2026',
      'SUMMARY:国庆节',
      'DTSTART;VALUE=DATE:20261001',
      'DTEND;VALUE=DATE:20261008',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:国庆节补班',
      'DTSTART;VALUE=DATE:20260927',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:Makeup Working Day',
      'DTSTART;VALUE=DATE:20261010',
      'DTEND;VALUE=DATE:20261011',
      'END:VEVENT',
    );
    expect(parseICalendar(text)).toEqual({
      holidays: [
        '2026-10-01',
        '2026-10-02',
        '2026-10-03',
        '2026-10-04',
        '2026-10-05',
        '2026-10-06',
        '2026-10-07',
      ],
      makeupWorkdays: ['2026-09-27', '2026-10-10'],
    });
  });

  it('handles LF line ends, folded lines and date-time values', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'SUMMARY:Mid-Autumn',
      '  Festival',
      'DTSTART:20260925T000000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:Working day (',
      '\tmoved)',
      'DTSTART:20261011T000000',
      'DTEND:20261012T000000', // exclusive at midnight: only the 11th
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:Spring Festival',
      'DTSTART;TZID="Asia/Shanghai":20270206T090000',
      'DTEND;TZID="Asia/Shanghai":20270208T120000', // ends mid-day: covers the 8th
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\n');
    expect(parseICalendar(text)).toEqual({
      holidays: ['2026-09-25', '2027-02-06', '2027-02-07', '2027-02-08'],
      makeupWorkdays: ['2026-10-11'],
    });
  });

  it('converts UTC times to Asia/Shanghai dates', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'SUMMARY:Holiday',
      'DTSTART:20260930T160000Z', // 2026-10-01 00:00 in Shanghai
      'DTEND:20261001T160000Z',
      'END:VEVENT',
    );
    expect(parseICalendar(text).holidays).toEqual(['2026-10-01']);
  });

  it('supports DURATION, sorts, de-duplicates and ignores cancelled events and alarms', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'SUMMARY:Labour Day',
      'DTSTART;VALUE=DATE:20260503',
      'DURATION:P3D',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'SUMMARY:上班提醒', // belongs to the alarm, not the event
      'TRIGGER:-PT15M',
      'END:VALARM',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:Labour Day (again)',
      'DTSTART;VALUE=DATE:20260501',
      'DTEND;VALUE=DATE:20260504',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:Withdrawn',
      'STATUS:CANCELLED',
      'DTSTART;VALUE=DATE:20260601',
      'END:VEVENT',
    );
    expect(parseICalendar(text)).toEqual({
      holidays: ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'],
      makeupWorkdays: [],
    });
  });

  it.each([
    [ics('BEGIN:VEVENT', 'SUMMARY:x', 'END:VEVENT'), /missing DTSTART/],
    [ics('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20260230', 'END:VEVENT'), /invalid DTSTART/],
    [ics('BEGIN:VEVENT', 'DTSTART:20261001T250000', 'END:VEVENT'), /invalid DTSTART/],
    [
      ics('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261005', 'DTEND;VALUE=DATE:20261001', 'END:VEVENT'),
      /DTEND is before DTSTART/,
    ],
    [
      ics('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20280101', 'END:VEVENT'),
      /more than 366 days/,
    ],
    ['BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261001\n', /VEVENT is never closed/],
    [ics('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001'), /line 5: END:VCALENDAR does not match/],
    [ics('BEGIN:VEVENT', 'SUMMARY:a', ' b', 'DTSTART:2026'), /line 6: invalid DTSTART/],
    ['not a calendar', /missing ':'/],
  ])('rejects bad input %#', (text, message) => {
    expect(() => parseICalendar(text)).toThrow(message);
  });

  it('expands any all-day event to exactly the days in [DTSTART, DTEND)', () => {
    const day = 86_400_000;
    const base = Date.UTC(2026, 0, 1) / day;
    const compact = (d: number): string =>
      new Date((base + d) * day).toISOString().slice(0, 10).replace(/-/g, '');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        (start, length, makeup) => {
          const text = ics(
            'BEGIN:VEVENT',
            `SUMMARY:${makeup ? '调休上班' : '放假'}`,
            `DTSTART;VALUE=DATE:${compact(start)}`,
            `DTEND;VALUE=DATE:${compact(start + length)}`,
            'END:VEVENT',
          );
          const parsed = parseICalendar(text);
          const dates = makeup ? parsed.makeupWorkdays : parsed.holidays;
          expect(dates).toHaveLength(length);
          expect(dates[0].replace(/-/g, '')).toBe(compact(start));
          expect(dates[length - 1].replace(/-/g, '')).toBe(compact(start + length - 1));
          expect(makeup ? parsed.holidays : parsed.makeupWorkdays).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parseCalendarJson', () => {
  it('returns a validated, normalised calendar', () => {
    expect(
      parseCalendarJson({
        workingHours: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '18:00' },
        ],
        weekendDays: [7, 6, 6],
        holidays: ['2026-10-02', '2026-10-01', '2026-10-01'],
        makeupWorkdays: ['2026-09-27'],
      }),
    ).toEqual({
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '18:00' },
      ],
      weekendDays: [6, 7],
      holidays: ['2026-10-01', '2026-10-02'],
      makeupWorkdays: ['2026-09-27'],
    });
  });

  it('returns only the keys that are present', () => {
    expect(parseCalendarJson({ holidays: [] })).toEqual({ holidays: [] });
    expect(parseCalendarJson({})).toEqual({});
  });

  it.each([
    [null, /must be an object/],
    [[], /must be an object/],
    [{ holiday: [] }, /unknown keys holiday/],
    [{ holidays: ['2026-02-30'] }, /holidays\[0\].*2026-02-30/],
    [{ makeupWorkdays: ['2026-9-27'] }, /makeupWorkdays\[0\]/],
    [{ holidays: '2026-10-01' }, /holidays must be an array/],
    [{ weekendDays: [0] }, /weekendDays\[0\]/],
    [{ weekendDays: [6, 7.5] }, /weekendDays\[1\]/],
    [{ workingHours: [] }, /non-empty/],
    [{ workingHours: [{ start: '8:30', end: '12:00' }] }, /HH:MM/],
    [{ workingHours: [{ start: '08:30', end: '24:00' }] }, /HH:MM/],
    [{ workingHours: [{ start: '08:30', end: '12:60' }] }, /HH:MM/],
    [{ workingHours: [{ start: '12:00', end: '08:30' }] }, /must be before/],
    [{ workingHours: [{ start: '08:30' }] }, /workingHours\[0\] must be/],
    [
      {
        workingHours: [
          { start: '08:30', end: '12:00' },
          { start: '11:30', end: '17:30' },
        ],
      },
      /workingHours\[1\].*overlaps/,
    ],
    [
      {
        workingHours: [
          { start: '13:30', end: '17:30' },
          { start: '08:30', end: '12:00' },
        ],
      },
      /workingHours\[1\].*overlaps or precedes/,
    ],
  ])('rejects %j', (value, message) => {
    expect(() => parseCalendarJson(value)).toThrow(message);
  });
});

describe('limits on imports', () => {
  const window = { first: '2021-12-01', last: '2031-12-01' };
  const limits = { window, maxDates: MAX_CALENDAR_DATES };
  const event = (...lines: string[]) => ics('BEGIN:VEVENT', 'SUMMARY:放假', ...lines, 'END:VEVENT');

  it('the window is five years either side of today in Asia/Shanghai', () => {
    expect(limitsAt(new Date('2026-11-30T16:30:00Z')).window).toEqual(window);
    expect(limitsAt(new Date('2028-02-29T04:00:00Z')).window).toEqual({
      first: '2023-02-28',
      last: '2033-02-28',
    });
  });

  it('expands a yearly rule that began long ago only inside the window, and an endless one stops at its end', () => {
    const { holidays } = parseICalendar(
      event('DTSTART;VALUE=DATE:19491001', 'DTEND;VALUE=DATE:19491003', 'RRULE:FREQ=YEARLY'),
      limits,
    );
    expect(holidays).toHaveLength(20);
    expect(holidays.slice(0, 2)).toEqual(['2022-10-01', '2022-10-02']);
    expect(holidays.slice(-2)).toEqual(['2031-10-01', '2031-10-02']);
  });

  it('honours INTERVAL, COUNT, UNTIL and EXDATE, and skips dates a month lacks', () => {
    const dates = (...lines: string[]) => parseICalendar(event(...lines), limits).holidays;
    expect(dates('DTSTART;VALUE=DATE:20260105', 'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3')).toEqual([
      '2026-01-05',
      '2026-01-19',
      '2026-02-02',
    ]);
    expect(
      dates(
        'DTSTART:20260101T090000',
        'RRULE:FREQ=DAILY;UNTIL=20260104T000000Z',
        'EXDATE:20260102T090000',
      ),
    ).toEqual(['2026-01-01', '2026-01-03']);
    // The 31st: only months that have one, and they alone count towards COUNT.
    expect(dates('DTSTART;VALUE=DATE:20260131', 'RRULE:FREQ=MONTHLY;COUNT=4')).toEqual([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
      '2026-07-31',
    ]);
    expect(dates('DTSTART;VALUE=DATE:20240229', 'RRULE:FREQ=YEARLY')).toEqual([
      '2024-02-29',
      '2028-02-29',
    ]);
    // A daily rule from long ago is skipped straight to the window, not walked day by day.
    expect(dates('DTSTART;VALUE=DATE:01000101', 'RRULE:FREQ=DAILY;UNTIL=20211203')).toEqual([
      '2021-12-01',
      '2021-12-02',
      '2021-12-03',
    ]);
  });

  it.each([
    [
      event('DTSTART;VALUE=DATE:20400101'),
      /line 3: 2040-01-01 is outside 2021-12-01\.\.2031-12-01/,
    ],
    [event('DTSTART;VALUE=DATE:20211130', 'DURATION:P3D'), /2021-11-30 is outside/],
    [event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY'), /at most 1000 holidays/],
    [
      event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=MONTHLY;BYDAY=MO'),
      /RRULE BYDAY is not supported/,
    ],
    [event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=HOURLY'), /FREQ must be/],
    [event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY;COUNT=0'), /COUNT must be/],
    [
      event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY;COUNT=2;UNTIL=20270101'),
      /both COUNT and UNTIL/,
    ],
    [event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY;UNTIL=2027'), /invalid UNTIL/],
    [event('DTSTART;VALUE=DATE:20260101', 'RDATE;VALUE=DATE:20260201'), /RDATE is not supported/],
  ])('refuses %#', (text, message) => {
    expect(() => parseICalendar(text, limits)).toThrow(message);
  });

  it('without a window an endless rule still ends at the date limit', () => {
    expect(() => parseICalendar(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY'))).toThrow(
      /at most 1000/,
    );
  });

  it('JSON: dates inside the window and at most 1000 of them', () => {
    expect(parseCalendarJson({ holidays: ['2021-12-01', '2031-12-01'] }, limits)).toEqual({
      holidays: ['2021-12-01', '2031-12-01'],
    });
    expect(() => parseCalendarJson({ holidays: ['2021-11-30'] }, limits)).toThrow(
      /holidays\[0\]: 2021-11-30 is outside 2021-12-01\.\.2031-12-01 \(holidays and make-up days must lie within 5 years of today\)/,
    );
    expect(() => parseCalendarJson({ makeupWorkdays: ['2031-12-02'] }, limits)).toThrow(
      /makeupWorkdays\[0\]/,
    );
    const dates = Array.from({ length: 501 }, () => '2026-10-01');
    expect(() => parseCalendarJson({ holidays: dates, makeupWorkdays: dates }, limits)).toThrow(
      /at most 1000/,
    );
  });
});
