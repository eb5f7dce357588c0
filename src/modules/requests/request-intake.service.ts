import { localDateOf } from '../calendar/business-time';
import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

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

import type { RequestDto } from './dto/request.dto';

import { placeOf, type Place } from './request-place';

import { RequestViewService } from './request-view.service';
import type { Priority, RequestEntity } from './requests.entity';
import type { SlaPolicy } from '../sla-policies/sla-defaults';

import { RequestsRepository } from './requests.repository';

export interface CreateResult {
  request: RequestDto;
  replayed: boolean;
}

/** A request as its creation wrote it, with its clocks. */
export interface Written {
  request: RequestEntity;
  clocks: ClockRow[];
}

/** A new request, and the calendar version its first clocks were timed by. */
export interface Created extends Written {
  calendarVersion: number;
}

/** More steps in the creating transaction (recording a request solved on the spot). */
export type AfterInsert = (created: Created) => Promise<Written>;

/**
 * Creating requests: who files it and where it came in, its category, town, number, place and
 * photos, its first clocks and its first notices, in one transaction (an Idempotency-Key replays
 * the first answer).
 */
@Injectable()
export class RequestIntakeService {
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
  ): Promise<{ id: string; replayed: true } | ({ replayed: false } & Written)> {
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
      intake: Awaited<ReturnType<RequestIntakeService['intake']>>;
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
    return { request, clocks: clocks.clocks, calendarVersion: clocks.calendarVersion };
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
}
