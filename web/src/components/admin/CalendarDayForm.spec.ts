import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { calendarDateError, isoWeekday } from '../../admin/calendar';
import { mountIn } from '../../test/mount';
import CalendarDayForm from './CalendarDayForm.vue';

const CALENDAR = {
  holidays: ['2026-10-01', '2026-10-02'],
  makeupWorkdays: ['2026-10-10'],
  weekendDays: [6, 7],
};
const TODAY = '2026-12-01';

async function submit(date: string, kind: 'holiday' | 'makeup' = 'holiday') {
  const w = mountIn('zh-CN', CalendarDayForm, { calendar: CALENDAR, today: TODAY });
  await w.find('input[type="date"]').setValue(date);
  if (kind === 'makeup') await w.find('[data-kind="makeup"]').trigger('click');
  await w.find('form').trigger('submit');
  await flushPromises();
  return w;
}

describe('CalendarDayForm: a holiday or make-up day is checked before anything is sent', () => {
  it('adds a new holiday and clears the field', async () => {
    const w = await submit('2027-01-01');
    expect(w.emitted('add')).toEqual([['2027-01-01', 'holiday']]);
    expect((w.find('input[type="date"]').element as HTMLInputElement).value).toBe('');
    expect(w.find('.van-field__error-message').exists()).toBe(false);
  });

  it('adds a make-up working day on a Saturday', async () => {
    const w = await submit('2027-02-06', 'makeup');
    expect(w.emitted('add')).toEqual([['2027-02-06', 'makeup']]);
  });

  it.each([
    ['', 'holiday', '请填写正确的日期'],
    ['2027-02-30', 'holiday', '请填写正确的日期'],
    ['2040-01-01', 'holiday', '只能填写前后 5 年内的日期'],
    ['2026-10-01', 'holiday', '这一天已经在日历里了'],
    ['2026-10-10', 'holiday', '这一天已经在日历里了'],
    ['2027-02-08', 'makeup', '调休上班日应当是周末'],
  ] as const)('refuses %s as a %s: “%s”, and sends nothing', async (date, kind, message) => {
    const w = await submit(date, kind);
    expect(w.emitted('add')).toBeUndefined();
    expect(w.find('.van-field__error-message').text()).toBe(message);
  });

  it('the rules as a function: weekdays, the five-year window either side', () => {
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-13-01')).toBeNull();
    expect(calendarDateError('2021-12-01', 'holiday', CALENDAR, TODAY)).toBeNull();
    expect(calendarDateError('2021-11-30', 'holiday', CALENDAR, TODAY)).toBe('window');
    expect(calendarDateError('2031-12-01', 'holiday', CALENDAR, TODAY)).toBeNull();
    expect(calendarDateError('2031-12-02', 'holiday', CALENDAR, TODAY)).toBe('window');
  });
});
