import { localDateOf } from '../calendar/business-time';
import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { CURRENT_MACHINE_VERSION, effectsOf, startRequest } from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { jobId } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { DatabaseService } from '../../database/database.service';
import { AttachmentLinksService, type LinkPlan } from '../attachments/attachment-links.service';
import { CategoriesService } from '../categories/categories.service';
import type { ClockRow } from '../clocks/clocks.repository';
import { nextDue } from '../clocks/clock-view';
import { ClocksService } from '../clocks/clocks.service';
import { SlaPoliciesService } from '../sla-policies/sla-policies.service';
import { UnitsService } from '../units/units.service';
import { UsersService } from '../users/users.service';
import type { CreateRequestDto } from './dto/create-request.dto';
import type { ListRequestsQueryDto } from './dto/list-requests.query';
import type { RequestDto, RequestPageDto, TimelineEntryDto } from './dto/request.dto';
import { canSee, type RequestScope, scopeOf } from './request-policy';
import { RequestDuplicatesService } from './request-duplicates.service';
import { nearFilterOf, placeOf, type Place } from './request-place';
import { asReference } from './request-reference';
import { RequestViewService } from './request-view.service';
import type { Priority, RequestEntity } from './requests.entity';
import type { SlaPolicy } from '../sla-policies/sla-defaults';
import type { RequestEventEntity } from './request-event.entity';
import { type CommandSubject, type RequestSearch, RequestsRepository } from './requests.repository';

export interface CreateResult {
  request: RequestDto;
  replayed: boolean;
}

/** A request as its creation wrote it, with its clocks. */
export interface Created {
  request: RequestEntity;
  clocks: ClockRow[];
}

/** More steps in the creating transaction (recording a request solved on the spot). */
export type AfterInsert = (created: Created) => Promise<Created>;

@Injectable()
export class RequestsService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly users: UsersService,
    private readonly views: RequestViewService,
    private readonly policies: SlaPoliciesService,
    private readonly clocks: ClocksService,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    private readonly attachments: AttachmentLinksService,
    private readonly duplicates: RequestDuplicatesService,
  ) {}

  async create(
    actor: Actor,
    dto: CreateRequestDto,
    idempotencyKey?: string,
    afterInsert?: AfterInsert,
  ): Promise<CreateResult> {
    const requestHash = createHash('sha256').update(JSON.stringify(dto)).digest('hex');
    const replay = idempotencyKey
      ? await this.requests.findIdempotencyKey(actor.id, idempotencyKey)
      : null;
    const outcome = replay
      ? this.replayed(replay, requestHash)
      : await this.createNew(actor, dto, requestHash, idempotencyKey, afterInsert);
    if (!outcome.replayed) {
      // A new request is answered from what was written, without reading it back.
      const dto = await this.views.toDto(actor, outcome.request, outcome.clocks);
      return { request: dto, replayed: false };
    }
    const request = await this.requests.findById(outcome.id);
    if (!request) throw domainError('REQUEST.NOT_FOUND', 'No such request');
    return { request: await this.views.toDto(actor, request), replayed: true };
  }

  private replayed(claim: { requestHash: string; requestId: string }, requestHash: string) {
    if (claim.requestHash !== requestHash) {
      throw domainError(
        'IDEMPOTENCY.KEY_REUSED',
        'This Idempotency-Key was used for a different request',
      );
    }
    return { id: claim.requestId, replayed: true as const };
  }

  private async createNew(
    actor: Actor,
    dto: CreateRequestDto,
    requestHash: string,
    idempotencyKey?: string,
    afterInsert?: AfterInsert,
  ): Promise<{ id: string; replayed: true } | ({ replayed: false } & Created)> {
    const intake = await this.intake(actor, dto);
    const category = await this.categories.findByCode(dto.category);
    if (!category || !category.active) {
      throw domainError('REQUEST.INVALID_CATEGORY', `No active category with code ${dto.category}`);
    }
    const town = await this.units.townOf(intake.branch);
    if (!town?.refPrefix) throw domainError('REQUEST.INVALID_BRANCH', 'The branch has no town');
    const photos = await this.attachments.forCreate(actor.id, dto.attachmentIds);
    const place = placeOf(dto.point, town);
    const priority = dto.priority ?? 'normal';
    const sla = await this.policies.policyFor(category.id, category.code, priority);
    const now = new Date();
    const year = Number(localDateOf(now).slice(0, 4));
    // Numbered in its own short transaction, so the creations of a town do not queue behind one
    // another; a creation that fails afterwards leaves a gap in the numbers, which is allowed.
    const n = await this.requests.nextReferenceNumber(town.id, year);
    return this.db.transaction(async () => {
      const id = randomUUID();
      if (idempotencyKey) {
        const claim = await this.requests.claimIdempotencyKey(
          actor.id,
          idempotencyKey,
          requestHash,
          id,
        );
        if (!claim.claimed) return this.replayed(claim, requestHash);
      }
      const created = await this.insertNew(actor, dto, {
        id,
        intake,
        category,
        town,
        priority,
        sla,
        now,
        year,
        n,
        photos,
        place,
      });
      return { replayed: false as const, ...(afterInsert ? await afterInsert(created) : created) };
    });
  }

  private async insertNew(
    actor: Actor,
    dto: CreateRequestDto,
    p: {
      id: string;
      intake: Awaited<ReturnType<RequestsService['intake']>>;
      category: { id: string };
      town: { id: string; refPrefix: string | null };
      priority: Priority;
      sla: SlaPolicy;
      now: Date;
      year: number;
      n: number;
      photos: LinkPlan | null;
      place: Place;
    },
  ): Promise<Created> {
    const { id, intake, category, town, priority, sla, now, year, n, photos, place } = p;
    const onSpot = dto.resolvedOnSpot !== undefined;
    const machine = startRequest({ branchId: intake.branch.id });
    const request: RequestEntity = {
      id,
      reference: `${town.refPrefix}-${year}-${String(n).padStart(6, '0')}`,
      title: dto.title.trim(),
      description: dto.description.trim(),
      categoryId: category.id,
      priority,
      channel: intake.channel,
      state: machine.state,
      version: 1,
      machineVersion: CURRENT_MACHINE_VERSION,
      context: machine.context,
      residentId: intake.residentId,
      residentName: intake.residentName,
      residentPhone: intake.residentPhone,
      createdBy: actor.id,
      branchId: intake.branch.id,
      townId: town.id,
      unitPath: intake.branch.path,
      ownerUnitId: intake.branch.id,
      assigneeUnitId: null,
      assigneeUserId: null,
      escalationLevel: 0,
      reopenCount: 0,
      returnCount: 0,
      holdCount: 0,
      onHold: false,
      location: dto.location?.trim() ?? null,
      resolution: null,
      outcome: null,
      rating: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      sla,
      respondedAt: null,
      respondedOnTime: null,
      acceptedAt: null,
      escalatedAt: null,
      resolvedAt: null,
      resolvedOnTime: null,
      resolveDueAt: null,
      disputeCount: 0,
      overdueSince: null,
      milestoneLateSince: null,
      nextDueAt: null,
      ...place,
      mergedIntoId: null,
      resolvedOnSpot: onSpot,
    };
    const created = effectsOf({
      event: { type: 'CREATE', ...(onSpot ? { onSpot } : {}) },
      from: null,
      to: machine.state,
      by: actor.role === 'resident' ? 'resident' : 'staff',
    });
    const clocks = await this.clocks.startForNewRequest(request, created.clocks, now);
    request.resolveDueAt = clocks.resolveDueAt;
    request.nextDueAt = nextDue(clocks.clocks)?.at ?? null;
    await this.requests.insertNew(
      request,
      {
        requestId: id,
        seq: 1,
        type: 'CREATE',
        fromState: null,
        toState: machine.state,
        actorId: actor.id,
        actorRole: actor.role,
        payload: {
          channel: intake.channel,
          branchId: intake.branch.id,
          priority: request.priority,
          ...(photos ? { attachmentIds: photos.ids } : {}),
          ...(onSpot ? { onSpot } : {}),
        },
        createdAt: now,
        holders: {
          branchId: request.branchId,
          ownerUnitId: request.ownerUnitId,
          assigneeUnitId: null,
          assigneeUserId: null,
        },
      },
      { ...clocks.writes, jobs: [...clocks.writes.jobs, this.notifyCreated(id)] },
    );
    if (photos) await this.attachments.link(photos, id, 1, now);
    return { request, clocks: clocks.clocks };
  }

  /** The notices of a new request (docs/transitions.md), queued with it. */
  private notifyCreated(requestId: string) {
    return this.outbox.job(
      'notification.send',
      { requestId, seq: 1 },
      { jobId: jobId('notify', requestId, 1) },
    );
  }

  /** Who the request is for and where it came in: the resident themself, or a secretary for them. */
  private async intake(actor: Actor, dto: CreateRequestDto) {
    if (actor.role === 'resident') {
      if (dto.resolvedOnSpot) {
        throw domainError(
          'REQUEST.EVENT_FORBIDDEN',
          'Only staff recording a request may mark it solved on the spot',
        );
      }
      if (dto.channel && dto.channel !== 'app') {
        throw domainError('REQUEST.INVALID_CHANNEL', 'A resident submits through the app channel');
      }
      if (dto.residentName) {
        throw domainError(
          'REQUEST.INVALID_RESIDENT',
          'residentName is only for requests on a resident’s behalf',
        );
      }
      const [branch, home] = await Promise.all([
        this.units.findById(dto.branchId ?? actor.unitId),
        this.units.findById(actor.unitId),
      ]);
      // Another town's branch answers like an unknown one: residents do not see other towns.
      if (!branch || branch.type !== 'branch' || branch.parentId !== home?.parentId) {
        throw domainError(
          'REQUEST.INVALID_BRANCH',
          'branchId must be a branch (村/社区) of your own town',
        );
      }
      return {
        branch,
        channel: 'app' as const,
        residentId: actor.id,
        residentName: actor.displayName,
        residentPhone: dto.residentPhone ?? actor.phone,
      };
    }
    if (actor.role === 'secretary') {
      if (!dto.channel || dto.channel === 'app') {
        throw domainError(
          'REQUEST.CHANNEL_REQUIRED',
          'Say where the request came in (channel), e.g. tea_house',
        );
      }
      if (!dto.residentName || !dto.residentPhone) {
        throw domainError(
          'REQUEST.RESIDENT_REQUIRED',
          'Give the resident’s name and phone (residentName, residentPhone)',
        );
      }
      if (dto.branchId && dto.branchId !== actor.unitId) {
        throw domainError(
          'REQUEST.INVALID_BRANCH',
          'A secretary records requests for their own branch',
        );
      }
      const branch = await this.units.findById(actor.unitId);
      if (!branch) throw domainError('REQUEST.INVALID_BRANCH', 'Your unit no longer exists');
      const resident = await this.users.findResidentByPhone(branch.id, dto.residentPhone);
      return {
        branch,
        channel: dto.channel,
        residentId: resident?.id ?? null,
        residentName: dto.residentName.trim(),
        residentPhone: dto.residentPhone,
      };
    }
    throw domainError('AUTH.FORBIDDEN', 'Only residents and secretaries submit requests');
  }

  async list(actor: Actor, query: ListRequestsQueryDto): Promise<RequestPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let categoryId: string | undefined;
    if (query.category) {
      const category = await this.categories.findByCode(query.category);
      if (!category) return { items: [], total: 0, page, pageSize };
      categoryId = category.id;
    }
    const scope = scopeOf(actor);
    const { items, total } = await this.requests.list({
      scope,
      ledBranchIds: await this.units.ledBy(actor),
      states: query.state,
      branchId: query.branchId,
      categoryId,
      overdue: query.overdue,
      search: query.q === undefined ? undefined : await this.search(actor, scope, query.q),
      priority: query.priority,
      onHold: query.onHold,
      extensionPending: query.extensionPending,
      planPending: query.planPending,
      assigneeUserId: query.assigneeUserId,
      escalationLevel: query.escalationLevel,
      near: nearFilterOf(query),
      sort: query.sort ?? '-createdAt',
      page,
      pageSize,
    });
    return { items: await this.views.toDtos(actor, items), total, page, pageSize };
  }

  /**
   * A whole reference number is looked up as one. Words are searched in the towns the caller's
   * scope lies in (the index keeps each town's words apart), so a common word (路灯) in a town is a
   * short list in the index instead of a long one checked request by request.
   */
  private async search(actor: Actor, scope: RequestScope, text: string): Promise<RequestSearch> {
    const reference = asReference(text);
    if (reference) return { kind: 'reference', reference };
    if (scope.kind === 'town') return { kind: 'words', text, towns: [scope.unitId] };
    if (scope.kind === 'branch') {
      const branch = await this.units.findById(scope.unitId);
      const town = branch && (await this.units.townOf(branch));
      if (town) return { kind: 'words', text, towns: [town.id] };
    }
    // A resident's or an assignee's requests are few and found through their own index; the
    // search then only has to allow every town.
    const towns =
      scope.kind === 'subtree'
        ? await this.units.listFor(actor, { type: 'town' })
        : await this.units.list({ type: 'town' });
    return { kind: 'words', text, towns: towns.map((t) => t.id) };
  }

  /** Without any scope check: for the system (deadlines, notifications), never for a caller. */
  findById(id: string): Promise<RequestEntity | null> {
    return this.requests.findById(id);
  }

  /** For the system and the resident's feedback link: the request with its clocks, locked. */
  lockForCommand(id: string): Promise<CommandSubject | null> {
    return this.requests.findForCommand(id);
  }

  /** The request a merged duplicate follows: the top of its merge chain. */
  async originalOf(id: string): Promise<RequestEntity | null> {
    const chain = await this.requests.mergeChain(id);
    return chain.length > 0 ? this.requests.findById(chain[chain.length - 1]) : null;
  }

  eventAt(requestId: string, seq: number): Promise<RequestEventEntity | null> {
    return this.requests.eventAt(requestId, seq);
  }

  lastSeqOf(requestId: string, type: string): Promise<number> {
    return this.requests.lastSeqOf(requestId, type);
  }

  /** A resolve limit (or the last dispatch limit at the top) has passed: overdue until resolved. */
  markOverdue(id: string, since: Date): Promise<void> {
    return this.requests.markOverdue(id, since);
  }

  /** The current milestone of its plan has passed its due time: on the overdue board until done. */
  markMilestoneLate(id: string, since: Date): Promise<void> {
    return this.requests.markMilestoneLate(id, since);
  }

  /** Whether the unit holding the request is the root of the tree (nobody above to escalate to). */
  async isOwnedByRoot(request: RequestEntity): Promise<boolean> {
    const owner = await this.units.findById(request.ownerUnitId);
    return owner !== null && owner.parentId === null;
  }

  /**
   * A request the caller may see, by id or reference number; anything else is "not found", so ids
   * and references cannot be probed.
   */
  async findVisible(actor: Actor, idOrReference: string): Promise<RequestEntity> {
    const request = isUUID(idOrReference)
      ? await this.requests.findById(idOrReference)
      : await this.requests.findByReference(idOrReference);
    if (!request || !(await this.sees(actor, request))) {
      throw domainError('REQUEST.NOT_FOUND', 'No such request');
    }
    return request;
  }

  /** The caller's scope, and the branches they are contact leader of (to read, not to act). */
  private async sees(actor: Actor, request: RequestEntity): Promise<boolean> {
    return canSee(actor, request) || (await this.units.ledBy(actor)).includes(request.branchId);
  }

  /** `findVisible` for a command: with the request's clocks, locked, and the calendar version. */
  async findVisibleForCommand(actor: Actor, idOrReference: string): Promise<CommandSubject> {
    const id = isUUID(idOrReference)
      ? idOrReference
      : await this.requests.idOfReference(idOrReference);
    const subject = id ? await this.requests.findForCommand(id) : null;
    if (!subject || !(await this.sees(actor, subject.request))) {
      throw domainError('REQUEST.NOT_FOUND', 'No such request');
    }
    return subject;
  }

  /** One request; staff also see its possible and merged duplicates. */
  async get(actor: Actor, id: string): Promise<RequestDto> {
    const request = await this.findVisible(actor, id);
    const [dto, attachments] = await Promise.all([
      this.views.toDto(actor, request),
      this.attachments.ofRequest(actor, request.id),
    ]);
    if (actor.role === 'resident') return { ...dto, attachments };
    return { ...dto, attachments, ...(await this.duplicates.of(actor, request)) };
  }

  async timeline(actor: Actor, idOrReference: string): Promise<TimelineEntryDto[]> {
    const request = await this.findVisible(actor, idOrReference);
    const [events, attachments] = await Promise.all([
      this.requests.timeline(request.id),
      this.attachments.ofRequest(actor, request.id),
    ]);
    // Staff notes marked internal are for staff only: residents never see them, anywhere.
    const shown =
      actor.role === 'resident'
        ? events.filter((e) => !(e.type === 'COMMENT' && e.payload.internal === true))
        : events;
    return this.views.timeline(shown, attachments);
  }
}
