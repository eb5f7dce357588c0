/**
 * The figures of DESIGN section 5. Most count the requests received (created) in the period; the
 * resolution rate counts those whose resolve deadline fell in it.
 *
 * Each counted figure is a SUM: an SQL aggregate over `requests r`, stored per day and per month
 * in the request_stats rollup under its column, and summed again over a period. The backlog
 * depends on the clock, not on the row, so it is counted live over the open requests. Written
 * once here so the rollup, the live path, the API, the exports and the OpenAPI text agree.
 */
export const OPEN = `r.state IN ('submitted', 'accepted', 'escalated', 'assigned', 'resolved')`;
export const WORKING = `r.state IN ('submitted', 'accepted', 'escalated', 'assigned')`;
const SOLVED = `r.state = 'closed' AND (r.rating IS NOT NULL OR r.outcome = 'satisfied'
  OR (r.outcome = 'no_feedback' AND r.dispute_count = 0))`;
const AGE_DAYS = `extract(epoch FROM (now() - r.created_at)) / 86400`;

/**
 * The requests the figures count: a duplicate merged into another is left out everywhere (the
 * original counts once), and counted apart as `mergedDuplicates`. On the covering indexes.
 */
export const COUNTED = `r.outcome IS DISTINCT FROM 'duplicate'`;

export type Base = 'received' | 'due';

interface Sum {
  base: Base;
  column: string;
  sql: string;
}

/** What the rollup stores; `acceptSeconds` and `resolveSeconds` only feed the averages. */
export const SUMS = {
  received: { base: 'received', column: 'received', sql: `count(*)` },
  accepted: {
    base: 'received',
    column: 'accepted',
    sql: `count(*) FILTER (WHERE r.accepted_at IS NOT NULL)`,
  },
  responseDue: {
    base: 'received',
    column: 'response_due',
    sql: `count(*) FILTER (WHERE r.responded_on_time IS NOT NULL)`,
  },
  respondedOnTime: {
    base: 'received',
    column: 'responded_on_time',
    sql: `count(*) FILTER (WHERE r.responded_on_time)`,
  },
  rejected: {
    base: 'received',
    column: 'rejected',
    sql: `count(*) FILTER (WHERE r.state = 'rejected')`,
  },
  returned: {
    base: 'received',
    column: 'returned',
    sql: `count(*) FILTER (WHERE r.return_count > 0)`,
  },
  resolvedAtBranch: {
    base: 'received',
    column: 'resolved_at_branch',
    sql: `count(*) FILTER (WHERE r.resolved_at IS NOT NULL AND r.escalated_at IS NULL)`,
  },
  escalated: {
    base: 'received',
    column: 'escalated',
    sql: `count(*) FILTER (WHERE r.escalated_at IS NOT NULL)`,
  },
  resolved: {
    base: 'received',
    column: 'resolved',
    sql: `count(*) FILTER (WHERE r.resolved_at IS NOT NULL)`,
  },
  resolvedOnTime: {
    base: 'received',
    column: 'resolved_on_time',
    sql: `count(*) FILTER (WHERE r.resolved_on_time)`,
  },
  closed: { base: 'received', column: 'closed', sql: `count(*) FILTER (WHERE r.state = 'closed')` },
  satisfied: {
    base: 'received',
    column: 'satisfied',
    sql: `count(*) FILTER (WHERE r.outcome = 'satisfied')`,
  },
  dissatisfied: {
    base: 'received',
    column: 'dissatisfied',
    sql: `count(*) FILTER (WHERE r.outcome = 'dissatisfied')`,
  },
  noFeedback: {
    base: 'received',
    column: 'no_feedback',
    sql: `count(*) FILTER (WHERE r.outcome = 'no_feedback')`,
  },
  reopened: {
    base: 'received',
    column: 'reopened',
    sql: `count(*) FILTER (WHERE r.reopen_count > 0)`,
  },
  overdueNow: {
    base: 'received',
    column: 'overdue_now',
    sql: `count(*) FILTER (WHERE ${WORKING} AND r.overdue_since IS NOT NULL)`,
  },
  acceptSeconds: {
    base: 'received',
    column: 'accept_seconds',
    sql: `coalesce(sum(extract(epoch FROM (r.accepted_at - r.created_at))), 0)`,
  },
  resolveSeconds: {
    base: 'received',
    column: 'resolve_seconds',
    sql: `coalesce(sum(extract(epoch FROM (r.resolved_at - r.created_at))), 0)`,
  },
  resolvedOnSpot: {
    base: 'received',
    column: 'resolved_on_spot',
    sql: `count(*) FILTER (WHERE r.resolved_on_spot)`,
  },
  dueInPeriod: { base: 'due', column: 'due_in_period', sql: `count(*)` },
  solvedOfDue: { base: 'due', column: 'solved_of_due', sql: `count(*) FILTER (WHERE ${SOLVED})` },
} as const satisfies Record<string, Sum>;

export type SumName = keyof typeof SUMS;
export const SUM_NAMES = Object.keys(SUMS) as SumName[];

/** Counted live over the open requests received in the period (the age moves with the clock). */
export const BACKLOG = {
  backlog0to7: `count(*) FILTER (WHERE ${AGE_DAYS} <= 7)`,
  backlog8to30: `count(*) FILTER (WHERE ${AGE_DAYS} > 7 AND ${AGE_DAYS} <= 30)`,
  backlog31to90: `count(*) FILTER (WHERE ${AGE_DAYS} > 30 AND ${AGE_DAYS} <= 90)`,
  backlogOver90: `count(*) FILTER (WHERE ${AGE_DAYS} > 90)`,
} as const;

export type BacklogName = keyof typeof BACKLOG;

/** Counted live over the merged duplicates received in the period (few, on a partial index). */
export const MERGED = { mergedDuplicates: `count(*)` } as const;
export const MERGED_WHERE = `r.outcome = 'duplicate'`;

export type MergedName = keyof typeof MERGED;

/** The answer's figures, in the order of the API, the exports and the OpenAPI text. */
export const FIGURES = {
  received: 'requests created in the period',
  accepted: 'of those, accepted (接单)',
  responseDue:
    'answered (accepted or rejected), or past the accept deadline unanswered: the base of the response rate',
  respondedOnTime: 'answered (accepted or rejected) before the accept deadline (按时响应)',
  rejected: 'rejected with a reason',
  returned: 'returned to another branch at least once',
  resolvedAtBranch: 'resolved by the branch without escalation (销单)',
  escalated: 'reached escalated at least once (向上反馈)',
  resolved: 'resolved at least once',
  resolvedOnTime:
    'first resolved before the resolve deadline (moved by an approved extension or milestone plan)',
  closed: 'closed',
  satisfied: 'closed satisfied (rating 3–5, or call-back satisfied)',
  dissatisfied: 'closed dissatisfied',
  noFeedback: 'closed without feedback in the window',
  reopened: 'disputed or reopened at least once',
  overdueNow:
    'still open and past its resolve deadline now (on a milestone plan: past its end; a late milestone alone is not counted)',
  backlog0to7: 'open, 0–7 days old',
  backlog8to30: 'open, 8–30 days old',
  backlog31to90: 'open, 31–90 days old (积案)',
  backlogOver90: 'open, over 90 days old (积案)',
  dueInPeriod: 'requests whose resolve deadline fell in the period (on a milestone plan: its end)',
  solvedOfDue:
    'of those, closed as solved (confirmed, call-back satisfied, or no feedback and no dispute)',
  avgHoursToAccept: 'average hours from submission to acceptance',
  avgHoursToResolve: 'average hours from submission to first resolution',
  resolvedOnSpot: 'recorded and resolved on the spot at intake (现场解决)',
  mergedDuplicates:
    'merged into another request as duplicates: counted in no other figure (the original counts once)',
} as const;

export type FigureName = keyof typeof FIGURES;
export type Figures = Record<FigureName, number | null> & {
  responseRate: number | null;
  onTimeRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
};

export const RATE_DOCS = {
  responseRate: 'respondedOnTime ÷ responseDue (响应率)',
  onTimeRate: 'resolvedOnTime ÷ resolved (按时办结率)',
  resolutionRate: 'solvedOfDue ÷ dueInPeriod (解决率)',
  satisfactionRate: 'satisfied ÷ (satisfied + dissatisfied) (满意率)',
};

export type RateName = keyof typeof RATE_DOCS;

/** The Chinese column titles of the exports (the English title is the figure's name). */
export const FIGURE_TITLES_ZH: Record<FigureName | RateName, string> = {
  received: '收到诉求',
  accepted: '接单',
  responseDue: '应响应',
  respondedOnTime: '按时响应',
  rejected: '不予受理',
  returned: '退回',
  resolvedAtBranch: '支部销单',
  escalated: '向上反馈',
  resolved: '办结',
  resolvedOnTime: '按时办结',
  closed: '已完成',
  satisfied: '满意',
  dissatisfied: '不满意',
  noFeedback: '未评价',
  reopened: '重办',
  overdueNow: '当前超时',
  backlog0to7: '在办0–7天',
  backlog8to30: '在办8–30天',
  backlog31to90: '积案31–90天',
  backlogOver90: '积案90天以上',
  dueInPeriod: '期内到期',
  solvedOfDue: '到期已解决',
  avgHoursToAccept: '平均接单小时',
  avgHoursToResolve: '平均办结小时',
  resolvedOnSpot: '现场解决',
  mergedDuplicates: '合并的重复诉求',
  responseRate: '响应率',
  onTimeRate: '按时办结率',
  resolutionRate: '解决率',
  satisfactionRate: '满意率',
};

/** What a group adds up to before the figures are derived. */
export type Tally = Record<SumName | BacklogName | MergedName, number>;

/** Every name a tally adds up, in one order. */
export const TALLY_NAMES: (keyof Tally)[] = [
  ...SUM_NAMES,
  ...(Object.keys(BACKLOG) as BacklogName[]),
  ...(Object.keys(MERGED) as MergedName[]),
];

export function emptyTally(): Tally {
  const t = {} as Tally;
  for (const name of TALLY_NAMES) t[name] = 0;
  return t;
}

/** Adds `row` (numbers or numeric strings from pg) into `into`. */
export function addInto(into: Tally, row: Partial<Record<keyof Tally, unknown>>): Tally {
  for (const name of Object.keys(into) as (keyof Tally)[]) {
    const v = row[name];
    if (v !== null && v !== undefined) into[name] += Number(v);
  }
  return into;
}

const ratio = (num: number, den: number): number | null =>
  den === 0 ? null : Math.round((num / den) * 10_000) / 10_000;

const hours = (seconds: number, n: number): number | null =>
  n === 0 ? null : Math.round((seconds / n / 3600) * 100) / 100;

export function figuresOf(t: Tally): Figures {
  const f = {} as Record<FigureName, number | null>;
  for (const name of Object.keys(FIGURES) as FigureName[]) {
    if (name !== 'avgHoursToAccept' && name !== 'avgHoursToResolve') f[name] = t[name];
  }
  return {
    ...f,
    avgHoursToAccept: hours(t.acceptSeconds, t.accepted),
    avgHoursToResolve: hours(t.resolveSeconds, t.resolved),
    responseRate: ratio(t.respondedOnTime, t.responseDue),
    onTimeRate: ratio(t.resolvedOnTime, t.resolved),
    resolutionRate: ratio(t.solvedOfDue, t.dueInPeriod),
    satisfactionRate: ratio(t.satisfied, t.satisfied + t.dissatisfied),
  };
}
