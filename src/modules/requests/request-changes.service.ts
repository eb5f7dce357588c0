import { Injectable } from '@nestjs/common';
import {
  isTerminal,
  type MachineState,
  type ResidentRequestEvent,
  type StepEffect,
} from '../../../workflows';
import { domainError } from '../../common/errors/domain-error';
import type { TransitionFacts } from '../clocks/clocks.service';
import type { UnitEntity } from '../units/units.entity';
import { UnitsService } from '../units/units.service';
import { UsersService } from '../users/users.service';
import { passedMilestone } from './request-plan';
import type { RequestEntity } from './requests.entity';
import type { RequestChanges } from './requests.repository';

/**
 * What a step does to the request's row, for the engine: the units and users its event names
 * checked, the columns it changes (state, holders, first times), and the facts kept with its
 * event. Who holds the request after a step is read from the step's declared effect.
 */
@Injectable()
export class RequestChangesService {
  constructor(
    private readonly units: UnitsService,
    private readonly users: UsersService,
  ) {}

  /**
   * Units and users an event names must exist and fit where the request is; a plan approved must
   * still lie ahead.
   */
  async checkReferences(request: RequestEntity, event: ResidentRequestEvent): Promise<void> {
    if (event.type === 'DECIDE_PLAN' && event.approve) {
      const passed = passedMilestone(request.context, new Date());
      if (passed) throw passed;
    }
    if (event.type === 'RETURN') {
      const branch = await this.units.findById(event.branchId);
      if (!branch || branch.type !== 'branch') {
        throw domainError('REQUEST.INVALID_TARGET', 'branchId must be a branch (村/社区)');
      }
      // A branch hands a request sideways within its town only; crossing towns is the dispatcher's call.
      if (branch.parentId !== request.townId) {
        throw domainError(
          'REQUEST.INVALID_BRANCH',
          'RETURN only moves a request to a branch of the same town; for another town, ESCALATE it to the dispatcher',
        );
      }
    }
    if (event.type === 'ASSIGN' || event.type === 'REASSIGN') {
      const owner = await this.ownerAt(request, Math.max(request.escalationLevel, 1));
      const unit = await this.units.findById(event.assigneeUnitId);
      if (
        !unit ||
        (unit.type !== 'department' && unit.type !== 'branch') ||
        !unit.path.startsWith(owner.path)
      ) {
        throw domainError(
          'REQUEST.INVALID_TARGET',
          'assigneeUnitId must be a department or branch under the unit that holds the request',
        );
      }
      if (event.assigneeUserId) {
        const user = await this.users.findById(event.assigneeUserId);
        if (!user || !user.active || user.role !== 'assignee' || user.unitId !== unit.id) {
          throw domainError(
            'REQUEST.INVALID_TARGET',
            'assigneeUserId must be an active assignee of that unit',
          );
        }
      }
    }
  }

  /** The unit that holds an escalated request: the branch's ancestor `level` steps up, at most the root. */
  private async ownerAt(request: RequestEntity, level: number): Promise<UnitEntity> {
    const branch = await this.units.findById(request.branchId);
    if (!branch) throw new Error(`Branch ${request.branchId} of request ${request.id} is gone`);
    const chain = await this.units.ancestors(branch);
    return chain[Math.min(level, chain.length - 1)];
  }

  async derive(
    request: RequestEntity,
    next: MachineState,
    event: ResidentRequestEvent,
    effect: StepEffect,
    now: Date,
  ): Promise<RequestChanges> {
    const c = next.context;
    const changes: RequestChanges = {
      state: next.state,
      context: c,
      escalationLevel: c.escalationLevel,
      reopenCount: c.reopenCount,
      returnCount: c.returnCount,
      holdCount: c.holdCount,
      onHold: c.onHold,
      assigneeUnitId: c.assigneeUnitId,
      assigneeUserId: c.assigneeUserId,
      outcome: c.outcome,
      rating: c.rating,
      updatedAt: now,
    };
    if (event.type === 'RETURN') {
      // checkReferences made sure it is a branch of the request's own town.
      const branch = (await this.units.findById(event.branchId)) as UnitEntity;
      changes.branchId = branch.id;
      changes.unitPath = branch.path;
    }
    switch (effect.owner) {
      case 'branch':
        changes.ownerUnitId = changes.branchId ?? request.branchId;
        break;
      case 'escalation':
        changes.ownerUnitId = (await this.ownerAt(request, c.escalationLevel)).id;
        break;
      case 'assignee':
        if (c.assigneeUnitId) changes.ownerUnitId = c.assigneeUnitId;
        break;
      case 'unchanged':
        break;
    }
    if (event.type === 'RESOLVE') changes.resolution = event.resolution;
    if (event.type === 'MERGE') changes.mergedIntoId = event.intoRequestId;
    if ((event.type === 'ACCEPT' || event.type === 'REJECT') && request.respondedAt === null) {
      changes.respondedAt = now;
    }
    if (event.type === 'ACCEPT' && request.acceptedAt === null) changes.acceptedAt = now;
    if (next.state === 'escalated' && request.escalatedAt === null) changes.escalatedAt = now;
    if (next.state === 'resolved' && request.resolvedAt === null) changes.resolvedAt = now;
    if (event.type === 'DISPUTE') changes.disputeCount = request.disputeCount + 1;
    if (isTerminal(next.state) && !isTerminal(request.state)) changes.closedAt = now;
    // Late on a milestone until it is done, or the request leaves the work.
    if (event.type === 'MILESTONE_DONE' || next.state === 'resolved' || isTerminal(next.state)) {
      changes.milestoneLateSince = null;
    }
    if (event.type === 'REOPEN') changes.closedAt = null;
    return changes;
  }

  /**
   * Supervision facts: the first response, escalation and resolution, and whether on time. The
   * resolve due time follows the resolve clock by trigger (migration 1764300000000).
   */
  firstTimes(request: RequestEntity, facts: TransitionFacts): RequestChanges {
    const out: RequestChanges = {};
    if (facts.respondedOnTime !== undefined && request.respondedAt === null) {
      out.respondedOnTime = facts.respondedOnTime;
    }
    if (facts.resolvedOnTime !== undefined && request.resolvedAt === null) {
      out.resolvedOnTime = facts.resolvedOnTime;
    }
    if (facts.overdueSince !== undefined) out.overdueSince = facts.overdueSince;
    return out;
  }

  /** Facts worth keeping in the event beyond what the caller sent. */
  eventFacts(request: RequestEntity, changes: RequestChanges): Record<string, unknown> {
    const facts: Record<string, unknown> = {};
    if (changes.branchId && changes.branchId !== request.branchId) {
      facts.fromBranchId = request.branchId;
    }
    if (changes.ownerUnitId && changes.ownerUnitId !== request.ownerUnitId) {
      facts.ownerUnitId = changes.ownerUnitId;
      facts.fromOwnerUnitId = request.ownerUnitId;
    }
    // Who held it before a reassignment: they are told it left their hands.
    if (
      changes.assigneeUnitId !== request.assigneeUnitId ||
      changes.assigneeUserId !== request.assigneeUserId
    ) {
      facts.fromAssigneeUnitId = request.assigneeUnitId;
      facts.fromAssigneeUserId = request.assigneeUserId;
    }
    if (changes.escalationLevel !== request.escalationLevel) {
      facts.escalationLevel = changes.escalationLevel;
    }
    return facts;
  }
}
