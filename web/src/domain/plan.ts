import { isoWeekday } from '../admin/calendar';
import type { FieldProblem, TimelineEntry } from '../api/client';
import { todayInShanghai } from '../desk/period';
import { formatDay } from '../ui/feedback';

/** The API's limits on a plan (workflows/resident-request.plan.ts). */
export const MAX_MILESTONES = 12;
export const MAX_MILESTONE_NAME = 100;

/** One row of the plan form: a name, and a due date as a date input gives it (YYYY-MM-DD). */
export interface MilestoneRow {
  name: string;
  due: string;
}

/** What can be wrong with a row before it is sent, and what the API may say of a due date. */
export type PlanProblem =
  'required' | 'tooLong' | 'notDate' | 'past' | 'notAfter' | 'notWorkingDay';

const isDate = (value: string): boolean => isoWeekday(value) !== null;

/** The date it is in Asia/Shanghai, where the towns are (YYYY-MM-DD). */
export const shanghaiDate = todayInShanghai;

export const emptyRow = (): MilestoneRow => ({ name: '', due: '' });

/**
 * What is wrong with the milestones as typed, by the field names the API uses
 * (`milestones[1].due`): each needs a name and a real date, none before today, each later than
 * the one before. Whether a date is a working day only the API's calendar knows.
 */
export function milestoneProblems(
  rows: readonly MilestoneRow[],
  today: string,
): Record<string, PlanProblem> {
  const problems: Record<string, PlanProblem> = {};
  if (rows.length === 0) problems.milestones = 'required';
  rows.forEach((row, i) => {
    const at = `milestones[${i}]`;
    const name = row.name.trim();
    if (name === '') problems[`${at}.name`] = 'required';
    else if (name.length > MAX_MILESTONE_NAME) problems[`${at}.name`] = 'tooLong';
    const before = rows[i - 1]?.due ?? '';
    if (row.due === '') problems[`${at}.due`] = 'required';
    else if (!isDate(row.due)) problems[`${at}.due`] = 'notDate';
    else if (row.due < today) problems[`${at}.due`] = 'past';
    else if (i > 0 && isDate(before) && row.due <= before) problems[`${at}.due`] = 'notAfter';
  });
  return problems;
}

/**
 * The API's words on a due date, as one of the app's own where it can tell which (the API writes
 * in English for developers); null for anything else, which is then shown as the API wrote it.
 */
export function dueProblemOf(message: string): PlanProblem | null {
  if (/not a working day/.test(message)) return 'notWorkingDay';
  if (/later than/.test(message)) return 'notAfter';
  if (/ended at|in the future/.test(message)) return 'past';
  return null;
}

/** The fields a refusal named, each with what the API said of it. */
export function fieldMessages(fields: readonly FieldProblem[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.field, f.messages.join('; ')]));
}

/** The milestones sent: names trimmed, dates as typed (the API reads a date in Asia/Shanghai). */
export const milestonesBody = (rows: readonly MilestoneRow[]): MilestoneRow[] =>
  rows.map((r) => ({ name: r.name.trim(), due: r.due }));

/** When each milestone was marked done (by its number), from the request's timeline. */
export function milestonesDoneAt(entries: readonly TimelineEntry[]): Map<number, string> {
  const done = new Map<number, string>();
  for (const e of entries) {
    if (e.type === 'MILESTONE_DONE' && typeof e.payload.milestone === 'number')
      done.set(e.payload.milestone, e.at);
  }
  return done;
}

type Translate = (key: string, values: Record<string, unknown>) => string;

/**
 * What a plan step in the timeline says beyond its own words (reason, note): how many milestones
 * and until when, which milestone is done, which milestone's time limit warned.
 */
export function planWords(entry: TimelineEntry, t: Translate, locale: string): string[] {
  const p = entry.payload;
  const n = typeof p.milestoneCount === 'number' ? p.milestoneCount : 0;
  const end = typeof p.until === 'string' ? formatDay(p.until, locale) : '';
  switch (entry.type) {
    case 'PROPOSE_PLAN':
      return [t('plan.timeline.proposed', { n, end })];
    case 'DECIDE_PLAN':
      return [
        p.approve === true
          ? t('plan.timeline.approved', { n, end })
          : t('plan.timeline.refused', {}),
      ];
    case 'MILESTONE_DONE':
      return [t('plan.timeline.done', { n: p.milestone, total: n, name: p.milestoneName ?? '' })];
    default:
      return typeof p.milestoneName === 'string'
        ? [t('plan.timeline.clock', { n: p.milestone, name: p.milestoneName })]
        : [];
  }
}
