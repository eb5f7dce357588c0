import { getShortestPaths, getSimplePaths, type StatePath } from '@xstate/graph';
import {
  CURRENT_MACHINE_VERSION,
  REQUEST_STATES,
  nextState,
  residentRequestMachine,
  startRequest,
  type MachineState,
  type RequestEventType,
  type RequestState,
  type ResidentRequestEvent,
} from '../../workflows';

/**
 * Paths generated from the machine with @xstate/graph, replayed through the engine's `nextState`
 * starting from `startRequest`, the way the service steps a stored request.
 */

const V = CURRENT_MACHINE_VERSION;
const INPUT = { branchId: 'ba000000-0000-4000-8000-00000000000a' };

/**
 * Representative events: one or two well-formed events of each type, plus a few malformed ones that
 * the machine must ignore (a refused event leaves the snapshot as it was, so it adds no vertex).
 */
const EVENTS: readonly ResidentRequestEvent[] = [
  { type: 'ACCEPT' },
  { type: 'REJECT', reason: 'not a public matter' },
  { type: 'REJECT', reason: '   ' },
  { type: 'RETURN', reason: 'wrong branch', branchId: 'bb000000-0000-4000-8000-00000000000b' },
  { type: 'ESCALATE', reason: 'needs the town' },
  {
    type: 'ASSIGN',
    assigneeUnitId: 'a1000000-0000-4000-8000-000000000001',
    assigneeUserId: 'c7000000-0000-4000-8000-000000000007',
  },
  { type: 'ASSIGN', assigneeUnitId: '' },
  { type: 'REASSIGN', assigneeUnitId: 'a2000000-0000-4000-8000-000000000002' },
  { type: 'RESOLVE', resolution: 'pipe repaired' },
  { type: 'HOLD', reason: 'waiting for the resident' },
  { type: 'RESUME' },
  { type: 'REQUEST_EXTENSION', until: '2030-01-31T16:00:00Z', reason: 'spare part' },
  { type: 'REQUEST_EXTENSION', until: 'not a date', reason: 'spare part' },
  { type: 'DECIDE_EXTENSION', approve: false },
  { type: 'CONFIRM', rating: 5 },
  { type: 'CONFIRM', rating: 1 },
  { type: 'CONFIRM', rating: 0 },
  { type: 'DISPUTE', comment: 'still leaking' },
  { type: 'CLOSE', note: 'called back', satisfied: false },
  { type: 'CLOSE', note: 'no answer' },
  { type: 'WITHDRAW' },
  { type: 'COMMENT', text: 'any news?' },
  { type: 'REOPEN', reason: 'rejected by mistake' },
  { type: 'DEADLINE_WARNING', clock: 'resolve', fraction: 0.8 },
  { type: 'DEADLINE_BREACHED', clock: 'resolve' },
  { type: 'DEADLINE_BREACHED', clock: 'bogus' } as unknown as ResidentRequestEvent,
  { type: 'FEEDBACK_TIMEOUT' },
];

type Snapshot = ReturnType<typeof residentRequestMachine.transition>;
type Path = StatePath<Snapshot, ResidentRequestEvent>;

/** Detours: returns, holds, reopens, escalations past the first level and reassignments. */
function detours(snapshot: Snapshot): number {
  const c = snapshot.context;
  return (
    c.returnCount +
    c.holdCount +
    c.reopenCount +
    Math.max(0, c.escalationLevel - 1) +
    (c.assigneeUnitId === 'a2000000-0000-4000-8000-000000000002' ? 1 : 0)
  );
}

/**
 * The events offered in a snapshot for shortest paths: all of EVENTS, but at most one detour per
 * path. Every transition is still offered from a context without detours, and the set of exact
 * contexts stays small (about a hundred), so the default, lossless serializer can be used.
 */
function boundedEvents(snapshot: Snapshot): readonly ResidentRequestEvent[] {
  const budgetLeft = detours(snapshot) < 1;
  return EVENTS.filter((event) => {
    switch (event.type) {
      case 'RETURN':
      case 'HOLD':
      case 'DISPUTE':
      case 'REOPEN':
      case 'REASSIGN':
        return budgetLeft;
      case 'DEADLINE_BREACHED':
        return budgetLeft || snapshot.context.escalationLevel === 0;
      default:
        return true;
    }
  });
}

/**
 * Simple paths multiply quickly, so they run on the main line only: no returns, holds or extensions.
 * Their vertices are keyed by the state and `resolvedFrom`, which with these events are the only
 * things any guard reads (the request never changes branch, goes on hold or has an extension
 * pending), so every event sequence found is valid from the real start. The graph keeps one
 * representative snapshot per key, so a simple path's steps are checked through this key only.
 */
const MAIN_LINE_EVENTS = EVENTS.filter(
  (event) =>
    !['RETURN', 'HOLD', 'RESUME', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION'].includes(event.type),
);

function mainLineKey(stored: MachineState): string {
  return JSON.stringify([stored.state, stored.context.resolvedFrom]);
}

function toStored(snapshot: Snapshot): MachineState {
  return { state: snapshot.value, context: snapshot.context };
}

/**
 * Replays a generated path through `nextState` from `startRequest`, checking every step's result
 * against the graph's snapshot as seen through `view`.
 */
function replay(path: Path, view: (stored: MachineState) => unknown): MachineState {
  const [init, ...steps] = path.steps;
  expect((init.event as { type: string }).type).toBe('xstate.init');
  let current = startRequest(INPUT);
  expect(view(current)).toEqual(view(toStored(init.state)));
  for (const { event, state } of steps) {
    const next = nextState(V, current, event);
    if (next === null) throw new Error(`${event.type} was refused in ${current.state}`);
    expect(view(next)).toEqual(view(toStored(state)));
    current = next;
  }
  return current;
}

const exact = (stored: MachineState): MachineState => stored;

/** Accepted event types per state, over all contexts: written out by hand, not taken from the machine. */
const EXPECTED_EDGES: Record<RequestState, readonly RequestEventType[]> = {
  submitted: [
    'ACCEPT',
    'REJECT',
    'RETURN',
    'WITHDRAW',
    'COMMENT',
    'DEADLINE_WARNING',
    'DEADLINE_BREACHED',
  ],
  accepted: [
    'ESCALATE',
    'RESOLVE',
    'HOLD',
    'RESUME',
    'REQUEST_EXTENSION',
    'DECIDE_EXTENSION',
    'WITHDRAW',
    'COMMENT',
    'DEADLINE_WARNING',
    'DEADLINE_BREACHED',
  ],
  escalated: ['ASSIGN', 'WITHDRAW', 'COMMENT', 'DEADLINE_WARNING', 'DEADLINE_BREACHED'],
  assigned: [
    'REASSIGN',
    'RESOLVE',
    'HOLD',
    'RESUME',
    'REQUEST_EXTENSION',
    'DECIDE_EXTENSION',
    'WITHDRAW',
    'COMMENT',
    'DEADLINE_WARNING',
    'DEADLINE_BREACHED',
  ],
  resolved: [
    'CONFIRM',
    'DISPUTE',
    'CLOSE',
    'WITHDRAW',
    'COMMENT',
    'DEADLINE_WARNING',
    'FEEDBACK_TIMEOUT',
  ],
  closed: ['COMMENT'],
  rejected: ['REOPEN', 'COMMENT'],
  withdrawn: ['COMMENT'],
};

describe('resident request machine: generated paths', () => {
  const shortest = getShortestPaths(residentRequestMachine, {
    input: INPUT,
    events: boundedEvents,
    limit: 20_000,
  });
  const simple = getSimplePaths(residentRequestMachine, {
    input: INPUT,
    events: MAIN_LINE_EVENTS,
    serializeState: (snapshot) => mainLineKey(toStored(snapshot)),
    limit: 20_000,
  });

  it('generates a bounded set of paths', () => {
    expect(shortest.length).toBeGreaterThan(REQUEST_STATES.length);
    expect(shortest.length).toBeLessThan(500);
    expect(simple.length).toBeGreaterThan(REQUEST_STATES.length);
    expect(simple.length).toBeLessThan(500);
  });

  it.each([
    ['shortest', shortest],
    ['simple', simple],
  ] as const)('%s paths reach every state of REQUEST_STATES', (_kind, paths) => {
    const reached = new Set(paths.map((path) => path.state.value));
    expect([...reached].sort()).toEqual([...REQUEST_STATES].sort());
  });

  it('shortest paths reach every outcome of a closed request', () => {
    const outcomes = new Set(
      shortest.filter((p) => p.state.value === 'closed').map((p) => p.state.context.outcome),
    );
    expect([...outcomes].sort()).toEqual(['dissatisfied', 'no_feedback', 'satisfied', 'unknown']);
  });

  it('shortest paths reach the contexts that only detours reach', () => {
    const has = (value: RequestState, check: (c: Path['state']['context']) => boolean) =>
      shortest.some((p) => p.state.value === value && check(p.state.context));
    expect(has('assigned', (c) => c.onHold && c.extensionRequested !== null)).toBe(true);
    expect(has('assigned', (c) => c.reopenCount === 1)).toBe(true);
    expect(has('accepted', (c) => c.reopenCount === 1 && c.resolvedFrom === 'accepted')).toBe(true);
    expect(has('escalated', (c) => c.escalationLevel === 2)).toBe(true);
    expect(has('escalated', (c) => c.reopenCount === 1 && c.escalationLevel === 1)).toBe(true);
    expect(
      has(
        'submitted',
        (c) => c.branchId === 'bb000000-0000-4000-8000-00000000000b' && c.returnCount === 1,
      ),
    ).toBe(true);
    expect(has('withdrawn', (c) => c.holdCount === 1 && c.resolvedFrom === 'assigned')).toBe(true);
  });

  it.each([...REQUEST_STATES])(
    'every shortest path to %s replays exactly through nextState',
    (target) => {
      const paths = shortest.filter((path) => path.state.value === target);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        expect(replay(path, exact)).toEqual(toStored(path.state));
        expect(path.weight).toBe(path.steps.length - 1);
      }
    },
  );

  it('every simple path replays through nextState to its final state', () => {
    for (const path of simple) {
      const end = replay(path, mainLineKey);
      expect(mainLineKey(end)).toBe(mainLineKey(toStored(path.state)));
    }
  });

  it('the graph takes exactly the expected event types in each state', () => {
    // Each vertex of the graph is the end of exactly one shortest path.
    const seen = Object.fromEntries(
      REQUEST_STATES.map((state) => [state, new Set<RequestEventType>()]),
    ) as Record<RequestState, Set<RequestEventType>>;
    for (const { state: snapshot } of shortest) {
      const stored = toStored(snapshot);
      for (const event of boundedEvents(snapshot)) {
        if (nextState(V, stored, event) !== null) seen[stored.state].add(event.type);
      }
    }
    for (const state of REQUEST_STATES) {
      expect({ state, types: [...seen[state]].sort() }).toEqual({
        state,
        types: [...EXPECTED_EDGES[state]].sort(),
      });
    }
  });
});
