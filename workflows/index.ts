import { initialTransition, transition } from 'xstate';
import {
  ALL_EVENT_TYPES,
  RESIDENT_REQUEST_MACHINE_VERSION,
  residentRequestMachine,
  stateRefusal,
  type RequestEventType,
  type RequestState,
  type ResidentRequestContext,
  type ResidentRequestEvent,
  type ResidentRequestInput,
  type ResidentRequestMachine,
  type StateRefusal,
} from './resident-request.machine';

export * from './resident-request.effects';
export * from './resident-request.machine';
export * from './resident-request.payloads';
export * from './resident-request.plan';
export * from './resident-request.samples';

/**
 * Every machine version a stored request may run on. A request keeps the version it was created
 * with; a new version is added here next to the old ones, never in place of them.
 */
const MACHINES: Readonly<Record<number, ResidentRequestMachine>> = {
  [RESIDENT_REQUEST_MACHINE_VERSION]: residentRequestMachine,
};

export const CURRENT_MACHINE_VERSION = RESIDENT_REQUEST_MACHINE_VERSION;

export interface MachineState {
  state: RequestState;
  context: ResidentRequestContext;
}

function machineFor(version: number): ResidentRequestMachine {
  const machine = MACHINES[version];
  if (!machine) throw new Error(`Unknown resident request machine version ${version}`);
  return machine;
}

function snapshotOf(version: number, stored: MachineState) {
  return machineFor(version).resolveState({ value: stored.state, context: stored.context });
}

export function startRequest(input: ResidentRequestInput): MachineState {
  const [snapshot] = initialTransition(machineFor(CURRENT_MACHINE_VERSION), input);
  return { state: snapshot.value, context: snapshot.context };
}

/** The next state, or null when the state (or the event's payload) does not allow the event. */
export function nextState(
  version: number,
  stored: MachineState,
  event: ResidentRequestEvent,
): MachineState | null {
  const machine = machineFor(version);
  const snapshot = snapshotOf(version, stored);
  if (!snapshot.can(event)) return null;
  const [next] = transition(machine, snapshot, event);
  return { state: next.value, context: structuredClone(next.context) };
}

/**
 * Why the state refuses an event whose payload keeps its declaration: a rule of the context
 * (on hold already, no extension pending, …), or null when the state does not take this event
 * type at all (or takes it).
 */
export function refusalOf(
  version: number,
  stored: MachineState,
  event: ResidentRequestEvent,
): StateRefusal | null {
  const machine = machineFor(version);
  const node = machine.root.states[stored.state];
  const handled = event.type in node.on || event.type in machine.root.on;
  return handled ? stateRefusal(stored.context, event) : null;
}

/** An id no unit has: a RETURN probe to it is never refused for being the request's own branch. */
const NOWHERE = '00000000-0000-0000-0000-000000000000';

/**
 * One well-formed example of each event. The machine's guard judges the payload and the context
 * together; probing with a valid payload leaves only the context, so this answers "which events
 * does this state accept" from the machine itself rather than from a copy of its table.
 */
const PROBES: Record<Exclude<RequestEventType, 'MILESTONE_DONE'>, ResidentRequestEvent> = {
  ACCEPT: { type: 'ACCEPT' },
  REJECT: { type: 'REJECT', reason: 'probe' },
  RETURN: { type: 'RETURN', reason: 'probe', branchId: NOWHERE },
  ESCALATE: { type: 'ESCALATE', reason: 'probe' },
  ASSIGN: { type: 'ASSIGN', assigneeUnitId: NOWHERE },
  REASSIGN: { type: 'REASSIGN', assigneeUnitId: NOWHERE },
  RESOLVE: { type: 'RESOLVE', resolution: 'probe' },
  HOLD: { type: 'HOLD', reason: 'probe' },
  RESUME: { type: 'RESUME' },
  REQUEST_EXTENSION: {
    type: 'REQUEST_EXTENSION',
    until: '2000-01-01T00:00:00Z',
    reason: 'probe',
  },
  DECIDE_EXTENSION: { type: 'DECIDE_EXTENSION', approve: true },
  CONFIRM: { type: 'CONFIRM', rating: 5 },
  DISPUTE: { type: 'DISPUTE', comment: 'probe' },
  CLOSE: { type: 'CLOSE', note: 'probe' },
  WITHDRAW: { type: 'WITHDRAW' },
  COMMENT: { type: 'COMMENT', text: 'probe' },
  REOPEN: { type: 'REOPEN', reason: 'probe' },
  PROPOSE_PLAN: {
    type: 'PROPOSE_PLAN',
    milestones: [{ name: 'probe', due: '2000-01-01T00:00:00Z' }],
    reason: 'probe',
  },
  DECIDE_PLAN: { type: 'DECIDE_PLAN', approve: true },
  DEADLINE_WARNING: { type: 'DEADLINE_WARNING', clock: 'resolve' },
  DEADLINE_BREACHED: { type: 'DEADLINE_BREACHED', clock: 'resolve' },
  FEEDBACK_TIMEOUT: { type: 'FEEDBACK_TIMEOUT' },
  MERGE: { type: 'MERGE', intoRequestId: NOWHERE },
};

/** The probe of an event type; a milestone is probed as the next one of the plan. */
function probe(type: RequestEventType, context: ResidentRequestContext): ResidentRequestEvent {
  if (type !== 'MILESTONE_DONE') return PROBES[type];
  return { type, milestone: (context.plan?.done ?? 0) + 1, note: 'probe' };
}

/** The event types the state accepts, before any role or scope check. */
export function acceptedEventTypes(version: number, stored: MachineState): RequestEventType[] {
  const snapshot = snapshotOf(version, stored);
  return ALL_EVENT_TYPES.filter((type) => snapshot.can(probe(type, stored.context)));
}

export function isTerminal(state: RequestState): boolean {
  return state === 'closed' || state === 'rejected' || state === 'withdrawn';
}
