import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import type { WorkingCalendar } from './business-time';

interface Row {
  working_hours: WorkingCalendar['workingHours'];
  weekend_days: number[];
  holidays: string[];
  makeup_workdays: string[];
  version: number;
}

export interface StoredCalendar extends WorkingCalendar {
  version: number;
}

/** The calendar's version as an SQL expression, for a statement that checks a remembered copy. */
export const CALENDAR_VERSION = '(SELECT version FROM working_calendar WHERE id = 1)';

@Injectable()
export class CalendarRepository {
  constructor(private readonly db: DatabaseService) {}

  /** `forUpdate` serialises edits, so two admins cannot interleave their recomputations. */
  async get(forUpdate = false): Promise<StoredCalendar> {
    const [row] = await this.db.manager().query<Row[]>(
      `SELECT working_hours, weekend_days, to_json(holidays)::jsonb AS holidays,
              to_json(makeup_workdays)::jsonb AS makeup_workdays, version
         FROM working_calendar WHERE id = 1 ${forUpdate ? 'FOR UPDATE' : ''}`,
    );
    return {
      workingHours: row.working_hours,
      weekendDays: row.weekend_days,
      holidays: row.holidays,
      makeupWorkdays: row.makeup_workdays,
      version: row.version,
    };
  }

  async save(cal: WorkingCalendar): Promise<void> {
    await this.db.manager().query(
      `UPDATE working_calendar SET working_hours = $1, weekend_days = $2, holidays = $3::date[],
              makeup_workdays = $4::date[], version = version + 1, updated_at = now()
        WHERE id = 1`,
      [JSON.stringify(cal.workingHours), cal.weekendDays, cal.holidays, cal.makeupWorkdays],
    );
  }
}
