import {
  ALL_EVENT_TYPES,
  REQUEST_STATES,
  type RequestEventType,
  type RequestState,
} from '../../workflows';
import type { Actor, Role } from '../../src/common/auth/role';
import { canSee, permission, type Permission } from '../../src/modules/requests/request-policy';

/**
 * The permission policy as a table: every caller (by role and relation to the request) × every
 * state × every event. The machine decides what a state allows; this decides who may ask.
 */
const COUNTY = '/county/';
const TOWN = `${COUNTY}town/`;
const OTHER_TOWN = `${COUNTY}town-2/`;
const BRANCH = `${TOWN}branch/`;

const request = (state: RequestState) => ({
  state,
  context: {} as never,
  residentId: 'resident',
  branchId: 'branch',
  townId: 'town',
  assigneeUnitId: state === 'assigned' || state === 'resolved' ? 'dept' : null,
  assigneeUserId: state === 'assigned' || state === 'resolved' ? 'cadre' : null,
  unitPath: BRANCH,
});

const actor = (id: string, role: Role, unitId: string, unitPath: string): Actor => ({
  id,
  username: id,
  role,
  unitId,
  unitPath,
  displayName: id,
  phone: null,
});

const CALLERS = {
  ownResident: actor('resident', 'resident', 'branch', BRANCH),
  otherResident: actor('resident-2', 'resident', 'branch', BRANCH),
  branchSecretary: actor('secretary', 'secretary', 'branch', BRANCH),
  otherSecretary: actor('secretary-2', 'secretary', 'branch-2', `${TOWN}branch-2/`),
  townDispatcher: actor('dispatcher', 'dispatcher', 'town', TOWN),
  otherDispatcher: actor('dispatcher-2', 'dispatcher', 'town-2', OTHER_TOWN),
  namedCadre: actor('cadre', 'assignee', 'dept', `${TOWN}dept/`),
  cadreColleague: actor('colleague', 'assignee', 'dept', `${TOWN}dept/`),
  townSupervisor: actor('town-sup', 'supervisor', 'town', TOWN),
  countySupervisor: actor('county-sup', 'supervisor', 'county', COUNTY),
  otherSupervisor: actor('other-sup', 'supervisor', 'town-2', OTHER_TOWN),
  admin: actor('admin', 'admin', 'county', COUNTY),
} as const;
type Caller = keyof typeof CALLERS;

const SUPERVISORS: Caller[] = ['townSupervisor', 'countySupervisor'];
const OWNER_WORK = [
  'RESOLVE',
  'HOLD',
  'RESUME',
  'REQUEST_EXTENSION',
  'PROPOSE_PLAN',
  'MILESTONE_DONE',
] as const;

/** Who may send each event in any state, besides the owner's work below. */
const ALLOWED: Record<Exclude<RequestEventType, (typeof OWNER_WORK)[number]>, Caller[]> = {
  ACCEPT: ['branchSecretary'],
  REJECT: ['branchSecretary'],
  RETURN: ['branchSecretary'],
  ESCALATE: ['branchSecretary'],
  CLOSE: ['branchSecretary'],
  ASSIGN: ['townDispatcher', ...SUPERVISORS],
  REASSIGN: ['townDispatcher', ...SUPERVISORS],
  DECIDE_EXTENSION: SUPERVISORS,
  DECIDE_PLAN: SUPERVISORS,
  REOPEN: SUPERVISORS,
  CONFIRM: ['ownResident'],
  DISPUTE: ['ownResident'],
  WITHDRAW: ['ownResident'],
  COMMENT: ['ownResident', 'branchSecretary', 'townDispatcher', ...SUPERVISORS, 'admin'],
  DEADLINE_WARNING: [],
  DEADLINE_BREACHED: [],
  FEEDBACK_TIMEOUT: [],
  MERGE: ['branchSecretary'],
};

/**
 * The owner's work: the named cadre holds an assigned request, the branch secretary an accepted
 * one; in other states either may act if the request is theirs (the machine then refuses what
 * the state does not allow).
 * Everyone else is refused outright.
 */
function ownerWork(state: RequestState, caller: Caller): Permission {
  const holds: Record<string, Caller[]> = {
    assigned: ['namedCadre'],
    accepted: ['branchSecretary'],
  };
  if (caller !== 'branchSecretary' && caller !== 'namedCadre') return 'forbidden';
  if (caller === 'namedCadre' && request(state).assigneeUserId !== 'cadre') return 'forbidden';
  return (holds[state] ?? ['branchSecretary', 'namedCadre']).includes(caller)
    ? 'allowed'
    : 'not_owner';
}

function expected(event: RequestEventType, state: RequestState, caller: Caller): Permission {
  if ((OWNER_WORK as readonly string[]).includes(event)) return ownerWork(state, caller);
  const allowed = ALLOWED[event as keyof typeof ALLOWED];
  if (event === 'COMMENT' && caller === 'namedCadre') {
    return request(state).assigneeUserId === 'cadre' ? 'allowed' : 'forbidden';
  }
  if (event === 'COMMENT' && caller === 'cadreColleague') {
    return request(state).assigneeUnitId === 'dept' ? 'allowed' : 'forbidden';
  }
  // A closed request is rated only through a merged duplicate's feedback link.
  if (event === 'CONFIRM' && state === 'closed') return 'forbidden';
  return allowed.includes(caller) ? 'allowed' : 'forbidden';
}

const cases = REQUEST_STATES.flatMap((state) =>
  ALL_EVENT_TYPES.flatMap((event) =>
    (Object.keys(CALLERS) as Caller[]).map((caller) => [state, event, caller] as const),
  ),
);

describe('permission policy: role × state × event', () => {
  it('covers every state, event and kind of caller', () => {
    expect(cases).toHaveLength(REQUEST_STATES.length * ALL_EVENT_TYPES.length * 12);
  });

  it.each(cases)('%s: %s by %s', (state, event, caller) => {
    expect(permission(CALLERS[caller], request(state), event)).toBe(expected(event, state, caller));
  });

  it('only the named cadre, never a colleague, holds a request dispatched to a person', () => {
    const r = request('assigned');
    expect(permission(CALLERS.namedCadre, r, 'RESOLVE')).toBe('allowed');
    expect(permission(CALLERS.cadreColleague, r, 'RESOLVE')).toBe('forbidden');
    expect(permission(CALLERS.cadreColleague, { ...r, assigneeUserId: null }, 'RESOLVE')).toBe(
      'allowed',
    );
  });

  it.each(Object.keys(CALLERS) as Caller[])('what %s sees', (caller) => {
    const sees: Caller[] = [
      'ownResident',
      'branchSecretary',
      'townDispatcher',
      'namedCadre',
      'cadreColleague',
      ...SUPERVISORS,
      'admin',
    ];
    expect(canSee(CALLERS[caller], request('assigned'))).toBe(sees.includes(caller));
    expect(canSee(CALLERS[caller], request('submitted'))).toBe(
      sees.includes(caller) && caller !== 'namedCadre' && caller !== 'cadreColleague',
    );
  });
});
