import {
  effectsOf,
  followingStep,
  type EffectEvent,
  type MachineState,
  nextState,
  ruleFor,
  SAMPLE_EVENTS,
  startRequest,
  type ResidentRequestEvent,
  type Sender,
  TRANSITION_EFFECTS,
  USER_EVENT_TYPES,
} from '../../workflows';

/** Every step the machine can take is covered by a declared rule; a few steps checked in full. */

const SYSTEM = new Set(['DEADLINE_WARNING', 'DEADLINE_BREACHED', 'FEEDBACK_TIMEOUT']);
const sender = (e: ResidentRequestEvent): Sender[] =>
  SYSTEM.has(e.type) ? ['system'] : e.type === 'COMMENT' ? ['resident', 'staff'] : ['staff'];

/** Every stored state reachable in a few steps from a new request, breadth first. */
function reachable(depth: number): MachineState[] {
  let frontier = [startRequest({ branchId: 'ba000000-0000-4000-8000-00000000000a' })];
  const seen = new Map(frontier.map((m) => [JSON.stringify(m), m]));
  for (let d = 0; d < depth; d++) {
    frontier = frontier
      .flatMap((m) => SAMPLE_EVENTS.map((e) => nextState(1, m, e)))
      .filter((m): m is MachineState => m !== null && !seen.has(JSON.stringify(m)));
    for (const m of frontier) seen.set(JSON.stringify(m), m);
  }
  return [...seen.values()];
}
const snapshots = reachable(6);

const steps = snapshots.flatMap((stored) =>
  SAMPLE_EVENTS.flatMap((event) => {
    const next = nextState(1, stored, event);
    if (!next) return [];
    return sender(event).map((by) => ({ event, from: stored.state, to: next.state, by }));
  }),
);

describe('transition effects', () => {
  it('walks a good share of the machine', () => {
    expect(snapshots.length).toBeGreaterThan(20);
    expect(new Set(steps.map((s) => s.event.type)).size).toBe(
      new Set(SAMPLE_EVENTS.map((e) => e.type)).size,
    );
  });

  it('declares a rule for every step the machine can take', () => {
    const missing = steps
      .filter((s) => !ruleFor(s))
      .map((s) => `${s.event.type} ${s.from}→${s.to} by ${s.by}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('declares every event type and creation', () => {
    for (const type of [...USER_EVENT_TYPES, ...SYSTEM, 'CREATE'] as EffectEvent[]) {
      expect(TRANSITION_EFFECTS[type].length).toBeGreaterThan(0);
    }
  });

  it('tells the resident of every step of their request that a person took', () => {
    const toResident = [
      'ACCEPT',
      'REJECT',
      'RETURN',
      'ASSIGN',
      'REASSIGN',
      'RESOLVE',
      'HOLD',
      'RESUME',
      'MILESTONE_DONE',
      'FEEDBACK_TIMEOUT',
    ];
    for (const s of steps.filter((x) => toResident.includes(x.event.type))) {
      expect(effectsOf(s).notify.map((n) => n.to)).toContain('resident');
    }
  });

  it('sends the work of a dispute back to whoever resolved it, with the time left', () => {
    for (const to of ['accepted', 'assigned'] as const) {
      const e = effectsOf({
        event: { type: 'DISPUTE', comment: 'c' },
        from: 'resolved',
        to,
        by: 'resident',
      });
      expect(e.owner).toBe(to === 'accepted' ? 'branch' : 'assignee');
      expect(e.clocks).toEqual([
        { op: 'stop', clock: 'feedback' },
        { op: 'continue', clock: 'resolve' },
      ]);
      expect(e.notify).toEqual([{ to: 'resolver', message: 'disputed' }]);
    }
  });

  it('keeps every clock running when a request is returned to another branch', () => {
    const e = effectsOf({
      event: { type: 'RETURN', reason: 'r', branchId: 'bb000000-0000-4000-8000-00000000000b' },
      from: 'submitted',
      to: 'submitted',
      by: 'staff',
    });
    expect(e.clocks).toEqual([]);
    expect(e.owner).toBe('branch');
  });

  it('moves the resolve clock only for an approved extension', () => {
    const step = (approve: boolean) =>
      effectsOf({
        event: { type: 'DECIDE_EXTENSION', approve },
        from: 'assigned',
        to: 'assigned',
        by: 'staff',
      });
    expect(step(true).clocks).toEqual([{ op: 'extend', clock: 'resolve' }]);
    expect(step(false).clocks).toEqual([]);
  });

  it('an approved plan moves the resolve clock to its end and starts the first milestone’s clock', () => {
    const step = (event: ResidentRequestEvent) =>
      effectsOf({ event, from: 'accepted', to: 'accepted', by: 'staff' });
    expect(step({ type: 'DECIDE_PLAN', approve: true })).toEqual({
      owner: 'unchanged',
      clocks: [
        { op: 'followPlan', clock: 'resolve' },
        { op: 'nextMilestone', clock: 'milestone' },
      ],
      notify: [
        { to: 'holders', message: 'plan_decided' },
        { to: 'resident', message: 'plan_approved' },
      ],
    });
    expect(step({ type: 'DECIDE_PLAN', approve: false, reason: 'r' }).clocks).toEqual([]);
    expect(step({ type: 'PROPOSE_PLAN', milestones: [], reason: 'r' }).notify).toEqual([
      { to: 'supervisors', message: 'plan_proposed' },
    ]);
    expect(step({ type: 'MILESTONE_DONE', milestone: 1, note: 'n' }).clocks).toEqual([
      { op: 'nextMilestone', clock: 'milestone' },
    ]);
  });

  it('the last milestone done brings a RESOLVE with its note; an earlier one nothing', () => {
    const milestones = [
      { name: 'a', due: '2030-01-31T16:00:00Z' },
      { name: 'b', due: '2030-02-28T16:00:00Z' },
    ];
    const context = startRequest({ branchId: 'ba000000-0000-4000-8000-00000000000a' }).context;
    const done = (n: number) => ({ ...context, plan: { milestones, done: n } });
    const event = { type: 'MILESTONE_DONE', milestone: 2, note: '已竣工' } as const;
    expect(followingStep(event, done(2))).toEqual({ type: 'RESOLVE', resolution: '已竣工' });
    expect(followingStep({ ...event, milestone: 1 }, done(1))).toBeNull();
    expect(followingStep({ type: 'RESOLVE', resolution: 'r' }, done(2))).toBeNull();
  });

  it('tells the resident nothing of an internal note, and the holders of the resident’s comment', () => {
    const comment = (by: Sender, internal?: boolean) =>
      effectsOf({
        event: { type: 'COMMENT', text: 't', ...(internal ? { internal } : {}) },
        from: 'accepted',
        to: 'accepted',
        by,
      }).notify;
    expect(comment('staff')).toEqual([{ to: 'resident', message: 'comment' }]);
    expect(comment('staff', true)).toEqual([]);
    expect(comment('resident')).toEqual([{ to: 'holders', message: 'comment' }]);
  });

  it('starts the accept and resolve clocks at creation, and tells the resident when staff recorded it', () => {
    const created = (by: Sender) =>
      effectsOf({ event: { type: 'CREATE' }, from: null, to: 'submitted', by });
    expect(created('resident').clocks).toEqual([
      { op: 'start', clock: 'accept' },
      { op: 'start', clock: 'resolve' },
    ]);
    expect(created('resident').notify.map((n) => n.to)).toEqual(['holders']);
    expect(created('staff').notify.map((n) => n.to)).toEqual(['holders', 'resident']);
  });
});
