import { and, assign, setup } from 'xstate';

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

export type ClosingOutcome = 'satisfied' | 'dissatisfied' | 'unknown' | 'no_feedback';
export type ClockKind = 'accept' | 'dispatch' | 'resolve' | 'feedback';

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
}

export interface ResidentRequestInput {
  branchId: string;
}

export type ResidentRequestEvent =
  | { type: 'ACCEPT' }
  | { type: 'REJECT'; reason: string }
  | { type: 'RETURN'; reason: string; branchId: string }
  | { type: 'ESCALATE'; reason: string }
  | { type: 'ASSIGN'; assigneeUnitId: string; assigneeUserId?: string | null }
  | { type: 'REASSIGN'; assigneeUnitId: string; assigneeUserId?: string | null; reason?: string }
  | { type: 'RESOLVE'; resolution: string }
  | { type: 'HOLD'; reason: string }
  | { type: 'RESUME'; reason?: string }
  | { type: 'REQUEST_EXTENSION'; until: string; reason: string }
  | { type: 'DECIDE_EXTENSION'; approve: boolean; comment?: string }
  | { type: 'CONFIRM'; rating: number; comment?: string }
  | { type: 'DISPUTE'; comment: string }
  | { type: 'CLOSE'; note: string; satisfied?: boolean | null }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'COMMENT'; text: string; internal?: boolean }
  | { type: 'REOPEN'; reason: string }
  | { type: 'DEADLINE_WARNING'; clock: ClockKind; fraction?: number }
  | { type: 'DEADLINE_BREACHED'; clock: ClockKind }
  | { type: 'FEEDBACK_TIMEOUT' };

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
] as const satisfies readonly RequestEventType[];

export const ALL_EVENT_TYPES: readonly RequestEventType[] = [
  ...USER_EVENT_TYPES,
  ...SYSTEM_EVENT_TYPES,
];

export const MAX_TEXT_LENGTH = 2000;
/** Holds pause the resolve clock; DESIGN section 4 wants them limited, so a request cannot idle. */
export const MAX_HOLDS = 3;
const CLOCK_KINDS: readonly string[] = ['accept', 'dispatch', 'resolve', 'feedback'];

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_TEXT_LENGTH;
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || isText(value);
}

function isId(value: unknown): boolean {
  return typeof value === 'string' && /^\S{1,64}$/.test(value);
}

function isOptionalId(value: unknown): boolean {
  return value === undefined || value === null || isId(value);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function isTimestamp(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) return false;
  const parsed = new Date(value);
  // Date rolls 2026-02-30 over to March; a real date survives the round trip.
  return !Number.isNaN(parsed.getTime()) && value.startsWith(localDatePart(value, parsed));
}

function localDatePart(value: string, parsed: Date): string {
  const offset = /(Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  const minutes =
    !offset || offset[1] === 'Z'
      ? 0
      : (offset[2] === '-' ? -1 : 1) * (Number(offset[3]) * 60 + Number(offset[4]));
  return new Date(parsed.getTime() + minutes * 60_000).toISOString().slice(0, 10);
}

type Ev<T extends RequestEventType> = Extract<ResidentRequestEvent, { type: T }>;

export const residentRequestMachine = setup({
  types: {
    context: {} as ResidentRequestContext,
    events: {} as ResidentRequestEvent,
    input: {} as ResidentRequestInput,
  },
  guards: {
    hasReason: ({ event }) => isText((event as { reason?: unknown }).reason),
    hasReturnTarget: ({ context, event }) => {
      const e = event as Ev<'RETURN'>;
      return isText(e.reason) && isId(e.branchId) && e.branchId !== context.branchId;
    },
    hasAssignee: ({ event }) => {
      const e = event as Ev<'ASSIGN'> | Ev<'REASSIGN'>;
      return (
        isId(e.assigneeUnitId) &&
        isOptionalId(e.assigneeUserId) &&
        isOptionalText((e as { reason?: unknown }).reason)
      );
    },
    hasResolution: ({ event }) => isText((event as Ev<'RESOLVE'>).resolution),
    notOnHold: ({ context }) => !context.onHold,
    holdsLeft: ({ context }) => context.holdCount < MAX_HOLDS,
    onHold: ({ context }) => context.onHold,
    hasOptionalReason: ({ event }) => isOptionalText((event as { reason?: unknown }).reason),
    hasExtensionRequest: ({ event }) => {
      const e = event as Ev<'REQUEST_EXTENSION'>;
      return isTimestamp(e.until) && isText(e.reason);
    },
    noPendingExtension: ({ context }) => context.extensionRequested === null,
    pendingExtension: ({ context }) => context.extensionRequested !== null,
    hasDecision: ({ event }) => {
      const e = event as Ev<'DECIDE_EXTENSION'>;
      return typeof e.approve === 'boolean' && isOptionalText(e.comment);
    },
    hasRating: ({ event }) => {
      const e = event as Ev<'CONFIRM'>;
      return (
        Number.isInteger(e.rating) && e.rating >= 1 && e.rating <= 5 && isOptionalText(e.comment)
      );
    },
    hasDisputeComment: ({ event }) => isText((event as Ev<'DISPUTE'>).comment),
    resolvedFromAccepted: ({ context }) => context.resolvedFrom === 'accepted',
    resolvedFromAssigned: ({ context }) => context.resolvedFrom === 'assigned',
    hasCloseNote: ({ event }) => {
      const e = event as Ev<'CLOSE'>;
      return (
        isText(e.note) &&
        (e.satisfied === undefined || e.satisfied === null || typeof e.satisfied === 'boolean')
      );
    },
    hasCommentText: ({ event }) => isText((event as Ev<'COMMENT'>).text),
    hasClock: ({ event }) => {
      const e = event as Ev<'DEADLINE_WARNING'>;
      return (
        CLOCK_KINDS.includes(e.clock) &&
        (e.fraction === undefined ||
          (typeof e.fraction === 'number' && e.fraction > 0 && e.fraction < 1))
      );
    },
  },
  actions: {
    countReturn: assign({
      branchId: ({ event }) => (event as Ev<'RETURN'>).branchId,
      returnCount: ({ context }) => context.returnCount + 1,
    }),
    escalateToTown: assign({
      escalationLevel: ({ context }) => Math.max(context.escalationLevel, 1),
      onHold: false,
      extensionRequested: null,
    }),
    // A breach while assigned takes the request away from the assignee: the next level dispatches anew.
    escalateOneLevelUp: assign({
      escalationLevel: ({ context }) => context.escalationLevel + 1,
      assigneeUnitId: null,
      assigneeUserId: null,
      onHold: false,
      extensionRequested: null,
    }),
    recordAssignee: assign({
      assigneeUnitId: ({ event }) => (event as Ev<'ASSIGN'>).assigneeUnitId,
      assigneeUserId: ({ event }) => (event as Ev<'ASSIGN'>).assigneeUserId ?? null,
      onHold: false,
      extensionRequested: null,
    }),
    resolveFromAccepted: assign({
      resolvedFrom: 'accepted',
      onHold: false,
      extensionRequested: null,
    }),
    resolveFromAssigned: assign({
      resolvedFrom: 'assigned',
      onHold: false,
      extensionRequested: null,
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
    stopWork: assign({ onHold: false, extensionRequested: null }),
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
  }),
  on: {
    COMMENT: { guard: 'hasCommentText', actions: 'recordOnly' },
  },
  states: {
    submitted: {
      tags: ['open'],
      on: {
        ACCEPT: { target: 'accepted' },
        REJECT: { guard: 'hasReason', target: 'rejected' },
        RETURN: { guard: 'hasReturnTarget', target: 'submitted', actions: 'countReturn' },
        WITHDRAW: { guard: 'hasOptionalReason', target: 'withdrawn' },
        DEADLINE_WARNING: { guard: 'hasClock', actions: 'recordOnly' },
        DEADLINE_BREACHED: { guard: 'hasClock', target: 'escalated', actions: 'escalateToTown' },
      },
    },
    accepted: {
      tags: ['open'],
      on: {
        ESCALATE: { guard: 'hasReason', target: 'escalated', actions: 'escalateToTown' },
        RESOLVE: { guard: 'hasResolution', target: 'resolved', actions: 'resolveFromAccepted' },
        HOLD: { guard: and(['hasReason', 'notOnHold', 'holdsLeft']), actions: 'hold' },
        RESUME: { guard: and(['hasOptionalReason', 'onHold']), actions: 'resume' },
        REQUEST_EXTENSION: {
          guard: and(['hasExtensionRequest', 'noPendingExtension']),
          actions: 'requestExtension',
        },
        DECIDE_EXTENSION: {
          guard: and(['hasDecision', 'pendingExtension']),
          actions: 'clearExtension',
        },
        WITHDRAW: { guard: 'hasOptionalReason', target: 'withdrawn', actions: 'stopWork' },
        DEADLINE_WARNING: { guard: 'hasClock', actions: 'recordOnly' },
        DEADLINE_BREACHED: { guard: 'hasClock', target: 'escalated', actions: 'escalateToTown' },
      },
    },
    escalated: {
      tags: ['open'],
      on: {
        ASSIGN: { guard: 'hasAssignee', target: 'assigned', actions: 'recordAssignee' },
        WITHDRAW: { guard: 'hasOptionalReason', target: 'withdrawn' },
        DEADLINE_WARNING: { guard: 'hasClock', actions: 'recordOnly' },
        DEADLINE_BREACHED: {
          guard: 'hasClock',
          target: 'escalated',
          actions: 'escalateOneLevelUp',
        },
      },
    },
    assigned: {
      tags: ['open'],
      on: {
        REASSIGN: { guard: 'hasAssignee', target: 'assigned', actions: 'recordAssignee' },
        RESOLVE: { guard: 'hasResolution', target: 'resolved', actions: 'resolveFromAssigned' },
        HOLD: { guard: and(['hasReason', 'notOnHold', 'holdsLeft']), actions: 'hold' },
        RESUME: { guard: and(['hasOptionalReason', 'onHold']), actions: 'resume' },
        REQUEST_EXTENSION: {
          guard: and(['hasExtensionRequest', 'noPendingExtension']),
          actions: 'requestExtension',
        },
        DECIDE_EXTENSION: {
          guard: and(['hasDecision', 'pendingExtension']),
          actions: 'clearExtension',
        },
        WITHDRAW: { guard: 'hasOptionalReason', target: 'withdrawn', actions: 'stopWork' },
        DEADLINE_WARNING: { guard: 'hasClock', actions: 'recordOnly' },
        DEADLINE_BREACHED: {
          guard: 'hasClock',
          target: 'escalated',
          actions: 'escalateOneLevelUp',
        },
      },
    },
    resolved: {
      tags: ['open'],
      on: {
        CONFIRM: { guard: 'hasRating', target: 'closed', actions: 'closeConfirmed' },
        DISPUTE: [
          {
            guard: and(['hasDisputeComment', 'resolvedFromAccepted']),
            target: 'accepted',
            actions: 'reopen',
          },
          {
            guard: and(['hasDisputeComment', 'resolvedFromAssigned']),
            target: 'assigned',
            actions: 'reopen',
          },
        ],
        CLOSE: { guard: 'hasCloseNote', target: 'closed', actions: 'closeAfterCallBack' },
        WITHDRAW: { guard: 'hasOptionalReason', target: 'withdrawn' },
        DEADLINE_WARNING: { guard: 'hasClock', actions: 'recordOnly' },
        FEEDBACK_TIMEOUT: { target: 'closed', actions: 'closeWithoutFeedback' },
      },
    },
    closed: { tags: ['terminal'] },
    rejected: {
      tags: ['terminal'],
      on: {
        REOPEN: { guard: 'hasReason', target: 'escalated', actions: 'reopenFromRejection' },
      },
    },
    withdrawn: { tags: ['terminal'] },
  },
});

export type ResidentRequestMachine = typeof residentRequestMachine;
