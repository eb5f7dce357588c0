import { MAX_HOLDS, type StateRefusal } from '../../../workflows';
import { type DomainError, domainError } from '../../common/errors/domain-error';
import { invalidFields } from '../../common/errors/validation-exception.factory';

/**
 * What the caller is told when a rule of the request's state refuses a well-formed event.
 * `extra` (state, allowedEvents) goes into the problem document.
 */
export function refusalError(refusal: StateRefusal, extra: Record<string, unknown>): DomainError {
  switch (refusal) {
    case 'alreadyAtBranch':
      return invalidFields([
        { field: 'branchId', messages: ['the request is already at this branch'] },
      ]);
    case 'alreadyOnHold':
      return domainError(
        'REQUEST.ALREADY_ON_HOLD',
        'The request is on hold already; RESUME it first',
        extra,
      );
    case 'holdLimitReached':
      return domainError(
        'REQUEST.HOLD_LIMIT_REACHED',
        `The request was put on hold ${MAX_HOLDS} times, the most allowed; resolve it or ask for an extension`,
        { ...extra, maxHolds: MAX_HOLDS },
      );
    case 'notOnHold':
      return domainError('REQUEST.NOT_ON_HOLD', 'The request is not on hold', extra);
    case 'extensionPending':
      return domainError(
        'REQUEST.EXTENSION_PENDING',
        'An extension request is already waiting for a supervisor’s decision',
        extra,
      );
    case 'noPendingExtension':
      return domainError(
        'REQUEST.NO_PENDING_EXTENSION',
        'No extension request is waiting for a decision',
        extra,
      );
    case 'planPending':
      return domainError(
        'REQUEST.PLAN_PENDING',
        'A milestone plan is waiting for a supervisor’s decision',
        extra,
      );
    case 'noPendingPlan':
      return domainError(
        'REQUEST.NO_PENDING_PLAN',
        'No milestone plan is waiting for a decision',
        extra,
      );
    case 'planRunning':
      return domainError(
        'REQUEST.PLAN_RUNNING',
        'The request runs on an approved milestone plan: mark its milestones done (MILESTONE_DONE); the last one resolves it',
        extra,
      );
    case 'noPlanRunning':
      return domainError(
        'REQUEST.NO_PLAN_RUNNING',
        'No approved milestone plan has a milestone left to do',
        extra,
      );
    case 'notNextMilestone':
      return domainError(
        'REQUEST.MILESTONE_OUT_OF_ORDER',
        'Milestones are done in order: give the number of the next one not done',
        extra,
      );
  }
}
