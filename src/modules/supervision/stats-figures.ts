/**
 * The figures of DESIGN section 5, as SQL aggregates over `requests r`. Most count the requests
 * received (created) in the period; the resolution rate counts those whose resolve deadline fell
 * in it. Written once here so the API, the exports and the OpenAPI text cannot drift apart.
 */
export const OPEN = `r.state IN ('submitted', 'accepted', 'escalated', 'assigned', 'resolved')`;
export const WORKING = `r.state IN ('submitted', 'accepted', 'escalated', 'assigned')`;
const SOLVED = `r.state = 'closed' AND (r.rating IS NOT NULL OR r.outcome = 'satisfied'
  OR (r.outcome = 'no_feedback' AND r.dispute_count = 0))`;
const AGE_DAYS = `extract(epoch FROM (now() - r.created_at)) / 86400`;

export const FIGURES = {
  received: { sql: `count(*)`, doc: 'requests created in the period' },
  accepted: {
    sql: `count(*) FILTER (WHERE r.accepted_at IS NOT NULL)`,
    doc: 'of those, accepted (接单)',
  },
  acceptedOnTime: {
    sql: `count(*) FILTER (WHERE r.responded_on_time)`,
    doc: 'accepted or rejected before the accept deadline (响应)',
  },
  rejected: { sql: `count(*) FILTER (WHERE r.state = 'rejected')`, doc: 'rejected with a reason' },
  returned: {
    sql: `count(*) FILTER (WHERE r.return_count > 0)`,
    doc: 'returned to another branch at least once',
  },
  resolvedAtBranch: {
    sql: `count(*) FILTER (WHERE r.resolved_at IS NOT NULL AND r.escalated_at IS NULL)`,
    doc: 'resolved by the branch without escalation (销单)',
  },
  escalated: {
    sql: `count(*) FILTER (WHERE r.escalated_at IS NOT NULL)`,
    doc: 'reached escalated at least once (向上反馈)',
  },
  resolved: {
    sql: `count(*) FILTER (WHERE r.resolved_at IS NOT NULL)`,
    doc: 'resolved at least once',
  },
  resolvedOnTime: {
    sql: `count(*) FILTER (WHERE r.resolved_on_time)`,
    doc: 'first resolved before the resolve deadline',
  },
  closed: { sql: `count(*) FILTER (WHERE r.state = 'closed')`, doc: 'closed' },
  satisfied: {
    sql: `count(*) FILTER (WHERE r.outcome = 'satisfied')`,
    doc: 'closed satisfied (rating 3–5, or call-back satisfied)',
  },
  dissatisfied: {
    sql: `count(*) FILTER (WHERE r.outcome = 'dissatisfied')`,
    doc: 'closed dissatisfied',
  },
  noFeedback: {
    sql: `count(*) FILTER (WHERE r.outcome = 'no_feedback')`,
    doc: 'closed without feedback in the window',
  },
  reopened: {
    sql: `count(*) FILTER (WHERE r.reopen_count > 0)`,
    doc: 'disputed or reopened at least once',
  },
  overdueNow: {
    sql: `count(*) FILTER (WHERE ${WORKING} AND r.overdue_since IS NOT NULL)`,
    doc: 'still open and past its resolve deadline now',
  },
  backlog0to7: {
    sql: `count(*) FILTER (WHERE ${OPEN} AND ${AGE_DAYS} <= 7)`,
    doc: 'open, 0–7 days old',
  },
  backlog8to30: {
    sql: `count(*) FILTER (WHERE ${OPEN} AND ${AGE_DAYS} > 7 AND ${AGE_DAYS} <= 30)`,
    doc: 'open, 8–30 days old',
  },
  backlog31to90: {
    sql: `count(*) FILTER (WHERE ${OPEN} AND ${AGE_DAYS} > 30 AND ${AGE_DAYS} <= 90)`,
    doc: 'open, 31–90 days old (积案)',
  },
  backlogOver90: {
    sql: `count(*) FILTER (WHERE ${OPEN} AND ${AGE_DAYS} > 90)`,
    doc: 'open, over 90 days old (积案)',
  },
  dueInPeriod: {
    base: 'due',
    sql: `count(*)`,
    doc: 'requests whose resolve deadline fell in the period',
  },
  solvedOfDue: {
    base: 'due',
    sql: `count(*) FILTER (WHERE ${SOLVED})`,
    doc: 'of those, closed as solved (confirmed, call-back satisfied, or no feedback and no dispute)',
  },
  avgHoursToAccept: {
    sql: `round((avg(extract(epoch FROM (r.accepted_at - r.created_at))) / 3600)::numeric, 2)`,
    doc: 'average hours from submission to acceptance',
  },
  avgHoursToResolve: {
    sql: `round((avg(extract(epoch FROM (r.resolved_at - r.created_at))) / 3600)::numeric, 2)`,
    doc: 'average hours from submission to first resolution',
  },
} as const;

export type FigureName = keyof typeof FIGURES;
export type Figures = Record<FigureName, number | null> & {
  responseRate: number | null;
  onTimeRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
};

export const RATE_DOCS = {
  responseRate: 'acceptedOnTime ÷ received (响应率)',
  onTimeRate: 'resolvedOnTime ÷ resolved (按时办结率)',
  resolutionRate: 'solvedOfDue ÷ dueInPeriod (解决率)',
  satisfactionRate: 'satisfied ÷ (satisfied + dissatisfied) (满意率)',
};

const ratio = (num: number, den: number): number | null =>
  den === 0 ? null : Math.round((num / den) * 10_000) / 10_000;

export function withRates(raw: Record<string, unknown>): Figures {
  const f = {} as Record<FigureName, number | null>;
  for (const name of Object.keys(FIGURES) as FigureName[]) {
    const v = raw[name];
    f[name] = v === null || v === undefined ? (name.startsWith('avg') ? null : 0) : Number(v);
  }
  const n = (k: FigureName) => f[k] ?? 0;
  return {
    ...f,
    responseRate: ratio(n('acceptedOnTime'), n('received')),
    onTimeRate: ratio(n('resolvedOnTime'), n('resolved')),
    resolutionRate: ratio(n('solvedOfDue'), n('dueInPeriod')),
    satisfactionRate: ratio(n('satisfied'), n('satisfied') + n('dissatisfied')),
  };
}

export type Base = 'received' | 'due';

/** The aggregates over one base: requests created in the period, or due in it. */
export function figuresSelect(base: Base): string {
  return Object.entries(FIGURES)
    .filter(([, f]) => ('base' in f ? f.base : 'received') === base)
    .map(([name, f]) => `${f.sql} AS "${name}"`)
    .join(',\n  ');
}

/** The column a base is selected and bucketed by. */
export const BASE_COLUMN: Record<Base, string> = {
  received: 'r.created_at',
  due: 'r.resolve_due_at',
};
