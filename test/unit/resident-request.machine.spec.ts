import {
  ALL_EVENT_TYPES,
  CURRENT_MACHINE_VERSION,
  MAX_HOLDS,
  MAX_TEXT_LENGTH,
  REQUEST_STATES,
  TERMINAL_STATES,
  acceptedEventTypes,
  isTerminal,
  nextState,
  refusalOf,
  residentRequestMachine,
  startRequest,
  type MachineState,
  type RequestEventType,
  type RequestState,
  type ResidentRequestContext,
  type ResidentRequestEvent,
} from '../../workflows';

/**
 * Pure tests of the resident request lifecycle (DESIGN section 3): no database, no actors, only the
 * engine-facing helpers that compute one step from a stored state.
 */

const V = CURRENT_MACHINE_VERSION;
const BRANCH = 'ba000000-0000-4000-8000-00000000000a';
const OTHER_BRANCH = 'bb000000-0000-4000-8000-00000000000b';
const LONGEST_TEXT = 'x'.repeat(MAX_TEXT_LENGTH);
const TOO_LONG_TEXT = 'x'.repeat(MAX_TEXT_LENGTH + 1);
/** Ids are UUIDs; the machine takes any case, as Postgres does. */
const UPPER_CASE_ID = 'A4000000-0000-4000-8000-0000000000FF';

const INITIAL_CONTEXT: ResidentRequestContext = {
  branchId: BRANCH,
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
};

function at(state: RequestState, context: Partial<ResidentRequestContext> = {}): MachineState {
  return { state, context: { ...INITIAL_CONTEXT, ...context } };
}

/** Applies an event that the state must accept. */
function step(from: MachineState, event: ResidentRequestEvent): MachineState {
  const next = nextState(V, from, event);
  if (next === null) throw new Error(`${event.type} was refused in ${from.state}`);
  return next;
}

type EventOf<T extends RequestEventType> = Extract<ResidentRequestEvent, { type: T }>;

const EXTENSION = { until: '2030-01-31T16:00:00Z', reason: 'waiting for a spare part' };
const MILESTONES = [
  { name: '立项', due: '2030-01-31T09:30:00Z' },
  { name: '招投标', due: '2030-03-31T09:30:00Z' },
  { name: '竣工', due: '2030-06-30T09:30:00Z' },
];
const PROPOSAL = { milestones: MILESTONES, reason: 'a road project' };
const RUNNING = (done: number) => ({ plan: { milestones: MILESTONES, done } });

/** The valid event of a type for a stored state: a milestone is the next one of its plan. */
function validFor(stored: MachineState, type: RequestEventType): ResidentRequestEvent {
  if (type !== 'MILESTONE_DONE') return VALID[type];
  return { ...VALID.MILESTONE_DONE, milestone: (stored.context.plan?.done ?? 0) + 1 };
}

/** One well-formed event of each type. */
const VALID: { readonly [T in RequestEventType]: EventOf<T> } = {
  ACCEPT: { type: 'ACCEPT' },
  REJECT: { type: 'REJECT', reason: 'not a public matter' },
  RETURN: { type: 'RETURN', reason: 'wrong branch', branchId: OTHER_BRANCH },
  ESCALATE: { type: 'ESCALATE', reason: 'needs the town' },
  ASSIGN: {
    type: 'ASSIGN',
    assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
    assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
  },
  REASSIGN: {
    type: 'REASSIGN',
    assigneeUnitId: 'a2000000-0000-4000-8000-000000000002',
    reason: 'wrong unit',
  },
  RESOLVE: { type: 'RESOLVE', resolution: 'pipe repaired' },
  HOLD: { type: 'HOLD', reason: 'waiting for the resident' },
  RESUME: { type: 'RESUME' },
  REQUEST_EXTENSION: { type: 'REQUEST_EXTENSION', ...EXTENSION },
  DECIDE_EXTENSION: { type: 'DECIDE_EXTENSION', approve: true },
  CONFIRM: { type: 'CONFIRM', rating: 5 },
  DISPUTE: { type: 'DISPUTE', comment: 'still leaking' },
  CLOSE: { type: 'CLOSE', note: 'called back', satisfied: true },
  WITHDRAW: { type: 'WITHDRAW' },
  COMMENT: { type: 'COMMENT', text: 'any news?' },
  REOPEN: { type: 'REOPEN', reason: 'rejected by mistake' },
  PROPOSE_PLAN: { type: 'PROPOSE_PLAN', ...PROPOSAL },
  DECIDE_PLAN: { type: 'DECIDE_PLAN', approve: true },
  MILESTONE_DONE: { type: 'MILESTONE_DONE', milestone: 1, note: 'approved by the county' },
  DEADLINE_WARNING: { type: 'DEADLINE_WARNING', clock: 'resolve', fraction: 0.5 },
  DEADLINE_BREACHED: { type: 'DEADLINE_BREACHED', clock: 'resolve' },
  FEEDBACK_TIMEOUT: { type: 'FEEDBACK_TIMEOUT' },
  MERGE: { type: 'MERGE', intoRequestId: 'e1000000-0000-4000-8000-00000000000e' },
};

/** Every event type, written out by hand so that a type missing from ALL_EVENT_TYPES shows. */
const EVERY_EVENT_TYPE: readonly RequestEventType[] = [
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
  'DEADLINE_WARNING',
  'DEADLINE_BREACHED',
  'FEEDBACK_TIMEOUT',
  'MERGE',
];

/** Realistic stored states. */
const AT = {
  submitted: at('submitted'),
  accepted: at('accepted'),
  acceptedOnHold: at('accepted', { onHold: true, holdCount: 1 }),
  acceptedPendingExtension: at('accepted', { extensionRequested: EXTENSION }),
  acceptedOnHoldPendingExtension: at('accepted', {
    onHold: true,
    holdCount: 2,
    extensionRequested: EXTENSION,
  }),
  escalated: at('escalated', { escalationLevel: 1 }),
  escalatedTwice: at('escalated', { escalationLevel: 2 }),
  assigned: at('assigned', {
    escalationLevel: 1,
    assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
    assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
  }),
  assignedOnHoldPendingExtension: at('assigned', {
    escalationLevel: 1,
    assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
    assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
    onHold: true,
    holdCount: 1,
    extensionRequested: EXTENSION,
  }),
  acceptedPendingPlan: at('accepted', { planRequested: PROPOSAL }),
  acceptedOnPlan: at('accepted', RUNNING(0)),
  assignedOnLastMilestone: at('assigned', {
    escalationLevel: 1,
    assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
    ...RUNNING(2),
  }),
  acceptedPlanDone: at('accepted', RUNNING(3)),
  resolvedFromAccepted: at('resolved', { resolvedFrom: 'accepted' }),
  resolvedFromAssigned: at('resolved', {
    escalationLevel: 1,
    assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
    assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
    resolvedFrom: 'assigned',
  }),
  closed: at('closed', { resolvedFrom: 'accepted', outcome: 'satisfied', rating: 5 }),
  rejected: at('rejected'),
  withdrawn: at('withdrawn'),
  duplicate: at('closed', { outcome: 'duplicate' }),
} satisfies Record<string, MachineState>;

interface Scenario {
  name: string;
  stored: MachineState;
  /** The event types this stored state accepts, written out by hand. */
  accepts: readonly RequestEventType[];
}

const SUBMITTED_ACCEPTS: readonly RequestEventType[] = [
  'ACCEPT',
  'REJECT',
  'RETURN',
  'WITHDRAW',
  'MERGE',
  'COMMENT',
  'DEADLINE_WARNING',
  'DEADLINE_BREACHED',
];
const WORKING_ALWAYS: readonly RequestEventType[] = [
  'RESOLVE',
  'WITHDRAW',
  'COMMENT',
  'DEADLINE_WARNING',
  'DEADLINE_BREACHED',
];
const ESCALATED_ACCEPTS: readonly RequestEventType[] = [
  'ASSIGN',
  'WITHDRAW',
  'COMMENT',
  'DEADLINE_WARNING',
  'DEADLINE_BREACHED',
];
const RESOLVED_ACCEPTS: readonly RequestEventType[] = [
  'CONFIRM',
  'DISPUTE',
  'CLOSE',
  'WITHDRAW',
  'COMMENT',
  'DEADLINE_WARNING',
  'FEEDBACK_TIMEOUT',
];

const SCENARIOS: readonly Scenario[] = [
  { name: 'submitted', stored: AT.submitted, accepts: SUBMITTED_ACCEPTS },
  {
    name: 'submitted after a return',
    stored: at('submitted', { branchId: 'bc000000-0000-4000-8000-00000000000c', returnCount: 1 }),
    accepts: SUBMITTED_ACCEPTS,
  },
  {
    name: 'accepted',
    stored: AT.accepted,
    accepts: ['ESCALATE', 'MERGE', 'HOLD', 'REQUEST_EXTENSION', 'PROPOSE_PLAN', ...WORKING_ALWAYS],
  },
  {
    name: 'accepted, plan proposed',
    stored: AT.acceptedPendingPlan,
    accepts: ['ESCALATE', 'MERGE', 'DECIDE_PLAN', ...WORKING_ALWAYS],
  },
  {
    name: 'accepted, on an approved plan',
    stored: AT.acceptedOnPlan,
    accepts: [
      'ESCALATE',
      'MERGE',
      'MILESTONE_DONE',
      ...WORKING_ALWAYS.filter((type) => type !== 'RESOLVE'),
    ],
  },
  {
    name: 'assigned, on the last milestone of a plan',
    stored: AT.assignedOnLastMilestone,
    accepts: ['REASSIGN', 'MILESTONE_DONE', ...WORKING_ALWAYS.filter((type) => type !== 'RESOLVE')],
  },
  {
    // Only between the last MILESTONE_DONE and the RESOLVE the engine sends with it.
    name: 'accepted, every milestone done',
    stored: AT.acceptedPlanDone,
    accepts: ['ESCALATE', 'MERGE', 'HOLD', 'REQUEST_EXTENSION', 'PROPOSE_PLAN', ...WORKING_ALWAYS],
  },
  {
    name: 'accepted, on hold',
    stored: AT.acceptedOnHold,
    accepts: ['ESCALATE', 'MERGE', 'RESUME', 'REQUEST_EXTENSION', ...WORKING_ALWAYS],
  },
  {
    name: 'accepted, extension pending',
    stored: AT.acceptedPendingExtension,
    accepts: ['ESCALATE', 'MERGE', 'HOLD', 'DECIDE_EXTENSION', ...WORKING_ALWAYS],
  },
  {
    name: 'accepted, on hold, extension pending',
    stored: AT.acceptedOnHoldPendingExtension,
    accepts: ['ESCALATE', 'MERGE', 'RESUME', 'DECIDE_EXTENSION', ...WORKING_ALWAYS],
  },
  { name: 'escalated', stored: AT.escalated, accepts: ESCALATED_ACCEPTS },
  { name: 'escalated twice', stored: AT.escalatedTwice, accepts: ESCALATED_ACCEPTS },
  {
    name: 'assigned',
    stored: AT.assigned,
    accepts: ['REASSIGN', 'HOLD', 'REQUEST_EXTENSION', 'PROPOSE_PLAN', ...WORKING_ALWAYS],
  },
  {
    name: 'assigned, on hold, extension pending',
    stored: AT.assignedOnHoldPendingExtension,
    accepts: ['REASSIGN', 'RESUME', 'DECIDE_EXTENSION', ...WORKING_ALWAYS],
  },
  { name: 'resolved from accepted', stored: AT.resolvedFromAccepted, accepts: RESOLVED_ACCEPTS },
  { name: 'resolved from assigned', stored: AT.resolvedFromAssigned, accepts: RESOLVED_ACCEPTS },
  {
    // Not reachable, but a stored row could say so: there is nowhere for a dispute to go back to.
    name: 'resolved with no resolvedFrom',
    stored: at('resolved'),
    accepts: RESOLVED_ACCEPTS.filter((type) => type !== 'DISPUTE'),
  },
  { name: 'closed', stored: AT.closed, accepts: ['COMMENT'] },
  { name: 'closed as a duplicate', stored: AT.duplicate, accepts: ['CONFIRM', 'COMMENT'] },
  {
    name: 'closed as a duplicate, rated',
    stored: at('closed', { outcome: 'duplicate', rating: 4 }),
    accepts: ['COMMENT'],
  },
  { name: 'rejected', stored: AT.rejected, accepts: ['REOPEN', 'COMMENT'] },
  {
    name: 'rejected after escalation',
    stored: at('rejected', { escalationLevel: 2 }),
    accepts: ['REOPEN', 'COMMENT'],
  },
  { name: 'withdrawn', stored: AT.withdrawn, accepts: ['COMMENT'] },
];

const sorted = (types: readonly RequestEventType[]): RequestEventType[] => [...types].sort();

describe('resident request machine: constants and helpers', () => {
  it('lists every event type exactly once in ALL_EVENT_TYPES', () => {
    expect(ALL_EVENT_TYPES).toHaveLength(EVERY_EVENT_TYPE.length);
    expect(sorted(ALL_EVENT_TYPES)).toEqual(sorted(EVERY_EVENT_TYPE));
  });

  it('lists the eight states of DESIGN section 3, each a state of the machine', () => {
    expect([...REQUEST_STATES].sort()).toEqual(
      [
        'submitted',
        'accepted',
        'escalated',
        'assigned',
        'resolved',
        'closed',
        'rejected',
        'withdrawn',
      ].sort(),
    );
    expect(Object.keys(residentRequestMachine.states).sort()).toEqual([...REQUEST_STATES].sort());
  });

  it('starts a request as submitted with a fresh context on the given branch', () => {
    expect(startRequest({ branchId: BRANCH })).toEqual<MachineState>({
      state: 'submitted',
      context: INITIAL_CONTEXT,
    });
    expect(startRequest({ branchId: OTHER_BRANCH }).context.branchId).toBe(OTHER_BRANCH);
  });

  const TERMINAL: Record<RequestState, boolean> = {
    submitted: false,
    accepted: false,
    escalated: false,
    assigned: false,
    resolved: false,
    closed: true,
    rejected: true,
    withdrawn: true,
  };

  it.each(REQUEST_STATES)('isTerminal(%s), TERMINAL_STATES and the state tags agree', (state) => {
    expect(isTerminal(state)).toBe(TERMINAL[state]);
    expect(TERMINAL_STATES.includes(state)).toBe(TERMINAL[state]);
    expect([...residentRequestMachine.states[state].tags]).toEqual([
      TERMINAL[state] ? 'terminal' : 'open',
    ]);
  });

  it('throws on an unknown machine version', () => {
    expect(() => nextState(V + 999, AT.submitted, VALID.ACCEPT)).toThrow(
      `Unknown resident request machine version ${V + 999}`,
    );
    expect(() => acceptedEventTypes(V + 999, AT.submitted)).toThrow(/Unknown .* version/);
  });

  it('refuses an event type the machine does not know', () => {
    const unknown = { type: 'SELF_DESTRUCT' } as unknown as ResidentRequestEvent;
    for (const scenario of SCENARIOS) expect(nextState(V, scenario.stored, unknown)).toBeNull();
  });
});

describe('resident request machine: accepted and refused events per state', () => {
  it('covers every state with at least one scenario', () => {
    expect(new Set(SCENARIOS.map((s) => s.stored.state))).toEqual(new Set(REQUEST_STATES));
  });

  describe.each(SCENARIOS)('$name', ({ stored, accepts }) => {
    it('acceptedEventTypes equals the expected table', () => {
      expect(sorted(acceptedEventTypes(V, stored))).toEqual(sorted(accepts));
    });

    const refused = EVERY_EVENT_TYPE.filter((type) => !accepts.includes(type));

    it.each(refused)('refuses %s', (type) => {
      expect(nextState(V, stored, validFor(stored, type))).toBeNull();
    });

    it.each([...accepts])('accepts %s', (type) => {
      expect(nextState(V, stored, validFor(stored, type))).not.toBeNull();
    });
  });
});

describe('resident request machine: transitions', () => {
  describe('from submitted', () => {
    it('ACCEPT → accepted, context unchanged', () => {
      expect(nextState(V, AT.submitted, VALID.ACCEPT)).toEqual(at('accepted'));
    });

    it('REJECT → rejected, context unchanged', () => {
      expect(nextState(V, AT.submitted, VALID.REJECT)).toEqual(at('rejected'));
    });

    it('RETURN → submitted on the other branch, counting returns', () => {
      const once = step(AT.submitted, VALID.RETURN);
      expect(once).toEqual(at('submitted', { branchId: OTHER_BRANCH, returnCount: 1 }));
      const back = step(once, { type: 'RETURN', reason: 'ours after all', branchId: BRANCH });
      expect(back).toEqual(at('submitted', { branchId: BRANCH, returnCount: 2 }));
    });

    it('RETURN refuses the branch the request is already on', () => {
      expect(nextState(V, AT.submitted, { ...VALID.RETURN, branchId: BRANCH })).toBeNull();
      const moved = at('submitted', { branchId: OTHER_BRANCH, returnCount: 1 });
      expect(nextState(V, moved, VALID.RETURN)).toBeNull();
    });

    it('RETURN keeps the escalation level and the other counters', () => {
      const stored = at('submitted', { escalationLevel: 1, holdCount: 2, reopenCount: 1 });
      expect(step(stored, VALID.RETURN).context).toEqual({
        ...stored.context,
        branchId: OTHER_BRANCH,
        returnCount: 1,
      });
    });

    it.each([
      ['without a reason', { type: 'WITHDRAW' } as const],
      ['with a reason', { type: 'WITHDRAW', reason: 'fixed it myself' } as const],
      ['with a null reason', { type: 'WITHDRAW', reason: null } as unknown as EventOf<'WITHDRAW'>],
    ])('WITHDRAW %s → withdrawn', (_label, event) => {
      expect(nextState(V, AT.submitted, event)).toEqual(at('withdrawn'));
    });

    it('DEADLINE_BREACHED → escalated at level 1', () => {
      expect(nextState(V, AT.submitted, VALID.DEADLINE_BREACHED)).toEqual(
        at('escalated', { escalationLevel: 1 }),
      );
    });

    it('DEADLINE_BREACHED keeps a level above 1 (max(level, 1))', () => {
      expect(
        nextState(V, at('submitted', { escalationLevel: 3 }), VALID.DEADLINE_BREACHED),
      ).toEqual(at('escalated', { escalationLevel: 3 }));
    });
  });

  describe('from accepted', () => {
    it('ESCALATE → escalated at level 1', () => {
      expect(nextState(V, AT.accepted, VALID.ESCALATE)).toEqual(
        at('escalated', { escalationLevel: 1 }),
      );
    });

    it('ESCALATE keeps a higher level and clears hold and pending extension', () => {
      const stored = at('accepted', {
        escalationLevel: 2,
        onHold: true,
        holdCount: 1,
        extensionRequested: EXTENSION,
      });
      expect(nextState(V, stored, VALID.ESCALATE)).toEqual(
        at('escalated', { escalationLevel: 2, holdCount: 1 }),
      );
    });

    it('DEADLINE_BREACHED → escalated at max(level, 1), clearing hold and extension', () => {
      expect(nextState(V, AT.accepted, VALID.DEADLINE_BREACHED)).toEqual(
        at('escalated', { escalationLevel: 1 }),
      );
      expect(nextState(V, AT.acceptedOnHoldPendingExtension, VALID.DEADLINE_BREACHED)).toEqual(
        at('escalated', { escalationLevel: 1, holdCount: 2 }),
      );
      expect(nextState(V, at('accepted', { escalationLevel: 4 }), VALID.DEADLINE_BREACHED)).toEqual(
        at('escalated', { escalationLevel: 4 }),
      );
    });

    it('RESOLVE → resolved from accepted, clearing hold and extension', () => {
      expect(nextState(V, AT.accepted, VALID.RESOLVE)).toEqual(
        at('resolved', { resolvedFrom: 'accepted' }),
      );
      expect(nextState(V, AT.acceptedOnHoldPendingExtension, VALID.RESOLVE)).toEqual(
        at('resolved', { resolvedFrom: 'accepted', holdCount: 2 }),
      );
    });

    it('WITHDRAW → withdrawn, clearing hold and extension', () => {
      expect(nextState(V, AT.acceptedOnHoldPendingExtension, VALID.WITHDRAW)).toEqual(
        at('withdrawn', { holdCount: 2 }),
      );
    });
  });

  describe.each([
    ['accepted', AT.accepted],
    ['assigned', AT.assigned],
  ] as const)('the clock and the extension in %s', (state, stored) => {
    it('HOLD pauses and counts, a second HOLD is refused', () => {
      const held = step(stored, VALID.HOLD);
      expect(held).toEqual({
        state,
        context: { ...stored.context, onHold: true, holdCount: stored.context.holdCount + 1 },
      });
      expect(nextState(V, held, VALID.HOLD)).toBeNull();
    });

    it('RESUME runs the clock again without counting, a second RESUME is refused', () => {
      const held = step(stored, VALID.HOLD);
      const resumed = step(held, { type: 'RESUME', reason: 'the resident answered' });
      expect(resumed).toEqual({ state, context: { ...held.context, onHold: false } });
      expect(nextState(V, resumed, VALID.RESUME)).toBeNull();
      expect(nextState(V, stored, VALID.RESUME)).toBeNull();
    });

    it('holds are counted across HOLD/RESUME cycles', () => {
      let current = stored;
      for (let i = 0; i < 3; i += 1) current = step(step(current, VALID.HOLD), VALID.RESUME);
      expect(current).toEqual({
        state,
        context: { ...stored.context, holdCount: stored.context.holdCount + 3 },
      });
    });

    it('REQUEST_EXTENSION records the request; a second one is refused while pending', () => {
      const requested = step(stored, VALID.REQUEST_EXTENSION);
      expect(requested).toEqual({
        state,
        context: { ...stored.context, extensionRequested: EXTENSION },
      });
      expect(
        nextState(V, requested, {
          type: 'REQUEST_EXTENSION',
          until: '2031-01-01T00:00:00Z',
          reason: 'again',
        }),
      ).toBeNull();
    });

    it('REQUEST_EXTENSION stores until and reason, and refuses a field it does not declare', () => {
      expect(step(stored, VALID.REQUEST_EXTENSION).context.extensionRequested).toEqual(EXTENSION);
      const event = {
        ...VALID.REQUEST_EXTENSION,
        extra: 'refused',
      } as EventOf<'REQUEST_EXTENSION'>;
      expect(nextState(V, stored, event)).toBeNull();
    });

    it.each([true, false])('DECIDE_EXTENSION approve=%s clears the pending request', (approve) => {
      const requested = step(stored, VALID.REQUEST_EXTENSION);
      const decided = step(requested, { type: 'DECIDE_EXTENSION', approve, comment: 'ok' });
      expect(decided).toEqual(stored);
      expect(nextState(V, decided, { type: 'DECIDE_EXTENSION', approve })).toBeNull();
    });

    it('DECIDE_EXTENSION is refused when nothing is pending', () => {
      expect(nextState(V, stored, VALID.DECIDE_EXTENSION)).toBeNull();
    });

    it('HOLD and REQUEST_EXTENSION combine independently', () => {
      const both = step(step(stored, VALID.HOLD), VALID.REQUEST_EXTENSION);
      expect(both.context).toEqual({
        ...stored.context,
        onHold: true,
        holdCount: stored.context.holdCount + 1,
        extensionRequested: EXTENSION,
      });
      expect(step(both, VALID.RESUME).context.extensionRequested).toEqual(EXTENSION);
      expect(step(both, VALID.DECIDE_EXTENSION).context.onHold).toBe(true);
    });
  });

  describe('duplicates', () => {
    it.each([
      ['submitted', AT.submitted],
      ['accepted, on hold, extension pending', AT.acceptedOnHoldPendingExtension],
    ] as const)(
      'MERGE from %s → closed as a duplicate, clearing hold and extension',
      (_l, from) => {
        expect(nextState(V, from, { ...VALID.MERGE, note: 'same pothole' })).toEqual({
          state: 'closed',
          context: {
            ...from.context,
            outcome: 'duplicate',
            onHold: false,
            extensionRequested: null,
          },
        });
      },
    );

    it('MERGE needs the original as an id; the machine never sees a reference number', () => {
      expect(nextState(V, AT.submitted, { type: 'MERGE' } as EventOf<'MERGE'>)).toBeNull();
      expect(nextState(V, AT.submitted, { ...VALID.MERGE, intoRequestId: 'XX-2026-000001' })).toBe(
        null,
      );
    });

    it("a duplicate's resident rates the original's result once; it stays closed as a duplicate", () => {
      const rated = step(AT.duplicate, { type: 'CONFIRM', rating: 2, comment: 'still dark' });
      expect(rated).toEqual(at('closed', { outcome: 'duplicate', rating: 2 }));
      expect(nextState(V, rated, VALID.CONFIRM)).toBeNull();
      expect(nextState(V, AT.closed, VALID.CONFIRM)).toBeNull();
    });
  });

  describe('from escalated', () => {
    it('ASSIGN → assigned with unit and user', () => {
      expect(nextState(V, AT.escalated, VALID.ASSIGN)).toEqual(
        at('assigned', {
          escalationLevel: 1,
          assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
          assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
        }),
      );
    });

    it.each([
      [
        'absent',
        { type: 'ASSIGN', assigneeUnitId: 'a3000000-0000-4000-8000-000000000003' } as const,
      ],
      [
        'null',
        {
          type: 'ASSIGN',
          assigneeUnitId: 'a3000000-0000-4000-8000-000000000003',
          assigneeUserId: null,
        } as const,
      ],
    ])('ASSIGN with the user %s records a null user', (_label, event) => {
      expect(nextState(V, AT.escalated, event)).toEqual(
        at('assigned', {
          escalationLevel: 1,
          assigneeUnitId: 'a3000000-0000-4000-8000-000000000003',
          assigneeUserId: null,
        }),
      );
    });

    it.each([
      [1, 2],
      [2, 3],
      [7, 8],
    ])('DEADLINE_BREACHED at level %i → escalated at level %i', (from, to) => {
      expect(
        nextState(V, at('escalated', { escalationLevel: from }), VALID.DEADLINE_BREACHED),
      ).toEqual(at('escalated', { escalationLevel: to }));
    });

    it('WITHDRAW → withdrawn', () => {
      expect(nextState(V, AT.escalatedTwice, VALID.WITHDRAW)).toEqual(
        at('withdrawn', { escalationLevel: 2 }),
      );
    });
  });

  describe('from assigned', () => {
    it('REASSIGN → assigned to the new unit, dropping the old user', () => {
      expect(nextState(V, AT.assigned, VALID.REASSIGN)).toEqual(
        at('assigned', {
          escalationLevel: 1,
          assigneeUnitId: 'a2000000-0000-4000-8000-000000000002',
          assigneeUserId: null,
        }),
      );
    });

    it('REASSIGN with a user records that user, and clears hold and extension', () => {
      expect(
        nextState(V, AT.assignedOnHoldPendingExtension, {
          type: 'REASSIGN',
          assigneeUnitId: 'a2000000-0000-4000-8000-000000000002',
          assigneeUserId: 'c9000000-0000-4000-8000-000000000009',
        }),
      ).toEqual(
        at('assigned', {
          escalationLevel: 1,
          assigneeUnitId: 'a2000000-0000-4000-8000-000000000002',
          assigneeUserId: 'c9000000-0000-4000-8000-000000000009',
          holdCount: 1,
        }),
      );
    });

    it('RESOLVE → resolved from assigned, keeping the assignee, clearing hold and extension', () => {
      expect(nextState(V, AT.assignedOnHoldPendingExtension, VALID.RESOLVE)).toEqual(
        at('resolved', {
          escalationLevel: 1,
          assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
          assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
          resolvedFrom: 'assigned',
          holdCount: 1,
        }),
      );
    });

    it('DEADLINE_BREACHED → escalated one level up, clearing hold, extension and assignee', () => {
      expect(nextState(V, AT.assignedOnHoldPendingExtension, VALID.DEADLINE_BREACHED)).toEqual(
        at('escalated', {
          escalationLevel: 2,
          assigneeUnitId: null,
          assigneeUserId: null,
          holdCount: 1,
        }),
      );
    });

    it('WITHDRAW → withdrawn, clearing hold and extension', () => {
      expect(nextState(V, AT.assignedOnHoldPendingExtension, VALID.WITHDRAW)).toEqual(
        at('withdrawn', {
          escalationLevel: 1,
          assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
          assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
          holdCount: 1,
        }),
      );
    });
  });

  describe('from resolved', () => {
    it.each([
      [5, 'satisfied'],
      [4, 'satisfied'],
      [3, 'satisfied'],
      [2, 'dissatisfied'],
      [1, 'dissatisfied'],
    ] as const)('CONFIRM rating %i → closed, %s', (rating, outcome) => {
      expect(nextState(V, AT.resolvedFromAccepted, { type: 'CONFIRM', rating })).toEqual(
        at('closed', { resolvedFrom: 'accepted', outcome, rating }),
      );
    });

    it('CONFIRM with a comment → closed', () => {
      expect(
        nextState(V, AT.resolvedFromAssigned, { type: 'CONFIRM', rating: 4, comment: 'thanks' }),
      ).toEqual({
        state: 'closed',
        context: { ...AT.resolvedFromAssigned.context, outcome: 'satisfied', rating: 4 },
      });
    });

    it('DISPUTE after resolving from accepted → accepted, counting the reopen', () => {
      expect(nextState(V, AT.resolvedFromAccepted, VALID.DISPUTE)).toEqual(
        at('accepted', { resolvedFrom: 'accepted', reopenCount: 1 }),
      );
    });

    it('DISPUTE after resolving from assigned → assigned, keeping the assignee', () => {
      expect(nextState(V, AT.resolvedFromAssigned, VALID.DISPUTE)).toEqual({
        state: 'assigned',
        context: { ...AT.resolvedFromAssigned.context, reopenCount: 1 },
      });
    });

    it('reopens are counted across resolve/dispute cycles', () => {
      let current = AT.accepted;
      for (let i = 0; i < 3; i += 1) {
        current = step(step(current, VALID.RESOLVE), VALID.DISPUTE);
        expect(current.state).toBe('accepted');
      }
      expect(current.context.reopenCount).toBe(3);
    });

    it.each([
      [true, 'satisfied'],
      [false, 'dissatisfied'],
      [undefined, 'unknown'],
      [null, 'unknown'],
    ] as const)('CLOSE satisfied=%s → closed, %s', (satisfied, outcome) => {
      const event: EventOf<'CLOSE'> = { type: 'CLOSE', note: 'called back' };
      if (satisfied !== undefined) event.satisfied = satisfied;
      expect(nextState(V, AT.resolvedFromAccepted, event)).toEqual(
        at('closed', { resolvedFrom: 'accepted', outcome }),
      );
    });

    it('FEEDBACK_TIMEOUT → closed without feedback', () => {
      expect(nextState(V, AT.resolvedFromAssigned, VALID.FEEDBACK_TIMEOUT)).toEqual({
        state: 'closed',
        context: { ...AT.resolvedFromAssigned.context, outcome: 'no_feedback' },
      });
    });

    it('WITHDRAW → withdrawn', () => {
      expect(nextState(V, AT.resolvedFromAccepted, VALID.WITHDRAW)).toEqual(
        at('withdrawn', { resolvedFrom: 'accepted' }),
      );
    });
  });

  describe('from rejected', () => {
    it('REOPEN → escalated at level 1, counting the reopen', () => {
      expect(nextState(V, AT.rejected, VALID.REOPEN)).toEqual(
        at('escalated', { escalationLevel: 1, reopenCount: 1 }),
      );
    });

    it('REOPEN keeps a higher level', () => {
      expect(nextState(V, at('rejected', { escalationLevel: 2 }), VALID.REOPEN)).toEqual(
        at('escalated', { escalationLevel: 2, reopenCount: 1 }),
      );
    });
  });

  describe('events that change nothing', () => {
    const everyStored = SCENARIOS.map((s) => [s.name, s.stored] as const);

    it.each(everyStored)('COMMENT in %s keeps state and context', (_name, stored) => {
      expect(nextState(V, stored, VALID.COMMENT)).toEqual(stored);
    });

    const warned = SCENARIOS.filter((s) => s.accepts.includes('DEADLINE_WARNING')).map(
      (s) => [s.name, s.stored] as const,
    );

    it.each(warned)('DEADLINE_WARNING in %s keeps state and context', (_name, stored) => {
      expect(nextState(V, stored, VALID.DEADLINE_WARNING)).toEqual(stored);
      expect(nextState(V, stored, { type: 'DEADLINE_WARNING', clock: 'accept' })).toEqual(stored);
    });
  });

  describe('WITHDRAW from every open state', () => {
    const open = SCENARIOS.filter((s) => !isTerminal(s.stored.state)).map(
      (s) => [s.name, s.stored] as const,
    );

    it('has an open scenario for each open state', () => {
      expect(new Set(open.map(([, stored]) => stored.state))).toEqual(
        new Set(REQUEST_STATES.filter((state) => !TERMINAL_STATES.includes(state))),
      );
    });

    it.each(open)('%s → withdrawn, not on hold, nothing pending', (_name, stored) => {
      const next = step(stored, { type: 'WITHDRAW', reason: 'no longer needed' });
      expect(next).toEqual({
        state: 'withdrawn',
        context: {
          ...stored.context,
          onHold: false,
          extensionRequested: null,
          planRequested: null,
        },
      });
    });

    it.each([AT.closed, AT.rejected, AT.withdrawn])('is refused in $state', (stored) => {
      expect(nextState(V, stored, VALID.WITHDRAW)).toBeNull();
    });
  });

  it('runs the closed loop from submission to a satisfied close', () => {
    const events: ResidentRequestEvent[] = [
      VALID.RETURN,
      { type: 'RETURN', reason: 'back', branchId: BRANCH },
      VALID.ACCEPT,
      VALID.HOLD,
      VALID.RESUME,
      VALID.ESCALATE,
      VALID.DEADLINE_BREACHED,
      VALID.ASSIGN,
      VALID.REQUEST_EXTENSION,
      VALID.DECIDE_EXTENSION,
      VALID.RESOLVE,
      VALID.DISPUTE,
      VALID.REASSIGN,
      VALID.RESOLVE,
      { type: 'CONFIRM', rating: 3 },
      VALID.COMMENT,
    ];
    const end = events.reduce(step, startRequest({ branchId: BRANCH }));
    expect(end).toEqual<MachineState>({
      state: 'closed',
      context: {
        branchId: BRANCH,
        escalationLevel: 2,
        assigneeUnitId: 'a2000000-0000-4000-8000-000000000002',
        assigneeUserId: null,
        resolvedFrom: 'assigned',
        onHold: false,
        extensionRequested: null,
        returnCount: 2,
        holdCount: 1,
        reopenCount: 1,
        outcome: 'satisfied',
        rating: 3,
        planRequested: null,
        plan: null,
      },
    });
  });
});

describe('resident request machine: payload guards', () => {
  const MISSING = Symbol('missing');
  type Variant = readonly [label: string, value: unknown];

  const REQUIRED_TEXT: readonly Variant[] = [
    ['missing', MISSING],
    ['null', null],
    ['empty', ''],
    ['whitespace only', ' \t\n '],
    ['too long', TOO_LONG_TEXT],
    ['a number', 42],
    ['an array', ['text']],
  ];
  const OPTIONAL_TEXT: readonly Variant[] = [
    ['empty', ''],
    ['whitespace only', '   '],
    ['too long', TOO_LONG_TEXT],
    ['a number', 42],
  ];
  const REQUIRED_ID: readonly Variant[] = [
    ['missing', MISSING],
    ['null', null],
    ['empty', ''],
    ['not a UUID', 'unit-water'],
    ['a UUID with a trailing space', 'a4000000-0000-4000-8000-0000000000ff '],
    ['a number', 42],
  ];
  const OPTIONAL_ID: readonly Variant[] = [
    ['empty', ''],
    ['not a UUID', 'unit-water'],
    ['a UUID with a trailing space', 'a4000000-0000-4000-8000-0000000000ff '],
    ['a number', 42],
  ];
  const CLOCK: readonly Variant[] = [
    ['missing', MISSING],
    ['bogus', 'bogus'],
    ['upper case', 'RESOLVE'],
    ['empty', ''],
    ['a number', 1],
  ];

  function withField(event: ResidentRequestEvent, field: string, value: unknown) {
    const copy: Record<string, unknown> = { ...event };
    if (value === MISSING) delete copy[field];
    else copy[field] = value;
    return copy as unknown as ResidentRequestEvent;
  }

  interface GuardCase {
    where: string;
    stored: MachineState;
    event: ResidentRequestEvent;
    field: string;
    bad: readonly Variant[];
    /** Values at the edge that must still be accepted. */
    good: readonly Variant[];
  }

  const TEXT_EDGE: readonly Variant[] = [
    ['the longest allowed', LONGEST_TEXT],
    ['padded', '  ok  '],
  ];
  const OPTIONAL_TEXT_EDGE: readonly Variant[] = [
    ...TEXT_EDGE,
    ['missing', MISSING],
    ['null', null],
  ];

  const CASES: readonly GuardCase[] = [
    {
      where: 'submitted',
      stored: AT.submitted,
      event: VALID.REJECT,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'submitted',
      stored: AT.submitted,
      event: VALID.RETURN,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'submitted',
      stored: AT.submitted,
      event: VALID.RETURN,
      field: 'branchId',
      bad: [...REQUIRED_ID, ['the current branch', BRANCH]],
      good: [['an upper-case UUID', UPPER_CASE_ID]],
    },
    {
      where: 'accepted',
      stored: AT.accepted,
      event: VALID.ESCALATE,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'escalated',
      stored: AT.escalated,
      event: VALID.ASSIGN,
      field: 'assigneeUnitId',
      bad: REQUIRED_ID,
      good: [['an upper-case UUID', UPPER_CASE_ID]],
    },
    {
      where: 'escalated',
      stored: AT.escalated,
      event: VALID.ASSIGN,
      field: 'assigneeUserId',
      bad: OPTIONAL_ID,
      good: [
        ['an upper-case UUID', UPPER_CASE_ID],
        ['missing', MISSING],
        ['null', null],
      ],
    },
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.REASSIGN,
      field: 'assigneeUnitId',
      bad: REQUIRED_ID,
      good: [['an upper-case UUID', UPPER_CASE_ID]],
    },
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.REASSIGN,
      field: 'assigneeUserId',
      bad: OPTIONAL_ID,
      good: [['an upper-case UUID', UPPER_CASE_ID]],
    },
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.REASSIGN,
      field: 'reason',
      bad: OPTIONAL_TEXT,
      good: OPTIONAL_TEXT_EDGE,
    },
    {
      where: 'accepted',
      stored: AT.accepted,
      event: VALID.RESOLVE,
      field: 'resolution',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.RESOLVE,
      field: 'resolution',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'accepted',
      stored: AT.accepted,
      event: VALID.HOLD,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.HOLD,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'accepted on hold',
      stored: AT.acceptedOnHold,
      event: VALID.RESUME,
      field: 'reason',
      bad: OPTIONAL_TEXT,
      good: OPTIONAL_TEXT_EDGE,
    },
    {
      where: 'assigned on hold',
      stored: AT.assignedOnHoldPendingExtension,
      event: VALID.RESUME,
      field: 'reason',
      bad: OPTIONAL_TEXT,
      good: OPTIONAL_TEXT_EDGE,
    },
    {
      where: 'accepted',
      stored: AT.accepted,
      event: VALID.REQUEST_EXTENSION,
      field: 'until',
      bad: [
        ['missing', MISSING],
        ['not a date', 'not a date'],
        ['empty', ''],
        ['a month 13', '2030-13-01'],
        ['a number', 1893456000000],
        ['null', null],
        ['a date without a time', '2030-01-31'],
        ['a day that does not exist', '2030-02-30T10:00:00Z'],
        ['a number in a string', '1'],
      ],
      good: [
        ['a UTC timestamp', '2030-01-31T16:00:00Z'],
        ['an offset timestamp', '2030-01-31T08:00:00+08:00'],
      ],
    },
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.REQUEST_EXTENSION,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'accepted, extension pending',
      stored: AT.acceptedPendingExtension,
      event: VALID.DECIDE_EXTENSION,
      field: 'approve',
      bad: [
        ['missing', MISSING],
        ['"yes"', 'yes'],
        ['"true"', 'true'],
        ['1', 1],
        ['0', 0],
        ['null', null],
      ],
      good: [
        ['true', true],
        ['false', false],
      ],
    },
    {
      where: 'assigned, extension pending',
      stored: AT.assignedOnHoldPendingExtension,
      event: VALID.DECIDE_EXTENSION,
      field: 'comment',
      bad: OPTIONAL_TEXT,
      good: OPTIONAL_TEXT_EDGE,
    },
    {
      where: 'resolved',
      stored: AT.resolvedFromAccepted,
      event: VALID.CONFIRM,
      field: 'rating',
      bad: [
        ['missing', MISSING],
        ['0', 0],
        ['6', 6],
        ['2.5', 2.5],
        ['-1', -1],
        ['"5"', '5'],
        ['NaN', Number.NaN],
        ['Infinity', Number.POSITIVE_INFINITY],
        ['null', null],
      ],
      good: [1, 2, 3, 4, 5].map((n) => [String(n), n] as const),
    },
    {
      where: 'resolved',
      stored: AT.resolvedFromAssigned,
      event: VALID.CONFIRM,
      field: 'comment',
      bad: OPTIONAL_TEXT,
      good: OPTIONAL_TEXT_EDGE,
    },
    {
      where: 'resolved from accepted',
      stored: AT.resolvedFromAccepted,
      event: VALID.DISPUTE,
      field: 'comment',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'resolved from assigned',
      stored: AT.resolvedFromAssigned,
      event: VALID.DISPUTE,
      field: 'comment',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'resolved',
      stored: AT.resolvedFromAccepted,
      event: VALID.CLOSE,
      field: 'note',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    {
      where: 'resolved',
      stored: AT.resolvedFromAccepted,
      event: VALID.CLOSE,
      field: 'satisfied',
      bad: [
        ['"yes"', 'yes'],
        ['1', 1],
        ['0', 0],
        ['"false"', 'false'],
      ],
      good: [
        ['true', true],
        ['false', false],
        ['null', null],
        ['missing', MISSING],
      ],
    },
    ...SCENARIOS.filter((s) => s.accepts.includes('WITHDRAW')).map((s): GuardCase => ({
      where: s.name,
      stored: s.stored,
      event: VALID.WITHDRAW,
      field: 'reason',
      bad: OPTIONAL_TEXT,
      good: OPTIONAL_TEXT_EDGE,
    })),
    ...[AT.submitted, AT.assigned, AT.closed, AT.rejected, AT.withdrawn].map(
      (stored): GuardCase => ({
        where: stored.state,
        stored,
        event: VALID.COMMENT,
        field: 'text',
        bad: REQUIRED_TEXT,
        good: TEXT_EDGE,
      }),
    ),
    {
      where: 'submitted',
      stored: AT.submitted,
      event: VALID.COMMENT,
      field: 'internal',
      bad: [
        ['"true"', 'true'],
        ['1', 1],
      ],
      good: [
        ['true', true],
        ['false', false],
        ['missing', MISSING],
      ],
    },
    ...(['ACCEPT', 'CONFIRM', 'FEEDBACK_TIMEOUT'] as const).map((type): GuardCase => ({
      where: type === 'ACCEPT' ? 'submitted' : 'resolved',
      stored: type === 'ACCEPT' ? AT.submitted : AT.resolvedFromAccepted,
      event: VALID[type],
      field: 'extra',
      bad: [
        ['an unknown field', 'x'],
        ['an unknown field set to false', false],
      ],
      good: [['missing', MISSING]],
    })),
    {
      where: 'rejected',
      stored: AT.rejected,
      event: VALID.REOPEN,
      field: 'reason',
      bad: REQUIRED_TEXT,
      good: TEXT_EDGE,
    },
    ...[AT.submitted, AT.accepted, AT.escalated, AT.assigned, AT.resolvedFromAccepted].map(
      (stored): GuardCase => ({
        where: stored.state,
        stored,
        event: VALID.DEADLINE_WARNING,
        field: 'clock',
        bad: CLOCK,
        good: ['accept', 'dispatch', 'resolve', 'feedback'].map((c) => [c, c] as const),
      }),
    ),
    {
      where: 'assigned',
      stored: AT.assigned,
      event: VALID.DEADLINE_WARNING,
      field: 'fraction',
      bad: [
        ['0', 0],
        ['negative', -0.5],
        ['"0.5"', '0.5'],
        ['NaN', Number.NaN],
        ['1 (the due time is a breach, not a warning)', 1],
        ['Infinity', Number.POSITIVE_INFINITY],
      ],
      good: [
        ['missing', MISSING],
        ['null (optional fields take null as absent)', null],
        ['0.8', 0.8],
      ],
    },
    ...[AT.submitted, AT.accepted, AT.escalated, AT.assigned].map((stored): GuardCase => ({
      where: stored.state,
      stored,
      event: VALID.DEADLINE_BREACHED,
      field: 'clock',
      bad: CLOCK,
      good: ['accept', 'dispatch', 'resolve', 'feedback'].map((c) => [c, c] as const),
    })),
  ];

  const rows = (pick: (c: GuardCase) => readonly Variant[]) =>
    CASES.flatMap((c) =>
      pick(c).map(
        ([label, value]) =>
          [
            `${c.event.type} in ${c.where} with ${c.field} ${label}`,
            c.stored,
            withField(c.event, c.field, value),
          ] as const,
      ),
    );

  it.each(CASES.map((c) => [`${c.event.type} in ${c.where}`, c.stored, c.event] as const))(
    'the well-formed %s is accepted',
    (_label, stored, event) => {
      expect(nextState(V, stored, event)).not.toBeNull();
    },
  );

  it.each(rows((c) => c.bad))('refuses %s', (_label, stored, event) => {
    expect(nextState(V, stored, event)).toBeNull();
  });

  it.each(rows((c) => c.good))('accepts %s', (_label, stored, event) => {
    expect(nextState(V, stored, event)).not.toBeNull();
  });

  it('a refused payload does not change acceptedEventTypes', () => {
    expect(sorted(acceptedEventTypes(V, AT.accepted))).toEqual(
      sorted(['ESCALATE', 'MERGE', 'HOLD', 'REQUEST_EXTENSION', 'PROPOSE_PLAN', ...WORKING_ALWAYS]),
    );
  });
});

describe('resident request machine: purity', () => {
  function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === 'object') {
      for (const inner of Object.values(value)) deepFreeze(inner);
      Object.freeze(value);
    }
    return value;
  }

  const pairs = SCENARIOS.flatMap((s) =>
    EVERY_EVENT_TYPE.map(
      (type) =>
        [
          `${type} in ${s.name}`,
          s.stored,
          validFor(s.stored, type),
          s.accepts.includes(type),
        ] as const,
    ),
  );

  it.each(pairs)(
    '%s neither mutates its input nor depends on earlier calls',
    (_label, stored, event, accepted) => {
      const storedCopy = structuredClone(stored);
      const eventCopy = structuredClone(event);
      const frozenStored = deepFreeze(structuredClone(stored));
      const frozenEvent = deepFreeze(structuredClone(event));

      const first = nextState(V, frozenStored, frozenEvent);
      const second = nextState(V, frozenStored, frozenEvent);
      const fromCopy = nextState(V, stored, event);

      expect(stored).toEqual(storedCopy);
      expect(event).toEqual(eventCopy);
      expect(frozenStored).toEqual(storedCopy);
      expect(first).toEqual(second);
      expect(first).toEqual(fromCopy);
      expect(first === null).toBe(!accepted);
    },
  );

  it('acceptedEventTypes does not mutate its input', () => {
    for (const { stored } of SCENARIOS) {
      const copy = structuredClone(stored);
      acceptedEventTypes(V, deepFreeze(structuredClone(stored)));
      acceptedEventTypes(V, stored);
      expect(stored).toEqual(copy);
    }
  });

  it('results survive a JSON round trip, as a stored row does', () => {
    let current = startRequest({ branchId: BRANCH });
    for (const event of [VALID.ACCEPT, VALID.HOLD, VALID.REQUEST_EXTENSION, VALID.ESCALATE]) {
      const direct = step(current, event);
      const viaJson = step(JSON.parse(JSON.stringify(current)) as MachineState, event);
      expect(viaJson).toEqual(direct);
      current = JSON.parse(JSON.stringify(direct)) as MachineState;
    }
    expect(current).toEqual(at('escalated', { escalationLevel: 1, holdCount: 1 }));
  });
});

describe('resident request machine: hold limit', () => {
  it.each(['accepted', 'assigned'] as const)(
    'refuses a HOLD in %s once MAX_HOLDS were used',
    (state) => {
      const base =
        state === 'assigned'
          ? { assigneeUnitId: 'a1000000-0000-4000-8000-000000000001', escalationLevel: 1 }
          : {};
      expect(nextState(V, at(state, { ...base, holdCount: MAX_HOLDS }), VALID.HOLD)).toBeNull();
      expect(
        acceptedEventTypes(V, at(state, { ...base, holdCount: MAX_HOLDS })).includes('HOLD'),
      ).toBe(false);
      expect(
        nextState(V, at(state, { ...base, holdCount: MAX_HOLDS - 1 }), VALID.HOLD),
      ).toMatchObject({
        context: { onHold: true, holdCount: MAX_HOLDS },
      });
    },
  );
});

describe('resident request machine: why a state refuses a well-formed event', () => {
  const WATER = 'a1000000-0000-4000-8000-000000000001';
  it.each([
    [
      'RETURN to its own branch',
      AT.submitted,
      { ...VALID.RETURN, branchId: BRANCH },
      'alreadyAtBranch',
    ],
    ['HOLD while on hold', AT.acceptedOnHold, VALID.HOLD, 'alreadyOnHold'],
    [
      'HOLD with no holds left',
      at('accepted', { holdCount: MAX_HOLDS }),
      VALID.HOLD,
      'holdLimitReached',
    ],
    [
      'HOLD while on hold with no holds left (on hold is said first)',
      at('assigned', { assigneeUnitId: WATER, onHold: true, holdCount: MAX_HOLDS }),
      VALID.HOLD,
      'alreadyOnHold',
    ],
    ['RESUME while not on hold', AT.accepted, VALID.RESUME, 'notOnHold'],
    [
      'REQUEST_EXTENSION while one is pending',
      AT.acceptedPendingExtension,
      VALID.REQUEST_EXTENSION,
      'extensionPending',
    ],
    [
      'DECIDE_EXTENSION with nothing pending',
      AT.assigned,
      VALID.DECIDE_EXTENSION,
      'noPendingExtension',
    ],
    ['PROPOSE_PLAN while on hold', AT.acceptedOnHold, VALID.PROPOSE_PLAN, 'alreadyOnHold'],
    [
      'PROPOSE_PLAN while an extension is pending',
      AT.acceptedPendingExtension,
      VALID.PROPOSE_PLAN,
      'extensionPending',
    ],
    [
      'PROPOSE_PLAN while one is pending',
      AT.acceptedPendingPlan,
      VALID.PROPOSE_PLAN,
      'planPending',
    ],
    ['PROPOSE_PLAN while a plan runs', AT.acceptedOnPlan, VALID.PROPOSE_PLAN, 'planRunning'],
    ['HOLD while a plan is pending', AT.acceptedPendingPlan, VALID.HOLD, 'planPending'],
    ['HOLD while a plan runs', AT.acceptedOnPlan, VALID.HOLD, 'planRunning'],
    [
      'REQUEST_EXTENSION while a plan runs',
      AT.assignedOnLastMilestone,
      VALID.REQUEST_EXTENSION,
      'planRunning',
    ],
    ['RESOLVE while a plan runs', AT.assignedOnLastMilestone, VALID.RESOLVE, 'planRunning'],
    ['DECIDE_PLAN with nothing pending', AT.acceptedOnPlan, VALID.DECIDE_PLAN, 'noPendingPlan'],
    ['MILESTONE_DONE without a plan', AT.accepted, VALID.MILESTONE_DONE, 'noPlanRunning'],
    [
      'MILESTONE_DONE once every milestone is done',
      AT.acceptedPlanDone,
      { type: 'MILESTONE_DONE', milestone: 3, note: 'again' },
      'noPlanRunning',
    ],
    [
      'MILESTONE_DONE of a milestone not next',
      AT.assignedOnLastMilestone,
      VALID.MILESTONE_DONE,
      'notNextMilestone',
    ],
  ] as const)('%s: %s', (_what, stored, event, refusal) => {
    expect(nextState(V, stored, event)).toBeNull();
    expect(refusalOf(V, stored, event)).toBe(refusal);
  });

  it.each([
    ['a state that does not take the type at all', AT.submitted, VALID.RESUME],
    ['HOLD in a terminal state', AT.closed, VALID.HOLD],
    ['DECIDE_EXTENSION while submitted', AT.submitted, VALID.DECIDE_EXTENSION],
    ['an event the state takes', AT.accepted, VALID.HOLD],
  ] as const)('answers null for %s', (_what, stored, event) => {
    expect(refusalOf(V, stored, event)).toBeNull();
  });
});

describe('resident request machine: milestone plans', () => {
  it.each([
    ['accepted', AT.accepted],
    ['assigned', AT.assigned],
  ] as const)('in %s: propose, approve, then each milestone in order', (state, stored) => {
    const proposed = step(stored, VALID.PROPOSE_PLAN);
    expect(proposed).toEqual({ state, context: { ...stored.context, planRequested: PROPOSAL } });
    const approved = step(proposed, { type: 'DECIDE_PLAN', approve: true });
    expect(approved).toEqual({ state, context: { ...stored.context, ...RUNNING(0) } });
    const first = step(approved, VALID.MILESTONE_DONE);
    expect(first.context.plan).toEqual({ milestones: MILESTONES, done: 1 });
    // Named by number: the first again is refused, not taken for the second.
    expect(nextState(V, first, VALID.MILESTONE_DONE)).toBeNull();
    const second = step(first, { type: 'MILESTONE_DONE', milestone: 2, note: 'tendered' });
    const last = step(second, { type: 'MILESTONE_DONE', milestone: 3, note: 'road open' });
    expect(last).toEqual({ state, context: { ...stored.context, ...RUNNING(3) } });
    expect(nextState(V, last, VALID.RESOLVE)?.state).toBe('resolved');
  });

  it('a refused plan leaves none, and takes a new proposal', () => {
    const proposed = step(AT.accepted, VALID.PROPOSE_PLAN);
    const refused = step(proposed, { type: 'DECIDE_PLAN', approve: false, reason: 'too long' });
    expect(refused).toEqual(AT.accepted);
    expect(nextState(V, refused, VALID.PROPOSE_PLAN)).not.toBeNull();
  });

  it('DECIDE_PLAN refusing without a reason is refused by its payload', () => {
    const proposed = step(AT.accepted, VALID.PROPOSE_PLAN);
    expect(nextState(V, proposed, { type: 'DECIDE_PLAN', approve: false })).toBeNull();
  });

  it('a plan approved after a finished one replaces it', () => {
    const proposed = step(AT.acceptedPlanDone, VALID.PROPOSE_PLAN);
    expect(step(proposed, VALID.DECIDE_PLAN).context.plan).toEqual({
      milestones: MILESTONES,
      done: 0,
    });
  });

  it('escalation and dispatch drop a proposed plan but keep the approved one', () => {
    expect(step(AT.acceptedPendingPlan, VALID.ESCALATE).context.planRequested).toBeNull();
    const escalated = step(AT.acceptedOnPlan, VALID.DEADLINE_BREACHED);
    expect(escalated).toEqual(at('escalated', { escalationLevel: 1, ...RUNNING(0) }));
    const assigned = step(escalated, VALID.ASSIGN);
    expect(assigned.context.plan).toEqual(RUNNING(0).plan);
    expect(nextState(V, assigned, VALID.MILESTONE_DONE)).not.toBeNull();
  });

  it('a plan proposal keeps only names and due times', () => {
    const event = {
      ...VALID.PROPOSE_PLAN,
      milestones: [{ name: 'x', due: '2030-01-31T09:30:00Z', budget: 5 }],
    } as unknown as EventOf<'PROPOSE_PLAN'>;
    expect(nextState(V, AT.accepted, event)).toBeNull();
  });
});
