/**
 * Pure parsers for calendar imports: an iCalendar (RFC 5545) holiday feed and a JSON calendar.
 *
 * iCalendar scope: VEVENTs with DTSTART and optional DTEND/DURATION; RRULE is not expanded
 * (holiday feeds list each year's dates explicitly) and CANCELLED events are ignored. Times in UTC
 * ('Z') are converted to Asia/Shanghai dates; floating and TZID times are taken at face value, as
 * holiday feeds for China are published in local time.
 */
import {
  DAY_MS,
  UTC_OFFSET_MS,
  parseIsoDuration,
  parseLocalDate,
  validateWorkingHours,
  type WorkingCalendar,
  type WorkingPeriod,
} from './business-time';

/** Longest event that is expanded; anything longer is almost certainly a broken feed. */
const MAX_EVENT_DAYS = 366;

/** Parameters (';VALUE=DATE', ';TZID=…') are dropped: the value's form tells dates from times. */
interface ContentLine {
  name: string;
  value: string;
}

/** RFC 5545 §3.1: a line starting with a space or tab continues the previous one. */
function unfold(text: string): Array<{ lineNo: number; text: string }> {
  const lines: Array<{ lineNo: number; text: string }> = [];
  text.split(/\r\n|\r|\n/).forEach((physical, index) => {
    const last = lines[lines.length - 1];
    if (last && (physical.startsWith(' ') || physical.startsWith('\t'))) {
      last.text += physical.slice(1);
    } else if (physical.trim() !== '') {
      lines.push({ lineNo: index + 1, text: physical });
    }
  });
  return lines;
}

function parseContentLine(line: string, lineNo: number): ContentLine {
  // The name/value separator is the first ':' outside a quoted parameter value (TZID="…:…").
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length && colon < 0; i++) {
    if (line[i] === '"') inQuotes = !inQuotes;
    else if (line[i] === ':' && !inQuotes) colon = i;
  }
  if (colon < 0) throw new Error(`iCalendar line ${lineNo}: missing ':' in "${line}"`);
  const name = line.slice(0, colon).split(';')[0];
  return { name: name.toUpperCase(), value: line.slice(colon + 1) };
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A DTSTART/DTEND as wall-clock ms in Asia/Shanghai (days since the epoch × DAY_MS for dates). */
function parseDateValue(line: ContentLine, lineNo: number): { localMs: number; allDay: boolean } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(line.value.trim());
  const day = m && parseLocalDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (
    !m ||
    day === null ||
    Number(m[4] ?? 0) > 23 ||
    Number(m[5] ?? 0) > 59 ||
    Number(m[6] ?? 0) > 60
  ) {
    throw new Error(`iCalendar line ${lineNo}: invalid ${line.name} value "${line.value}"`);
  }
  if (m[4] === undefined) return { localMs: day * DAY_MS, allDay: true };
  const time = (Number(m[4]) * 60 + Number(m[5])) * 60_000 + Number(m[6]) * 1000;
  return { localMs: day * DAY_MS + time + (m[7] === 'Z' ? UTC_OFFSET_MS : 0), allDay: false };
}

interface EventDraft {
  startLine: number;
  summary: string;
  cancelled: boolean;
  start?: { localMs: number; allDay: boolean };
  end?: { localMs: number; allDay: boolean };
  durationMs?: number;
}

function isMakeupSummary(summary: string): boolean {
  return summary.includes('班') || /makeup|working day/i.test(summary);
}

/** Local dates an event covers: [start, end) rounded out to whole days, at least the start date. */
function eventDates(e: EventDraft): string[] {
  if (!e.start) throw new Error(`iCalendar VEVENT at line ${e.startLine}: missing DTSTART`);
  const startMs = e.start.localMs;
  const endMs =
    e.end?.localMs ??
    (e.durationMs !== undefined ? startMs + e.durationMs : startMs + (e.start.allDay ? DAY_MS : 0));
  if (endMs < startMs) {
    throw new Error(`iCalendar VEVENT at line ${e.startLine}: DTEND is before DTSTART`);
  }
  const first = Math.floor(startMs / DAY_MS);
  // DTEND is exclusive, so an end at local midnight does not cover that day.
  const last = Math.max(first, Math.ceil(endMs / DAY_MS) - 1);
  if (last - first + 1 > MAX_EVENT_DAYS) {
    throw new Error(
      `iCalendar VEVENT at line ${e.startLine}: spans more than ${MAX_EVENT_DAYS} days`,
    );
  }
  const dates: string[] = [];
  for (let day = first; day <= last; day++) {
    dates.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
  }
  return dates;
}

export function parseICalendar(text: string): { holidays: string[]; makeupWorkdays: string[] } {
  const holidays = new Set<string>();
  const makeup = new Set<string>();
  // Component nesting, so that properties of a VALARM inside a VEVENT are not read as the event's.
  const stack: string[] = [];
  let event: EventDraft | undefined;

  for (const { lineNo, text: raw } of unfold(text)) {
    const line = parseContentLine(raw, lineNo);
    const component = line.value.trim().toUpperCase();
    if (line.name === 'BEGIN') {
      stack.push(component);
      if (component === 'VEVENT') event = { startLine: lineNo, summary: '', cancelled: false };
      continue;
    }
    if (line.name === 'END') {
      if (stack.pop() !== component) {
        throw new Error(`iCalendar line ${lineNo}: END:${component} does not match its BEGIN`);
      }
      if (component === 'VEVENT' && event) {
        if (!event.cancelled) {
          const target = isMakeupSummary(event.summary) ? makeup : holidays;
          for (const date of eventDates(event)) target.add(date);
        }
        event = undefined;
      }
      continue;
    }
    if (!event || stack[stack.length - 1] !== 'VEVENT') continue;
    switch (line.name) {
      case 'SUMMARY':
        event.summary = unescapeText(line.value);
        break;
      case 'STATUS':
        event.cancelled = line.value.trim().toUpperCase() === 'CANCELLED';
        break;
      case 'DTSTART':
        event.start = parseDateValue(line, lineNo);
        break;
      case 'DTEND':
        event.end = parseDateValue(line, lineNo);
        break;
      case 'DURATION': {
        const ms = parseIsoDuration(line.value.trim());
        if (ms === null) {
          throw new Error(`iCalendar line ${lineNo}: unsupported DURATION "${line.value}"`);
        }
        event.durationMs = ms;
        break;
      }
    }
  }
  if (stack.length > 0)
    throw new Error(`iCalendar: BEGIN:${stack[stack.length - 1]} is never closed`);

  return { holidays: [...holidays].sort(), makeupWorkdays: [...makeup].sort() };
}

const CALENDAR_KEYS = ['workingHours', 'weekendDays', 'holidays', 'makeupWorkdays'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseDateList(value: unknown, key: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${key} must be an array of 'YYYY-MM-DD' dates`);
  const dates = value.map((d, i) => {
    if (typeof d !== 'string' || parseLocalDate(d) === null) {
      throw new Error(`${key}[${i}]: ${JSON.stringify(d)} is not a valid 'YYYY-MM-DD' date`);
    }
    return d;
  });
  return [...new Set(dates)].sort();
}

function parseWorkingHours(value: unknown): WorkingPeriod[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error('workingHours must be a non-empty array of {start, end} periods');
  }
  const periods = value.map((p, i) => {
    if (!isRecord(p) || typeof p.start !== 'string' || typeof p.end !== 'string') {
      throw new Error(`workingHours[${i}] must be {start: 'HH:MM', end: 'HH:MM'}`);
    }
    return { start: p.start, end: p.end };
  });
  validateWorkingHours(periods);
  return periods;
}

function parseWeekendDays(value: unknown): number[] {
  if (!Array.isArray(value)) throw new Error('weekendDays must be an array of ISO weekdays 1..7');
  const days = value.map((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 7) {
      throw new Error(`weekendDays[${i}]: ${JSON.stringify(d)} is not an ISO weekday 1..7`);
    }
    return d;
  });
  return [...new Set(days)].sort((a, b) => a - b);
}

/**
 * Validates a JSON calendar import; only the keys present are returned. A date that is both a
 * holiday and a make-up day is accepted: the holiday wins, as in isWorkingDay.
 */
export function parseCalendarJson(value: unknown): Partial<WorkingCalendar> {
  if (!isRecord(value)) throw new Error('Calendar JSON must be an object');
  const unknown = Object.keys(value).filter(
    (k) => !(CALENDAR_KEYS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    throw new Error(
      `Calendar JSON has unknown keys ${unknown.join(', ')}; allowed: ${CALENDAR_KEYS.join(', ')}`,
    );
  }
  const result: Partial<WorkingCalendar> = {};
  if (value.workingHours !== undefined) result.workingHours = parseWorkingHours(value.workingHours);
  if (value.weekendDays !== undefined) result.weekendDays = parseWeekendDays(value.weekendDays);
  if (value.holidays !== undefined) result.holidays = parseDateList(value.holidays, 'holidays');
  if (value.makeupWorkdays !== undefined) {
    result.makeupWorkdays = parseDateList(value.makeupWorkdays, 'makeupWorkdays');
  }
  return result;
}
