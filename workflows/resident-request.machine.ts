import { and, assign, setup } from 'xstate';
import { payloadErrors } from './resident-request.payloads';
import { isRunning, type MilestonePlan, type PlanProposal } from './resident-request.plan';

/**
 * The lifecycle of one resident request (DESIGN section 3), version 1.
 *
 * Pure: guards and context only. No I/O and no `after` timers: deadlines live in Postgres clocks
 * and BullMQ jobs, and the engine feeds DEADLINE_* events in like any other command. None of the
 * states is an XState `final` state, because `rejected` can be reopened and comments are still
 * accepted on terminal requests; the `terminal` tag marks them instead.
 */
export const RESIDENT_REQUEST_MACHINE_VERSION = 1;

export const REQUEST_STATES = [
  'submitted',
  'accepted',
  'escalated',
  'assigned',
  'resolved',
  'closed',
  'rejected',
  'withdrawn',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const TERMINAL_STATES: readonly RequestState[] = ['closed', 'rejected', 'withdrawn'];

/** `duplicate`: merged into another request, which the resident then follows. */
export type ClosingOutcome = 'satisfied' | 'dissatisfied' | 'unknown' | 'no_feedback' | 'duplicate';
export type ClockKind = 'accept' | 'dispatch' | 'resolve' | 'feedback' | 'milestone';

export interface ResidentRequestContext {
  branchId: string;
  escalationLevel: number;
  assigneeUnitId: string | null;
  assigneeUserId: string | null;
  /** Where a DISPUTE sends the request back to. */
  resolvedFrom: 'accepted' | 'assigned' | null;
  onHold: boolean;
  extensionRequested: { until: string; reason: string } | null;
  returnCount: number;
  holdCount: number;
  reopenCount: number;
  outcome: ClosingOutcome | null;
  rating: number | null;
  /** A milestone plan awaiting a supervisor's decision (absent on requests stored before plans). */
  planRequested?: PlanProposal | null;
  /** The approved milestone plan and how many of its milestones are done (absent: none). */
  plan?: MilestonePlan | null;
}

export interface ResidentRequestInput {
  branchId: string;
}

export type ResidentRequestEvent =
  | { type: 'ACCEPT' }
  | { type: 'REJECT'; reason: string }
  | { type: 'RETURN'; reason: string; branchId: string }
  | { type: 'ESCALATE'; reason: string }
  | { type: 'ASSIGN'; assigneeUnitId: string; assigneeUserId?: string | null; reason?: string }
  | { type: 'REASSIGN'; assigneeUnitId: string; assigneeUserId?: string | null; reason?: string }
  | { type: 'RESOLVE'; resolution: string; attachmentIds?: string[] | null }
  | { type: 'HOLD'; reason: string }
  | { type: 'RESUME'; reason?: string }
  | { type: 'REQUEST_EXTENSION'; until: string; reason: string }
  | { type: 'DECIDE_EXTENSION'; approve: boolean; comment?: string }
  | { type: 'CONFIRM'; rating: number; comment?: string }
  | { type: 'DISPUTE'; comment: string }
  | { type: 'CLOSE'; note: string; satisfied?: boolean | null }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'COMMENT'; text: string; internal?: boolean; attachmentIds?: string[] | null }
  | { type: 'REOPEN'; reason: string }
  | { type: 'PROPOSE_PLAN'; milestones: { name: string; due: string }[]; reason: string }
  | { type: 'DECIDE_PLAN'; approve: boolean; reason?: string }
  | { type: 'MILESTONE_DONE'; milestone: number; note: string }
  | { type: 'DEADLINE_WARNING'; clock: ClockKind; fraction?: number }
  | { type: 'DEADLINE_BREACHED'; clock: ClockKind }
  | { type: 'FEEDBACK_TIMEOUT' }
  | { type: 'MERGE'; intoRequestId: string; note?: string };

export type RequestEventType = ResidentRequestEvent['type'];

export const SYSTEM_EVENT_TYPES = [
  'DEADLINE_WARNING',
  'DEADLINE_BREACHED',
  'FEEDBACK_TIMEOUT',
] as const satisfies readonly RequestEventType[];

export const USER_EVENT_TYPES = [
  'ACCEPT',
  'REJECT',
  'RETURN',
  'ESCALATE',
  'ASSIGN',
  'REASSIGN',
  'RESOLVE',
  'HOLD',
  'RESUME',
  'REQUEST_EXTENSION',
  'DECIDE_EXTENSION',
  'CONFIRM',
  'DISPUTE',
  'CLOSE',
  'WITHDRAW',
  'COMMENT',
  'REOPEN',
  'PROPOSE_PLAN',
  'DECIDE_PLAN',
  'MILESTONE_DONE',
  'MERGE',
] as const satisfies readonly RequestEventType[];

export const ALL_EVENT_TYPES: readonly RequestEventType[] = [
  ...USER_EVENT_TYPES,
  ...SYSTEM_EVENT_TYPES,
];

/** Holds pause the resolve clock; DESIGN section 4 wants them limited, so a request cannot idle. */
export const MAX_HOLDS = 3;

type Ev<T extends RequestEventType> = Extract<ResidentRequestEvent, { type: T }>;

/**
 * Why a state that takes an event type may still refuse one, apart from its payload: each name
 * says what stands in the way, so the engine can tell the caller.
 */
export type StateRefusal =
  | 'alreadyAtBranch'
  | 'alreadyOnHold'
  | 'holdLimitReached'
  | 'notOnHold'
  | 'extensionPending'
  | 'noPendingExtension'
  | 'planPending'
  | 'noPendingPlan'
  | 'planRunning'
  | 'noPlanRunning'
  | 'notNextMilestone';

type StateRule = readonly [
  refusal: StateRefusal,
  holds: (context: ResidentRequestContext, event: ResidentRequestEvent) => boolean,
];

// A milestone plan is the schedule a supervisor approved: while one is proposed or runs, the
// owner neither holds the request nor asks for an extension, and only the last milestone resolves it.
const NO_PLAN_PENDING: StateRule = ['planPending', (c) => !c.planRequested];
const NO_PLAN_RUNNING: StateRule = ['planRunning', (c) => !isRunning(c.plan)];

const STATE_RULES: Partial<Record<RequestEventType, readonly StateRule[]>> = {
  RETURN: [['alreadyAtBranch', (c, e) => (e as Ev<'RETURN'>).branchId !== c.branchId]],
  HOLD: [
    ['alreadyOnHold', (c) => !c.onHold],
    ['holdLimitReached', (c) => c.holdCount < MAX_HOLDS],
    NO_PLAN_PENDING,
    NO_PLAN_RUNNING,
  ],
  RESUME: [['notOnHold', (c) => c.onHold]],
  REQUEST_EXTENSION: [
    ['extensionPending', (c) => c.extensionRequested === null],
    NO_PLAN_PENDING,
    NO_PLAN_RUNNING,
  ],
  DECIDE_EXTENSION: [['noPendingExtension', (c) => c.extensionRequested !== null]],
  RESOLVE: [NO_PLAN_RUNNING],
  PROPOSE_PLAN: [
    ['alreadyOnHold', (c) => !c.onHold],
    ['extensionPending', (c) => c.extensionRequested === null],
    NO_PLAN_PENDING,
    NO_PLAN_RUNNING,
  ],
  DECIDE_PLAN: [['noPendingPlan', (c) => !!c.planRequested]],
  MILESTONE_DONE: [
    ['noPlanRunning', (c) => isRunning(c.plan)],
    // Done in order, each named by its number: a second click on the same one does not finish the next.
    [
      'notNextMilestone',
      (c, e) => (e as Ev<'MILESTONE_DONE'>).milestone === (c.plan?.done ?? 0) + 1,
    ],
  ],
};

/** The first rule of the context that refuses the event, or null; the payload is judged apart. */
export function stateRefusal(
  context: ResidentRequestContext,
  event: ResidentRequestEvent,
): StateRefusal | null {
  const broken = (STATE_RULES[event.type] ?? []).find(([, holds]) => !holds(context, event));
  return broken ? broken[0] : null;
}

/** What a step that ends the current stage of work clears: a hold, a pending extension or plan. */
const CLEAR_PENDING = { onHold: false, extensionRequested: null, planRequested: null } as const;

export const residentRequestMachine = setup({
  types: {
    context: {} as ResidentRequestContext,
    events: {} as ResidentRequestEvent,
    input: {} as ResidentRequestInput,
  },
  guards: {
    // One guard for every transition: a payload that keeps its declaration, in a context whose
    // rules allow the event.
    acceptable: ({ context, event }) =>
      payloadErrors(event).length === 0 && stateRefusal(context, event) === null,
    resolvedFromAccepted: ({ context }) => context.resolvedFrom === 'accepted',
    resolvedFromAssigned: ({ context }) => context.resolvedFrom === 'assigned',
    // A merged duplicate's resident rates the original's result once, through their own link.
    unratedDuplicate: ({ context }) => context.outcome === 'duplicate' && context.rating === null,
  },
  actions: {
    countReturn: assign({
      branchId: ({ event }) => (event as Ev<'RETURN'>).branchId,
      returnCount: ({ context }) => context.returnCount + 1,
    }),
    escalateToTown: assign({
      escalationLevel: ({ context }) => Math.max(context.escalationLevel, 1),
      ...CLEAR_PENDING,
    }),
    // A breach while assigned takes the request away from the assignee: the next level dispatches anew.
    escalateOneLevelUp: assign({
      escalationLevel: ({ context }) => context.escalationLevel + 1,
      assigneeUnitId: null,
      assigneeUserId: null,
      ...CLEAR_PENDING,
    }),
    recordAssignee: assign({
      assigneeUnitId: ({ event }) => (event as Ev<'ASSIGN'>).assigneeUnitId,
      assigneeUserId: ({ event }) => (event as Ev<'ASSIGN'>).assigneeUserId ?? null,
      ...CLEAR_PENDING,
    }),
    resolveFromAccepted: assign({
      resolvedFrom: 'accepted',
      ...CLEAR_PENDING,
    }),
    resolveFromAssigned: assign({
      resolvedFrom: 'assigned',
      ...CLEAR_PENDING,
    }),
    hold: assign({ onHold: true, holdCount: ({ context }) => context.holdCount + 1 }),
    resume: assign({ onHold: false }),
    requestExtension: assign({
      extensionRequested: ({ event }) => {
        const e = event as Ev<'REQUEST_EXTENSION'>;
        return { until: e.until, reason: e.reason };
      },
    }),
    clearExtension: assign({ extensionRequested: null }),
    proposePlan: assign({
      planRequested: ({ event }) => {
        const e = event as Ev<'PROPOSE_PLAN'>;
        return {
          milestones: e.milestones.map(({ name, due }) => ({ name, due })),
          reason: e.reason,
        };
      },
    }),
    // An approved plan replaces a finished one; a refused one leaves the plan as it was.
    decidePlan: assign({
      plan: ({ context, event }) =>
        (event as Ev<'DECIDE_PLAN'>).approve && context.planRequested
          ? { milestones: context.planRequested.milestones, done: 0 }
          : (context.plan ?? null),
      planRequested: null,
    }),
    milestoneDone: assign({
      plan: ({ context }) =>
        context.plan ? { ...context.plan, done: context.plan.done + 1 } : null,
    }),
    reopen: assign({ reopenCount: ({ context }) => context.reopenCount + 1 }),
    reopenFromRejection: assign({
      reopenCount: ({ context }) => context.reopenCount + 1,
      escalationLevel: ({ context }) => Math.max(context.escalationLevel, 1),
    }),
    // A rating of 3 ("basically satisfied", 基本满意) still counts as satisfied, as 12345 does.
    closeConfirmed: assign({
      outcome: ({ event }) =>
        (event as Ev<'CONFIRM'>).rating >= 3 ? ('satisfied' as const) : ('dissatisfied' as const),
      rating: ({ event }) => (event as Ev<'CONFIRM'>).rating,
    }),
    closeAfterCallBack: assign({
      outcome: ({ event }) => {
        const satisfied = (event as Ev<'CLOSE'>).satisfied;
        if (satisfied === true) return 'satisfied' as const;
        if (satisfied === false) return 'dissatisfied' as const;
        return 'unknown' as const;
      },
    }),
    closeWithoutFeedback: assign({ outcome: 'no_feedback' as const }),
    stopWork: assign(CLEAR_PENDING),
    closeAsDuplicate: assign({
      outcome: 'duplicate' as const,
      ...CLEAR_PENDING,
    }),
    rateAsFollower: assign({ rating: ({ event }) => (event as Ev<'CONFIRM'>).rating }),
    // Comments and warnings change nothing but the timeline; XState's `can()` ignores a
    // transition with neither target nor action, so they name this one.
    recordOnly: () => undefined,
  },
}).createMachine({
  id: 'residentRequest',
  initial: 'submitted',
  context: ({ input }) => ({
    branchId: input.branchId,
    escalationLevel: 0,
    assigneeUnitId: null,
    assigneeUserId: null,
    resolvedFrom: null,
    onHold: false,
    extensionRequested: null,
    returnCount: 0,
    holdCount: 0,
    reopenCount: 0,
    outcome: null,
    rating: null,
    planRequested: null,
    plan: null,
  }),
  on: {
    COMMENT: { guard: 'acceptable', actions: 'recordOnly' },
  },
  states: {
    submitted: {
      tags: ['open'],
      on: {
        ACCEPT: { guard: 'acceptable', target: 'accepted' },
        REJECT: { guard: 'acceptable', target: 'rejected' },
        RETURN: { guard: 'acceptable', target: 'submitted', actions: 'countReturn' },
        WITHDRAW: { guard: 'acceptable', target: 'withdrawn' },
        MERGE: { guard: 'acceptable', target: 'closed', actions: 'closeAsDuplicate' },
        DEADLINE_WARNING: { guard: 'acceptable', actions: 'recordOnly' },
        DEADLINE_BREACHED: { guard: 'acceptable', target: 'escalated', actions: 'escalateToTown' },
      },
    },
    accepted: {
      tags: ['open'],
      on: {
        ESCALATE: { guard: 'acceptable', target: 'escalated', actions: 'escalateToTown' },
        RESOLVE: { guard: 'acceptable', target: 'resolved', actions: 'resolveFromAccepted' },
        HOLD: { guard: 'acceptable', actions: 'hold' },
        RESUME: { guard: 'acceptable', actions: 'resume' },
        REQUEST_EXTENSION: {
          guard: 'acceptable',
          actions: 'requestExtension',
        },
        DECIDE_EXTENSION: {
          guard: 'acceptable',
          actions: 'clearExtension',
        },
        PROPOSE_PLAN: { guard: 'acceptable', actions: 'proposePlan' },
        DECIDE_PLAN: { guard: 'acceptable', actions: 'decidePlan' },
        MILESTONE_DONE: { guard: 'acceptable', actions: 'milestoneDone' },
        WITHDRAW: { guard: 'acceptable', target: 'withdrawn', actions: 'stopWork' },
        MERGE: { guard: 'acceptable', target: 'closed', actions: 'closeAsDuplicate' },
        DEADLINE_WARNING: { guard: 'acceptable', actions: 'recordOnly' },
        DEADLINE_BREACHED: { guard: 'acceptable', target: 'escalated', actions: 'escalateToTown' },
      },
    },
    escalated: {
      tags: ['open'],
      on: {
        ASSIGN: { guard: 'acceptable', target: 'assigned', actions: 'recordAssignee' },
        WITHDRAW: { guard: 'acceptable', target: 'withdrawn' },
        DEADLINE_WARNING: { guard: 'acceptable', actions: 'recordOnly' },
        DEADLINE_BREACHED: {
          guard: 'acceptable',
          target: 'escalated',
          actions: 'escalateOneLevelUp',
        },
      },
    },
    assigned: {
      tags: ['open'],
      on: {
        REASSIGN: { guard: 'acceptable', target: 'assigned', actions: 'recordAssignee' },
        RESOLVE: { guard: 'acceptable', target: 'resolved', actions: 'resolveFromAssigned' },
        HOLD: { guard: 'acceptable', actions: 'hold' },
        RESUME: { guard: 'acceptable', actions: 'resume' },
        REQUEST_EXTENSION: {
          guard: 'acceptable',
          actions: 'requestExtension',
        },
        DECIDE_EXTENSION: {
          guard: 'acceptable',
          actions: 'clearExtension',
        },
        PROPOSE_PLAN: { guard: 'acceptable', actions: 'proposePlan' },
        DECIDE_PLAN: { guard: 'acceptable', actions: 'decidePlan' },
        MILESTONE_DONE: { guard: 'acceptable', actions: 'milestoneDone' },
        WITHDRAW: { guard: 'acceptable', target: 'withdrawn', actions: 'stopWork' },
        DEADLINE_WARNING: { guard: 'acceptable', actions: 'recordOnly' },
        DEADLINE_BREACHED: {
          guard: 'acceptable',
          target: 'escalated',
          actions: 'escalateOneLevelUp',
        },
      },
    },
    resolved: {
      tags: ['open'],
      on: {
        CONFIRM: { guard: 'acceptable', target: 'closed', actions: 'closeConfirmed' },
        DISPUTE: [
          {
            guard: and(['acceptable', 'resolvedFromAccepted']),
            target: 'accepted',
            actions: 'reopen',
          },
          {
            guard: and(['acceptable', 'resolvedFromAssigned']),
            target: 'assigned',
            actions: 'reopen',
          },
        ],
        CLOSE: { guard: 'acceptable', target: 'closed', actions: 'closeAfterCallBack' },
        WITHDRAW: { guard: 'acceptable', target: 'withdrawn' },
        DEADLINE_WARNING: { guard: 'acceptable', actions: 'recordOnly' },
        FEEDBACK_TIMEOUT: {
          guard: 'acceptable',
          target: 'closed',
          actions: 'closeWithoutFeedback',
        },
      },
    },
    closed: {
      tags: ['terminal'],
      on: {
        CONFIRM: { guard: and(['acceptable', 'unratedDuplicate']), actions: 'rateAsFollower' },
      },
    },
    rejected: {
      tags: ['terminal'],
      on: {
        REOPEN: { guard: 'acceptable', target: 'escalated', actions: 'reopenFromRejection' },
      },
    },
    withdrawn: { tags: ['terminal'] },
  },
});

export type ResidentRequestMachine = typeof residentRequestMachine;
