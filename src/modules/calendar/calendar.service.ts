import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { DatabaseService } from '../../database/database.service';
import { ClocksService } from '../clocks/clocks.service';
import {
  TIME_ZONE,
  assertDaysAgree,
  assertHasWorkingDays,
  localDateOf,
  type WorkingCalendar,
} from './business-time';
import { MAX_CALENDAR_DATES, limitsAt, tooManyDates } from './calendar-limits';
import { CalendarRepository } from './calendar.repository';
import type { CalendarDto, CalendarSummaryDto } from './dto/calendar.dto';
import { parseCalendarDate, parseCalendarJson, parseICalendar } from './ical-import';

/** The two lists of dates, as the single-date endpoints name them. */
export type DateList = 'holidays' | 'makeupWorkdays';
const LIST_NAMES: Record<DateList, string> = {
  holidays: 'holidays',
  makeupWorkdays: 'make-up working days',
};

/** Both lists' dates, each once, in order (ISO dates sort as text). */
function mergeDates(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw domainError('CALENDAR.INVALID', e instanceof Error ? e.message : String(e));
  }
}

/** Edits to the working calendar; every edit moves the due times of open working-time clocks. */
@Injectable()
export class CalendarService {
  constructor(
    private readonly calendar: CalendarRepository,
    private readonly clocks: ClocksService,
    private readonly db: DatabaseService,
  ) {}

  /** Admins read all of it; everyone else the hours, weekends and this and next year's days. */
  async view(actor: Actor, now = new Date()): Promise<CalendarDto | CalendarSummaryDto> {
    const full = await this.full();
    if (actor.role === 'admin') return full;
    const year = Number(localDateOf(now).slice(0, 4));
    const near = (d: string) => d >= `${year}-01-01` && d <= `${year + 1}-12-31`;
    return {
      timeZone: full.timeZone,
      workingHours: full.workingHours,
      weekendDays: full.weekendDays,
      holidays: full.holidays.filter(near),
      makeupWorkdays: full.makeupWorkdays.filter(near),
    };
  }

  private async full(): Promise<CalendarDto> {
    return { timeZone: TIME_ZONE, ...(await this.calendar.get()) };
  }

  /** Replaces the parts given. */
  replace(body: unknown): Promise<CalendarDto> {
    const changes = parsed(() => parseCalendarJson(body, limitsAt(new Date())));
    return this.apply((old) => ({ ...old, ...changes }));
  }

  /** Adds holidays and make-up days from JSON or an iCalendar file to those already known. */
  import(body: unknown, contentType: string): Promise<CalendarDto> {
    const limits = limitsAt(new Date());
    const days =
      contentType.startsWith('text/calendar') || contentType.startsWith('text/plain')
        ? parsed(() => {
            if (typeof body !== 'string' || body.trim() === '') {
              throw new Error('The iCalendar body is empty');
            }
            return parseICalendar(body, limits);
          })
        : parsed(() => parseCalendarJson(body, limits));
    return this.apply((old) => ({
      ...old,
      ...days,
      holidays: mergeDates(old.holidays, days.holidays ?? []),
      makeupWorkdays: mergeDates(old.makeupWorkdays, days.makeupWorkdays ?? []),
    }));
  }

  /** Adds one date to a list; the rest of the calendar stays as it is. */
  addDate(list: DateList, date: string): Promise<CalendarDto> {
    const day = parsed(() => parseCalendarDate(date, limitsAt(new Date())));
    return this.apply((old) => ({ ...old, [list]: mergeDates(old[list], [day]) }));
  }

  /** Removes one date from a list (also one outside today's window); 404 when it is not there. */
  removeDate(list: DateList, date: string): Promise<CalendarDto> {
    const day = parsed(() => parseCalendarDate(date, { maxDates: MAX_CALENDAR_DATES }));
    return this.apply((old) => {
      if (!old[list].includes(day)) {
        throw domainError('CALENDAR.DATE_NOT_FOUND', `${day} is not among the ${LIST_NAMES[list]}`);
      }
      return { ...old, [list]: old[list].filter((d) => d !== day) };
    });
  }

  private async apply(change: (old: WorkingCalendar) => WorkingCalendar): Promise<CalendarDto> {
    await this.db.transaction(async () => {
      const old = await this.calendar.get(true);
      const next = change(old);
      parsed(() => {
        const dates = next.holidays.length + next.makeupWorkdays.length;
        if (dates > MAX_CALENDAR_DATES) {
          throw new Error(
            `The calendar would hold ${dates} dates: ${tooManyDates(MAX_CALENDAR_DATES)}`,
          );
        }
        assertHasWorkingDays(next);
        assertDaysAgree(next);
      });
      await this.calendar.save(next);
      await this.clocks.recalendar(old, next, new Date());
    });
    return this.full();
  }
}
