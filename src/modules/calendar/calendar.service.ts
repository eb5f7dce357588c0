import { Injectable } from '@nestjs/common';
import { domainError } from '../../common/errors/domain-error';
import { DatabaseService } from '../../database/database.service';
import { ClocksService } from '../clocks/clocks.service';
import { TIME_ZONE, type WorkingCalendar } from './business-time';
import { CalendarRepository, type StoredCalendar } from './calendar.repository';
import { parseCalendarJson, parseICalendar } from './ical-import';

export interface CalendarView extends StoredCalendar {
  timeZone: string;
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

  async get(): Promise<CalendarView> {
    return { timeZone: TIME_ZONE, ...(await this.calendar.get()) };
  }

  /** Replaces the parts given. */
  replace(body: unknown): Promise<CalendarView> {
    const changes = parsed(() => parseCalendarJson(body));
    return this.apply((old) => ({ ...old, ...changes }));
  }

  /** Adds holidays and make-up days from JSON or an iCalendar file to those already known. */
  import(body: unknown, contentType: string): Promise<CalendarView> {
    const days =
      contentType.startsWith('text/calendar') || contentType.startsWith('text/plain')
        ? parsed(() => {
            if (typeof body !== 'string' || body.trim() === '') {
              throw new Error('The iCalendar body is empty');
            }
            return parseICalendar(body);
          })
        : parsed(() => parseCalendarJson(body));
    return this.apply((old) => ({
      ...old,
      ...days,
      holidays: [...new Set([...old.holidays, ...(days.holidays ?? [])])].sort(),
      makeupWorkdays: [...new Set([...old.makeupWorkdays, ...(days.makeupWorkdays ?? [])])].sort(),
    }));
  }

  private async apply(change: (old: WorkingCalendar) => WorkingCalendar): Promise<CalendarView> {
    await this.db.transaction(async () => {
      const old = await this.calendar.get(true);
      const next = change(old);
      await this.calendar.save(next);
      await this.clocks.recalendar(old, next, new Date());
    });
    return this.get();
  }
}
