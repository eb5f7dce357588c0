import * as fc from 'fast-check';
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
