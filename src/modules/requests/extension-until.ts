import { isIsoDate } from '../../../workflows';
import {
  endOfWorkingDay,
  localMinuteOf,
  localTimestampOf,
  type WorkingCalendar,
} from '../calendar/business-time';

export type ResolvedUntil = { until: string; date?: string } | { problem: string };

/**
 * The `until` of REQUEST_EXTENSION (or a milestone's `due`, named by `field`) as the machine takes
 * it: a date (YYYY-MM-DD) becomes the end of that working day in Asia/Shanghai (`date` keeps what
 * was sent); a timestamp stays as sent. Either must lie in the future. The payload declaration has
 * already checked the form.
 */
export function resolveUntil(
  cal: WorkingCalendar,
  until: string,
  now: Date,
  field = 'until',
): ResolvedUntil {
  if (isIsoDate(until)) {
    const end = endOfWorkingDay(cal, until);
    if (!end) {
      return {
        problem: `${field}: ${until} is not a working day in the working calendar; give a working day, or a timestamp with an offset`,
      };
    }
    if (end <= now) {
      return {
        problem: `${field}: the working day ${until} ended at ${localMinuteOf(end)} (Asia/Shanghai); give a later one`,
      };
    }
    return { until: localTimestampOf(end), date: until };
  }
  return Date.parse(until) > now.getTime()
    ? { until }
    : { problem: `${field} must be in the future` };
}
