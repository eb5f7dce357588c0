import type { Actor } from '../../common/auth/role';
import type { RequestEventType } from '../../../workflows';
import type { RequestEntity } from './requests.entity';

/**
 * Who may see and do what to a request: role plus scope on the unit tree (DESIGN section 2).
 * Kept apart from the machine, which only knows what a state allows.
 */
export type RequestScope =
  | { kind: 'all' }
  | { kind: 'resident'; userId: string }
  | { kind: 'branch'; unitId: string }
  | { kind: 'town'; unitId: string }
  | { kind: 'assignee'; unitId: string; userId: string }
  | { kind: 'subtree'; path: string };

export function scopeOf(actor: Actor): RequestScope {
  switch (actor.role) {
    case 'admin':
      return { kind: 'all' };
    case 'resident':
      return { kind: 'resident', userId: actor.id };
    case 'secretary':
      return { kind: 'branch', unitId: actor.unitId };
    case 'dispatcher':
      return { kind: 'town', unitId: actor.unitId };
    case 'assignee':
      return { kind: 'assignee', unitId: actor.unitId, userId: actor.id };
    case 'supervisor':
      return { kind: 'subtree', path: actor.unitPath };
  }
}

/** What the scope rules need of a request. */
export type Scoped = Pick<
  RequestEntity,
  'residentId' | 'branchId' | 'townId' | 'assigneeUnitId' | 'assigneeUserId' | 'unitPath'
>;

export function canSee(actor: Actor, req: Scoped): boolean {
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'all':
      return true;
    case 'resident':
      return req.residentId === scope.userId;
    case 'branch':
      return req.branchId === scope.unitId;
    case 'town':
      return req.townId === scope.unitId;
    case 'assignee':
      return req.assigneeUserId === scope.userId || req.assigneeUnitId === scope.unitId;
    case 'subtree':
      return req.unitPath.startsWith(scope.path);
  }
}

/**
 * What the caller may read: their scope, and the branches they are contact leader of
 * (`UnitsService.ledBy`), which they read but never act on. Every read of a request or of what
 * hangs off it (photos, duplicates) asks this.
 */
export function canRead(actor: Actor, req: Scoped, ledBranchIds: readonly string[]): boolean {
  return canSee(actor, req) || ledBranchIds.includes(req.branchId);
}

type Judged = Scoped & Pick<RequestEntity, 'state' | 'context'>;

const isBranchSecretary = (a: Actor, r: Judged) =>
  a.role === 'secretary' && a.unitId === r.branchId;
const isTownDispatcher = (a: Actor, r: Judged) => a.role === 'dispatcher' && a.unitId === r.townId;
const isSupervisorOver = (a: Actor, r: Judged) =>
  a.role === 'supervisor' && r.unitPath.startsWith(a.unitPath);
const isOwnResident = (a: Actor, r: Judged) => a.role === 'resident' && r.residentId === a.id;
const isAssignee = (a: Actor, r: Judged) =>
  a.role === 'assignee' &&
  (r.assigneeUserId ? r.assigneeUserId === a.id : r.assigneeUnitId === a.unitId);

/** The owner's work (resolve, hold, extensions, plans) belongs to whoever holds the request now. */
function isCurrentOwner(a: Actor, r: Judged): boolean {
  if (r.state === 'assigned') return isAssignee(a, r);
  if (r.state === 'accepted') return isBranchSecretary(a, r);
  return isBranchSecretary(a, r) || isAssignee(a, r);
}

export type Permission = 'allowed' | 'forbidden' | 'not_owner';

/**
 * `forbidden`: this caller can never send this event to this request.
 * `not_owner`: the caller's role may, but the request is in someone else's hands right now.
 */
export function permission(actor: Actor, req: Judged, type: RequestEventType): Permission {
  switch (type) {
    case 'ACCEPT':
    case 'REJECT':
    case 'RETURN':
    case 'ESCALATE':
    case 'CLOSE':
      return isBranchSecretary(actor, req) ? 'allowed' : 'forbidden';
    case 'ASSIGN':
    case 'REASSIGN':
      return isTownDispatcher(actor, req) || isSupervisorOver(actor, req) ? 'allowed' : 'forbidden';
    case 'RESOLVE':
    case 'HOLD':
    case 'RESUME':
    case 'REQUEST_EXTENSION':
    case 'PROPOSE_PLAN':
    case 'MILESTONE_DONE':
      if (!isBranchSecretary(actor, req) && !isAssignee(actor, req)) return 'forbidden';
      return isCurrentOwner(actor, req) ? 'allowed' : 'not_owner';
    case 'DECIDE_EXTENSION':
    case 'DECIDE_PLAN':
    case 'REOPEN':
      return isSupervisorOver(actor, req) ? 'allowed' : 'forbidden';
    case 'CONFIRM':
      // A closed request takes CONFIRM only from a merged duplicate's resident, through the
      // feedback link the original's resolution sent them, never before it.
      if (req.state === 'closed') return 'forbidden';
      return isOwnResident(actor, req) ? 'allowed' : 'forbidden';
    case 'DISPUTE':
    case 'WITHDRAW':
      return isOwnResident(actor, req) ? 'allowed' : 'forbidden';
    case 'MERGE':
      // The branch that took the request in decides it is a duplicate, while it still holds it
      // (the machine takes MERGE before the request leaves the branch).
      return isBranchSecretary(actor, req) ? 'allowed' : 'forbidden';
    case 'COMMENT':
      return canSee(actor, req) ? 'allowed' : 'forbidden';
    case 'DEADLINE_WARNING':
    case 'DEADLINE_BREACHED':
    case 'FEEDBACK_TIMEOUT':
      return 'forbidden';
  }
}

/** Who sees a resident's phone number unmasked: the resident, whoever holds it now, supervisors. */
export function seesContact(
  actor: Actor,
  req: Judged & Pick<RequestEntity, 'ownerUnitId'>,
): boolean {
  return (
    isOwnResident(actor, req) ||
    isBranchSecretary(actor, req) ||
    (req.state === 'escalated' &&
      actor.role === 'dispatcher' &&
      req.ownerUnitId === actor.unitId) ||
    (req.state === 'assigned' && isAssignee(actor, req)) ||
    isSupervisorOver(actor, req)
  );
}
