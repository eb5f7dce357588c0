/**
 * Pure parsers for calendar imports: an iCalendar (RFC 5545) holiday feed and a JSON calendar.
 *
 * iCalendar scope: VEVENTs with DTSTART and optional DTEND/DURATION; CANCELLED events are ignored.
 * RRULE with FREQ, INTERVAL, COUNT and UNTIL is expanded (EXDATE dates are left out); BY… parts
 * and RDATE are refused, since holiday feeds list such dates as events of their own. Times in UTC
 * ('Z') are converted to Asia/Shanghai dates; floating and TZID times are taken at face value, as
 * holiday feeds for China are published in local time.
 *
 * Limits: dates an event names must lie in the window; a recurring event contributes only its
 * occurrences inside it (a yearly rule may start decades ago or never end). Either way at most
 * `maxDates` dates come out.
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
import {
  type ImportLimits,
  MAX_CALENDAR_DATES,
  outsideWindow,
  tooManyDates,
} from './calendar-limits';

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
  rule?: { value: string; lineNo: number };
  /** Local day numbers of EXDATE values: occurrences starting then are left out. */
  excluded: Set<number>;
}

function isMakeupSummary(summary: string): boolean {
  return summary.includes('班') || /makeup|working day/i.test(summary);
}

/** Local day numbers an event covers: [start, end) rounded out to whole days, at least the start date. */
function eventSpan(e: EventDraft): { first: number; last: number } {
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
  return { first, last };
}

const formatDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

interface Rule {
  freq: Frequency;
  interval: number;
  count?: number;
  /** The latest local wall-clock ms an occurrence may start at. */
  untilMs?: number;
}

/** Steps a rule may take in all (occurrences before the window included) before it is refused. */
const MAX_RULE_STEPS = 100_000;

function parseRule(value: string, lineNo: number): Rule {
  const fail = (why: string) => new Error(`iCalendar line ${lineNo}: RRULE ${why}`);
  const parts = new Map<string, string>();
  for (const part of value.trim().split(';')) {
    const [key, v] = part.split('=');
    parts.set(key.toUpperCase(), (v ?? '').toUpperCase());
  }
  for (const key of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST'].includes(key)) {
      throw fail(`${key} is not supported; list such dates as events of their own`);
    }
  }
  const freq = parts.get('FREQ') ?? '';
  if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq)) {
    throw fail('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  }
  const number = (key: string, max: number): number | undefined => {
    const raw = parts.get(key);
    if (raw === undefined) return undefined;
    const n = /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
    if (n < 1 || n > max) throw fail(`${key} must be a whole number from 1 to ${max}`);
    return n;
  };
  const rule: Rule = {
    freq: freq as Frequency,
    interval: number('INTERVAL', 1000) ?? 1,
    count: number('COUNT', MAX_RULE_STEPS),
  };
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    if (rule.count !== undefined) throw fail('may not have both COUNT and UNTIL');
    rule.untilMs = parseDateValue({ name: 'UNTIL', value: until }, lineNo).localMs;
  }
  return rule;
}

/**
 * The rule's occurrences as local start days with their number (DTSTART's is 0), in order, from
 * `fromDay` (daily and weekly rules skip straight there) to `lastDay`.
 */
function* occurrences(
  startDay: number,
  rule: Rule,
  range: { fromDay: number | null; lastDay: number | null },
  lineNo: number,
): Generator<{ day: number; n: number }> {
  const weekly = rule.freq === 'DAILY' || rule.freq === 'WEEKLY';
  const step = rule.interval * (rule.freq === 'WEEKLY' ? 7 : 1);
  const skip =
    weekly && range.fromDay !== null
      ? Math.max(0, Math.floor((range.fromDay - startDay) / step))
      : 0;
  const start = new Date(startDay * DAY_MS);
  const months = rule.interval * (rule.freq === 'YEARLY' ? 12 : 1);
  let n = 0;
  for (let k = skip; ; k++) {
    if (k - skip >= MAX_RULE_STEPS) {
      throw new Error(
        `iCalendar line ${lineNo}: RRULE repeats more than ${MAX_RULE_STEPS} times; give it a COUNT or UNTIL`,
      );
    }
    if (weekly) {
      const day = startDay + k * step;
      if (range.lastDay !== null && day > range.lastDay) return;
      yield { day, n: k };
      continue;
    }
    const ms = Date.UTC(
      start.getUTCFullYear(),
      start.getUTCMonth() + k * months,
      start.getUTCDate(),
    );
    if (range.lastDay !== null && ms / DAY_MS > range.lastDay) return;
    // A date the month lacks (the 31st, 29 February) is no occurrence and not counted (RFC 5545).
    if (new Date(ms).getUTCDate() === start.getUTCDate()) yield { day: ms / DAY_MS, n: n++ };
  }
}

/** Collects the dates of events into two sets within the limits. */
class DateCollector {
  readonly holidays = new Set<string>();
  readonly makeup = new Set<string>();

  constructor(private readonly limits: ImportLimits) {}

  add(e: EventDraft, day: number): void {
    const target = isMakeupSummary(e.summary) ? this.makeup : this.holidays;
    target.add(formatDay(day));
    if (this.holidays.size + this.makeup.size > this.limits.maxDates) {
      throw new Error(`iCalendar: ${tooManyDates(this.limits.maxDates)}`);
    }
  }

  event(e: EventDraft): void {
    if (e.cancelled) return;
    const span = eventSpan(e);
    if (!e.rule) {
      for (let day = span.first; day <= span.last; day++) {
        const outside = outsideWindow(formatDay(day), this.limits);
        if (outside) throw new Error(`iCalendar VEVENT at line ${e.startLine}: ${outside}`);
        this.add(e, day);
      }
      return;
    }
    const rule = parseRule(e.rule.value, e.rule.lineNo);
    const w = this.limits.window;
    const first = w ? parseLocalDate(w.first) : null;
    const last = w ? parseLocalDate(w.last) : null;
    // The last day an occurrence may start on: by UNTIL (compared at DTSTART's time of day) and the window.
    const timeOfDay = (e.start?.localMs ?? 0) - span.first * DAY_MS;
    const untilDay =
      rule.untilMs === undefined ? null : Math.floor((rule.untilMs - timeOfDay) / DAY_MS);
    const lastDay =
      untilDay === null || last === null ? (untilDay ?? last) : Math.min(untilDay, last);
    const length = span.last - span.first;
    const from = first === null ? null : first - length;
    for (const { day, n } of occurrences(
      span.first,
      rule,
      { fromDay: from, lastDay },
      e.rule.lineNo,
    )) {
      if (rule.count !== undefined && n >= rule.count) return;
      if (e.excluded.has(day)) continue;
      // Occurrences before the window (a rule that began long ago) are passed over.
      for (let d = Math.max(day, first ?? day); d <= day + length; d++) this.add(e, d);
    }
  }
}

export function parseICalendar(
  text: string,
  limits: ImportLimits = { maxDates: MAX_CALENDAR_DATES },
): { holidays: string[]; makeupWorkdays: string[] } {
  const dates = new DateCollector(limits);
  // Component nesting, so that properties of a VALARM inside a VEVENT are not read as the event's.
  const stack: string[] = [];
  let event: EventDraft | undefined;

  for (const { lineNo, text: raw } of unfold(text)) {
    const line = parseContentLine(raw, lineNo);
    const component = line.value.trim().toUpperCase();
    if (line.name === 'BEGIN') {
      stack.push(component);
      if (component === 'VEVENT') {
        event = { startLine: lineNo, summary: '', cancelled: false, excluded: new Set() };
      }
      continue;
    }
    if (line.name === 'END') {
      if (stack.pop() !== component) {
        throw new Error(`iCalendar line ${lineNo}: END:${component} does not match its BEGIN`);
      }
      if (component === 'VEVENT' && event) {
        dates.event(event);
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
      case 'RRULE':
        if (event.rule) throw new Error(`iCalendar line ${lineNo}: only one RRULE per event`);
        event.rule = { value: line.value, lineNo };
        break;
      case 'EXDATE':
        for (const value of line.value.split(',')) {
          const at = parseDateValue({ name: 'EXDATE', value }, lineNo);
          event.excluded.add(Math.floor(at.localMs / DAY_MS));
        }
        break;
      case 'RDATE':
        throw new Error(
          `iCalendar line ${lineNo}: RDATE is not supported; list such dates as events of their own`,
        );
    }
  }
  if (stack.length > 0)
    throw new Error(`iCalendar: BEGIN:${stack[stack.length - 1]} is never closed`);

  return { holidays: [...dates.holidays].sort(), makeupWorkdays: [...dates.makeup].sort() };
}

const CALENDAR_KEYS = ['workingHours', 'weekendDays', 'holidays', 'makeupWorkdays'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `d` is not a holiday or make-up day the calendar may hold, or null. */
function dateRefusal(d: unknown, limits: ImportLimits): string | null {
  if (typeof d !== 'string' || parseLocalDate(d) === null) {
    return `${JSON.stringify(d)} is not a valid 'YYYY-MM-DD' date`;
  }
  return outsideWindow(d, limits);
}

/** One date, as added on its own: a real date inside the window. */
export function parseCalendarDate(d: string, limits: ImportLimits): string {
  const refusal = dateRefusal(d, limits);
  if (refusal) throw new Error(refusal);
  return d;
}

function parseDateList(value: unknown, key: string, limits: ImportLimits): string[] {
  if (!Array.isArray(value)) throw new Error(`${key} must be an array of 'YYYY-MM-DD' dates`);
  const dates = value.map((d, i) => {
    const refusal = dateRefusal(d, limits);
    if (refusal) throw new Error(`${key}[${i}]: ${refusal}`);
    return d as string;
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
 * Validates a JSON calendar import; only the keys present are returned. Whether the dates agree
 * with each other and with the weekend is judged on the calendar they make (assertDaysAgree).
 */
export function parseCalendarJson(
  value: unknown,
  limits: ImportLimits = { maxDates: MAX_CALENDAR_DATES },
): Partial<WorkingCalendar> {
  if (!isRecord(value)) throw new Error('Calendar JSON must be an object');
  const unknown = Object.keys(value).filter(
    (k) => !(CALENDAR_KEYS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    throw new Error(
      `Calendar JSON has unknown keys ${unknown.join(', ')}; allowed: ${CALENDAR_KEYS.join(', ')}`,
    );
  }
  const sent = [value.holidays, value.makeupWorkdays].reduce<number>(
    (n, list) => n + (Array.isArray(list) ? list.length : 0),
    0,
  );
  if (sent > limits.maxDates) throw new Error(tooManyDates(limits.maxDates));
  const result: Partial<WorkingCalendar> = {};
  if (value.workingHours !== undefined) result.workingHours = parseWorkingHours(value.workingHours);
  if (value.weekendDays !== undefined) result.weekendDays = parseWeekendDays(value.weekendDays);
  if (value.holidays !== undefined) {
    result.holidays = parseDateList(value.holidays, 'holidays', limits);
  }
  if (value.makeupWorkdays !== undefined) {
    result.makeupWorkdays = parseDateList(value.makeupWorkdays, 'makeupWorkdays', limits);
  }
  return result;
}
