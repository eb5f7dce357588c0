import { Injectable } from '@nestjs/common';
import { acceptedEventTypes, isTerminal } from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { maskPhone } from '../../common/privacy/mask-phone';
import type { AttachmentDto } from '../attachments/dto/attachment.dto';
import { CategoriesService } from '../categories/categories.service';
import type { ClockRow } from '../clocks/clocks.repository';
import { type ClockView, isOverdue, nextDue, viewsOf } from '../clocks/clock-view';
import { ClocksService } from '../clocks/clocks.service';
import { UnitRefDto } from '../units/dto/unit.dto';
import { UnitsService } from '../units/units.service';
import { UsersService } from '../users/users.service';
import type { RequestDto, TimelineEntryDto } from './dto/request.dto';
import type { RequestEventEntity } from './request-event.entity';
import { planProposalView, planView } from './request-plan';
import { permission, seesContact } from './request-policy';
import type { RequestEntity } from './requests.entity';
import { RequestsRepository } from './requests.repository';

const UNKNOWN_UNIT = { id: '', code: 'unknown', name: 'unknown' };

/** Turns stored requests into what a particular caller may see of them. */
@Injectable()
export class RequestViewService {
  constructor(
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly users: UsersService,
    private readonly clocks: ClocksService,
    private readonly requests: RequestsRepository,
  ) {}

  allowedEvents(actor: Actor, r: RequestEntity) {
    return acceptedEventTypes(r.machineVersion, { state: r.state, context: r.context }).filter(
      (type) => permission(actor, r, type) === 'allowed',
    );
  }

  /** `clocks`: all clocks of each request when the caller has them (a command that just wrote them). */
  async toDtos(
    actor: Actor,
    requests: RequestEntity[],
    clocks?: Map<string, ClockView[]>,
  ): Promise<RequestDto[]> {
    const unitIds = new Set<string>();
    const userIds = new Set<string>();
    for (const r of requests) {
      unitIds.add(r.branchId);
      unitIds.add(r.ownerUnitId);
      if (r.assigneeUnitId) unitIds.add(r.assigneeUnitId);
      if (r.assigneeUserId) userIds.add(r.assigneeUserId);
    }
    const now = new Date();
    const mergedInto = requests.map((r) => r.mergedIntoId).filter((id) => id !== null);
    const [units, categories, clockViews, users, originals] = await Promise.all([
      this.units.findByIds([...unitIds]),
      this.categories.list(true),
      clocks ?? this.clocks.views(requests.map((r) => r.id)),
      this.users.findByIds([...userIds]),
      this.requests.referencesOf(mergedInto),
    ]);
    const unitById = new Map(units.map((u) => [u.id, UnitRefDto.from(u)]));
    const userById = new Map(users.map((u) => [u.id, { id: u.id, displayName: u.displayName }]));
    const categoryById = new Map(categories.map((c) => [c.id, c]));
    return requests.map((r) => {
      const category = categoryById.get(r.categoryId);
      const requestClocks = clockViews.get(r.id) ?? [];
      const due = nextDue(requestClocks);
      return {
        id: r.id,
        reference: r.reference,
        title: r.title,
        description: r.description,
        category: category
          ? { id: category.id, code: category.code, name: category.name }
          : { id: r.categoryId, code: 'unknown', name: 'unknown' },
        priority: r.priority,
        channel: r.channel,
        state: r.state,
        version: r.version,
        machineVersion: r.machineVersion,
        branch: unitById.get(r.branchId) ?? UNKNOWN_UNIT,
        owner: unitById.get(r.ownerUnitId) ?? UNKNOWN_UNIT,
        assigneeUnit: r.assigneeUnitId ? (unitById.get(r.assigneeUnitId) ?? null) : null,
        assigneeUserId: r.assigneeUserId,
        assigneeUser: r.assigneeUserId ? (userById.get(r.assigneeUserId) ?? null) : null,
        resident: {
          id: r.residentId,
          name: r.residentName,
          phone: seesContact(actor, r) ? r.residentPhone : maskPhone(r.residentPhone),
        },
        location: r.location,
        point:
          r.latitude !== null && r.longitude !== null && r.coordinateSystem !== null
            ? { latitude: r.latitude, longitude: r.longitude, givenAs: r.coordinateSystem }
            : null,
        resolvedOnSpot: r.resolvedOnSpot,
        mergedInto: r.mergedIntoId
          ? { id: r.mergedIntoId, reference: originals.get(r.mergedIntoId) ?? '' }
          : null,
        escalationLevel: r.escalationLevel,
        returnCount: r.returnCount,
        holdCount: r.holdCount,
        reopenCount: r.reopenCount,
        onHold: r.onHold,
        extensionRequested: r.context.extensionRequested,
        planPending: planProposalView(r.context),
        plan: planView(r.context, now),
        resolution: r.resolution,
        outcome: r.outcome,
        rating: r.rating,
        allowedEvents: this.allowedEvents(actor, r),
        clocks: requestClocks,
        overdue:
          !isTerminal(r.state) &&
          r.state !== 'resolved' &&
          (r.overdueSince !== null || isOverdue(requestClocks, r.state, now)),
        overdueSince: r.overdueSince?.toISOString() ?? null,
        nextDueAt: due?.at.toISOString() ?? null,
        nextDueKind: due?.kind ?? null,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
        closedAt: r.closedAt?.toISOString() ?? null,
      };
    });
  }

  async toDto(actor: Actor, request: RequestEntity, clocks?: ClockRow[]): Promise<RequestDto> {
    const views = clocks && new Map([[request.id, viewsOf(clocks)]]);
    const [dto] = await this.toDtos(actor, [request], views);
    return dto;
  }

  /** `attachments`: the request's photos the caller may see, shown with their events. */
  async timeline(
    events: RequestEventEntity[],
    attachments: AttachmentDto[],
  ): Promise<TimelineEntryDto[]> {
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((id) => id !== null))];
    const users = new Map((await this.users.findByIds(actorIds)).map((u) => [u.id, u]));
    return events.map((e) => {
      const user = e.actorId ? users.get(e.actorId) : undefined;
      return {
        seq: e.seq,
        type: e.type,
        from: e.fromState,
        to: e.toState,
        actor: user
          ? { id: user.id, username: user.username, displayName: user.displayName }
          : null,
        actorRole: e.actorRole,
        payload: e.payload,
        at: e.createdAt.toISOString(),
        attachments: attachments.filter((a) => a.eventSeq === e.seq),
      };
    });
  }
}
