import {
  clockedMilestone,
  type FieldError,
  payloadErrors,
  planEnd,
  type ResidentRequestContext,
  type ResidentRequestEvent,
} from '../../../workflows';
import { type DomainError, domainError } from '../../common/errors/domain-error';
import { localMinuteOf, type WorkingCalendar } from '../calendar/business-time';
import type { PlanDto, PlanProposalDto } from './dto/plan.dto';
import { resolveUntil } from './extension-until';

type Proposal = Extract<ResidentRequestEvent, { type: 'PROPOSE_PLAN' }>;

/**
 * PROPOSE_PLAN as the machine takes it: each due date becomes the end of that working day, each
 * due time must lie in the future, and they must still go forward once every date is a time (a
 * date next to a timestamp is only comparable then). `given` keeps the dates as sent.
 */
export function resolvePlanDates(
  cal: WorkingCalendar,
  event: Proposal,
  now: Date,
): { resolved: Proposal; given: Record<string, unknown> } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const dates: (string | null)[] = [];
  const milestones = event.milestones.map(({ name, due }, i) => {
    const field = `milestones[${i}].due`;
    const r = resolveUntil(cal, due, now, field);
    if ('problem' in r) errors.push({ field, messages: [r.problem] });
    dates.push('date' in r && r.date ? r.date : null);
    return { name, due: 'until' in r ? r.until : due };
  });
  if (errors.length > 0) return { errors };
  const resolved: Proposal = { ...event, milestones };
  const order = payloadErrors(resolved);
  if (order.length > 0) return { errors: order };
  return { resolved, given: dates.some((d) => d !== null) ? { dueDates: dates } : {} };
}

/**
 * Why a proposed plan can no longer be approved: its first milestone is due already, so it would
 * be late the moment it started. Null when it still lies ahead (or nothing is proposed).
 */
export function passedMilestone(context: ResidentRequestContext, now: Date): DomainError | null {
  const first = context.planRequested?.milestones[0];
  if (!first || Date.parse(first.due) > now.getTime()) return null;
  return domainError(
    'REQUEST.PLAN_OUTDATED',
    `The plan’s first milestone (${first.name}) was due at ${localMinuteOf(new Date(first.due))} (Asia/Shanghai); refuse the plan so a new one can be proposed`,
    { dueAt: new Date(first.due).toISOString() },
  );
}

/**
 * What the timeline and the messages tell of a plan step beyond what was sent: the plan's end and
 * size, and which milestone a step or a milestone clock's deadline is about. `context` is the
 * request's before the step.
 */
export function planFacts(
  context: ResidentRequestContext,
  event: ResidentRequestEvent,
): Record<string, unknown> {
  switch (event.type) {
    case 'PROPOSE_PLAN':
      return { until: planEnd(event), milestoneCount: event.milestones.length };
    case 'DECIDE_PLAN': {
      const proposal = context.planRequested;
      return proposal
        ? { until: planEnd(proposal), milestoneCount: proposal.milestones.length }
        : {};
    }
    case 'MILESTONE_DONE': {
      const plan = context.plan;
      const done = plan?.milestones[event.milestone - 1];
      return plan && done
        ? {
            milestoneName: done.name,
            milestoneDue: done.due,
            milestoneCount: plan.milestones.length,
          }
        : {};
    }
    case 'DEADLINE_WARNING':
    case 'DEADLINE_BREACHED': {
      const clocked = event.clock === 'milestone' ? clockedMilestone(context.plan) : null;
      return clocked && context.plan
        ? {
            milestone: clocked.index + 1,
            milestoneName: clocked.milestone.name,
            milestoneCount: context.plan.milestones.length,
          }
        : {};
    }
    default:
      return {};
  }
}

const iso = (timestamp: string) => new Date(timestamp).toISOString();

/** The plan waiting for a supervisor's decision, as a request shows it. */
export function planProposalView(context: ResidentRequestContext): PlanProposalDto | null {
  const proposal = context.planRequested;
  if (!proposal) return null;
  return {
    milestones: proposal.milestones.map((m) => ({ name: m.name, dueAt: iso(m.due) })),
    reason: proposal.reason,
  };
}

/** The approved plan as a request shows it: each milestone done, the current one, or to come. */
export function planView(context: ResidentRequestContext, now: Date): PlanDto | null {
  const plan = context.plan;
  if (!plan) return null;
  return {
    done: plan.done,
    endsAt: iso(planEnd(plan) as string),
    milestones: plan.milestones.map((m, i) => {
      const status = i < plan.done ? 'done' : i === plan.done ? 'current' : 'upcoming';
      return {
        number: i + 1,
        name: m.name,
        dueAt: iso(m.due),
        status,
        late: status === 'current' && Date.parse(m.due) <= now.getTime(),
      };
    }),
  };
}
