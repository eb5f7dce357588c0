import type {
  ClockKind,
  RequestEventType,
  RequestState,
  ResidentRequestContext,
  ResidentRequestEvent,
} from './resident-request.machine';

/**
 * What each step of the machine causes outside the machine's own context: who holds the request
 * afterwards, what happens to its clocks, and who is told. Declared once, here, next to the
 * machine; the engine, the clocks and the notifier read it, and `npm run docs` renders it into
 * docs/transitions.md. Pure data and pure predicates, like the machine.
 */

/** Who holds the request after the step. */
export type OwnerRule =
  /** no change */
  | 'unchanged'
  /** the request's branch (after RETURN, the new one) */
  | 'branch'
  /** the branch's ancestor at the request's escalation level (town, then county) */
  | 'escalation'
  /** the unit the request was dispatched to */
  | 'assignee';

/** The clocks whose limit the request's policy sets (a milestone's is its due time). */
export type PolicyClockKind = Exclude<ClockKind, 'milestone'>;

export type ClockOp =
  /** a fresh clock with the full limit of the request's policy */
  | { op: 'start'; clock: PolicyClockKind }
  /** the running one stops and a fresh one starts (a new level gets a new dispatch limit) */
  | { op: 'restart'; clock: PolicyClockKind }
  /** a fresh resolve clock unless one is running or paused (it breached, or was never started) */
  | { op: 'ensure'; clock: 'resolve' }
  /** the resolve clock again with the time it had left when the work was marked resolved */
  | { op: 'continue'; clock: 'resolve' }
  | { op: 'stop'; clock: ClockKind | 'all' }
  /** a running clock pauses, keeping the time it has left */
  | { op: 'pause'; clock: 'resolve' }
  | { op: 'resume'; clock: 'resolve' }
  /** the due time moves to the extension that was approved */
  | { op: 'extend'; clock: 'resolve' }
  /** the due time moves to the end of the milestone plan that was approved (its last milestone) */
  | { op: 'followPlan'; clock: 'resolve' }
  /**
   * the running milestone clock stops, and the plan's next milestone gets a clock of its own, due
   * at its due time (the last milestone's clock is the resolve clock, due at the plan's end)
   */
  | { op: 'nextMilestone'; clock: 'milestone' };

export type Audience =
  /** the resident: the inbox if they have an account, a text message if they have a phone */
  | 'resident'
  /** whoever must act on the request after the step (see `holdersOf`) */
  | 'holders'
  /** whoever had to act on it before the step */
  | 'previousHolders'
  /** the secretaries of the request's branch (after RETURN, the new one) */
  | 'branchSecretaries'
  /** supervisors whose subtree holds the request */
  | 'supervisors'
  /** the person who last marked it resolved */
  | 'resolver'
  /** the contact leader (包乡走村) of the request's branch, if it has one */
  | 'contactLeader'
  /**
   * the residents of the requests merged into this one as duplicates (and into those), each
   * told about their own request; with `resolved`, each gets a feedback link of their own
   */
  | 'followers';

/** What a message says; the texts (Chinese and English) are in the notifier. */
export const MESSAGE_KINDS = [
  'created',
  'recorded_for_you',
  'accepted',
  'rejected',
  'returned',
  'returned_to_you',
  'escalated',
  'branch_escalated',
  'assigned',
  'dispatched',
  'held',
  'resumed',
  'extension_requested',
  'extension_decided',
  'resolved',
  'disputed',
  'reopened',
  'confirmed',
  'closed',
  'withdrawn',
  'comment',
  'deadline_warning',
  'deadline_breached',
  'feedback_timeout',
  'top_overdue',
  'plan_proposed',
  'plan_decided',
  'plan_approved',
  'milestone_done',
  'merged',
  'original_withdrawn',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface Notice {
  to: Audience;
  message: MessageKind;
  /** Staff are also sent a text message (residents always are, when they have a phone). */
  urgent?: boolean;
}

/** Who sent the event, as far as the effects care. */
export type Sender = 'resident' | 'staff' | 'system';

export interface StepEffect {
  owner: OwnerRule;
  clocks: readonly ClockOp[];
  notify: readonly Notice[];
}

/** Facts the engine adds to a stored event beyond its payload, which rules may test. */
export interface EventFacts {
  /** the step is part of recording a request resolved on the spot (现场解决) */
  onSpot?: boolean;
}

/** One line of the declaration: applies when the step matches `from`, `to`, `by` and `when`. */
export interface EffectRule extends StepEffect {
  from?: readonly RequestState[];
  to?: readonly RequestState[];
  by?: Sender;
  when?: { label: string; test: (event: ResidentRequestEvent & EventFacts) => boolean };
}

/** The creation of a request is not a machine event, but it has effects like one. */
export type EffectEvent = RequestEventType | 'CREATE';

const start = (clock: PolicyClockKind): ClockOp => ({ op: 'start', clock });
const stop = (clock: ClockKind | 'all'): ClockOp => ({ op: 'stop', clock });
const tell = (to: Audience, message: MessageKind, urgent?: boolean): Notice =>
  urgent ? { to, message, urgent } : { to, message };

const NOTHING: StepEffect = { owner: 'unchanged', clocks: [], notify: [] };
const rule = (r: Partial<EffectRule>): EffectRule => ({ ...NOTHING, ...r });

const BREACH = [
  tell('holders', 'deadline_breached', true),
  tell('supervisors', 'deadline_breached', true),
  tell('contactLeader', 'deadline_breached', true),
];
const CLOSING = [stop('all')];

/**
 * Recording a request solved on the spot runs CREATE, ACCEPT and RESOLVE in one command: the
 * clocks start and stop as always, but the resident hears only the resolution (with the link).
 */
const ON_SPOT = {
  label: 'resolved on the spot',
  test: (e: ResidentRequestEvent & EventFacts) => e.onSpot === true,
};

/**
 * The declaration. For each event, the first rule that matches the step applies; an event whose
 * rules all miss has no effect beyond the machine's (this cannot happen for a step the machine
 * took: a unit test walks every one).
 */
export const TRANSITION_EFFECTS: Readonly<Record<EffectEvent, readonly EffectRule[]>> = {
  CREATE: [
    rule({
      by: 'staff',
      when: ON_SPOT,
      owner: 'branch',
      clocks: [start('accept'), start('resolve')],
    }),
    rule({
      by: 'staff',
      owner: 'branch',
      clocks: [start('accept'), start('resolve')],
      notify: [tell('holders', 'created'), tell('resident', 'recorded_for_you')],
    }),
    rule({
      owner: 'branch',
      clocks: [start('accept'), start('resolve')],
      notify: [tell('holders', 'created')],
    }),
  ],
  ACCEPT: [
    rule({ when: ON_SPOT, owner: 'branch', clocks: [stop('accept')] }),
    rule({ owner: 'branch', clocks: [stop('accept')], notify: [tell('resident', 'accepted')] }),
  ],
  REJECT: [
    rule({
      clocks: CLOSING,
      notify: [tell('resident', 'rejected'), tell('followers', 'rejected')],
    }),
  ],
  RETURN: [
    // The clocks keep running: bouncing a request between branches buys no time.
    rule({
      owner: 'branch',
      notify: [tell('resident', 'returned'), tell('branchSecretaries', 'returned_to_you')],
    }),
  ],
  ESCALATE: [
    rule({
      owner: 'escalation',
      clocks: [start('dispatch')],
      notify: [tell('holders', 'escalated'), tell('contactLeader', 'branch_escalated')],
    }),
  ],
  ASSIGN: [
    rule({
      owner: 'assignee',
      clocks: [stop('dispatch'), { op: 'ensure', clock: 'resolve' }],
      notify: [
        tell('holders', 'assigned'),
        tell('resident', 'dispatched'),
        tell('followers', 'dispatched'),
      ],
    }),
  ],
  REASSIGN: [
    rule({
      owner: 'assignee',
      clocks: [{ op: 'ensure', clock: 'resolve' }],
      notify: [
        tell('holders', 'assigned'),
        tell('previousHolders', 'assigned'),
        tell('resident', 'dispatched'),
      ],
    }),
  ],
  RESOLVE: [
    rule({
      from: ['assigned'],
      clocks: [stop('resolve'), start('feedback')],
      notify: [
        tell('resident', 'resolved'),
        tell('followers', 'resolved'),
        tell('branchSecretaries', 'resolved'),
      ],
    }),
    rule({
      clocks: [stop('resolve'), start('feedback')],
      notify: [tell('resident', 'resolved'), tell('followers', 'resolved')],
    }),
  ],
  HOLD: [rule({ clocks: [{ op: 'pause', clock: 'resolve' }], notify: [tell('resident', 'held')] })],
  RESUME: [
    rule({ clocks: [{ op: 'resume', clock: 'resolve' }], notify: [tell('resident', 'resumed')] }),
  ],
  REQUEST_EXTENSION: [rule({ notify: [tell('supervisors', 'extension_requested')] })],
  DECIDE_EXTENSION: [
    rule({
      when: { label: 'approve: true', test: (e) => e.type === 'DECIDE_EXTENSION' && e.approve },
      clocks: [{ op: 'extend', clock: 'resolve' }],
      notify: [tell('holders', 'extension_decided')],
    }),
    rule({ notify: [tell('holders', 'extension_decided')] }),
  ],
  CONFIRM: [
    // A merged duplicate's resident rating the original's result: recorded on their own request.
    rule({ from: ['closed'], notify: [tell('branchSecretaries', 'confirmed')] }),
    rule({
      clocks: CLOSING,
      notify: [tell('resolver', 'confirmed'), tell('branchSecretaries', 'confirmed')],
    }),
  ],
  // The work goes back to whoever resolved it, with the time that was left.
  DISPUTE: [
    rule({
      to: ['accepted'],
      owner: 'branch',
      clocks: [stop('feedback'), { op: 'continue', clock: 'resolve' }],
      notify: [tell('resolver', 'disputed')],
    }),
    rule({
      to: ['assigned'],
      owner: 'assignee',
      clocks: [stop('feedback'), { op: 'continue', clock: 'resolve' }],
      notify: [tell('resolver', 'disputed')],
    }),
  ],
  CLOSE: [rule({ clocks: CLOSING, notify: [tell('resolver', 'closed')] })],
  WITHDRAW: [
    rule({
      clocks: CLOSING,
      notify: [tell('previousHolders', 'withdrawn'), tell('followers', 'original_withdrawn')],
    }),
  ],
  COMMENT: [
    rule({ by: 'resident', notify: [tell('holders', 'comment')] }),
    rule({
      by: 'staff',
      when: {
        label: 'not an internal note',
        test: (e) => e.type === 'COMMENT' && !e.internal,
      },
      notify: [tell('resident', 'comment')],
    }),
  ],
  REOPEN: [
    rule({
      owner: 'escalation',
      clocks: [start('dispatch')],
      notify: [tell('holders', 'reopened')],
    }),
  ],
  PROPOSE_PLAN: [rule({ notify: [tell('supervisors', 'plan_proposed')] })],
  DECIDE_PLAN: [
    rule({
      when: { label: 'approve: true', test: (e) => e.type === 'DECIDE_PLAN' && e.approve },
      clocks: [
        { op: 'followPlan', clock: 'resolve' },
        { op: 'nextMilestone', clock: 'milestone' },
      ],
      notify: [tell('holders', 'plan_decided'), tell('resident', 'plan_approved')],
    }),
    rule({ notify: [tell('holders', 'plan_decided')] }),
  ],
  MILESTONE_DONE: [
    rule({
      clocks: [{ op: 'nextMilestone', clock: 'milestone' }],
      notify: [tell('resident', 'milestone_done'), tell('supervisors', 'milestone_done')],
    }),
  ],
  DEADLINE_WARNING: [rule({ notify: [tell('holders', 'deadline_warning')] })],
  DEADLINE_BREACHED: [
    rule({
      from: ['submitted'],
      owner: 'escalation',
      clocks: [stop('accept'), start('dispatch')],
      notify: BREACH,
    }),
    rule({
      from: ['escalated'],
      owner: 'escalation',
      clocks: [{ op: 'restart', clock: 'dispatch' }],
      notify: BREACH,
    }),
    rule({ owner: 'escalation', clocks: [start('dispatch')], notify: BREACH }),
  ],
  MERGE: [rule({ clocks: CLOSING, notify: [tell('resident', 'merged')] })],
  FEEDBACK_TIMEOUT: [
    rule({
      clocks: CLOSING,
      notify: [
        tell('resident', 'feedback_timeout'),
        tell('resolver', 'feedback_timeout'),
        tell('branchSecretaries', 'feedback_timeout'),
      ],
    }),
  ],
};

/**
 * A limit that passes at the top of the tree escalates nowhere: no step is taken, and these are
 * told instead (the request keeps showing as overdue).
 */
export const TOP_OVERDUE_NOTICES: readonly Notice[] = [
  tell('supervisors', 'top_overdue', true),
  tell('contactLeader', 'top_overdue', true),
];

export interface Step {
  event: (ResidentRequestEvent | { type: 'CREATE' }) & EventFacts;
  /** null for CREATE */
  from: RequestState | null;
  to: RequestState;
  by: Sender;
}

/** The rule that applies to one step: the first that matches. */
export function ruleFor(step: Step): EffectRule | undefined {
  return TRANSITION_EFFECTS[step.event.type].find(
    (r) =>
      (!r.from || (step.from !== null && r.from.includes(step.from))) &&
      (!r.to || r.to.includes(step.to)) &&
      (!r.by || r.by === step.by) &&
      (!r.when || r.when.test(step.event as ResidentRequestEvent & EventFacts)),
  );
}

/**
 * A step the engine takes right after another, in the same transaction and by the same sender:
 * the last milestone of a plan done resolves the request, its note being the resolution; a
 * resident adding information to a request on hold restarts its clock (DESIGN section 3).
 */
export function followingStep(
  event: ResidentRequestEvent,
  after: ResidentRequestContext,
  by?: Sender,
): ResidentRequestEvent | null {
  const plan = after.plan;
  if (event.type === 'MILESTONE_DONE' && plan && plan.done === plan.milestones.length) {
    return { type: 'RESOLVE', resolution: event.note };
  }
  if (event.type === 'COMMENT' && by === 'resident' && after.onHold) {
    return { type: 'RESUME', reason: 'resident added information' };
  }
  return null;
}

/** The effects of one step; a step no rule matches (an internal note) has none. */
export function effectsOf(step: Step): StepEffect {
  const r = ruleFor(step);
  return r ? { owner: r.owner, clocks: r.clocks, notify: r.notify } : NOTHING;
}
