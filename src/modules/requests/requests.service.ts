import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';

import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';

import { AttachmentLinksService } from '../attachments/attachment-links.service';
import { CategoriesService } from '../categories/categories.service';

import { UnitsService } from '../units/units.service';

import type { ListRequestsQueryDto } from './dto/list-requests.query';
import type { RequestDto, RequestPageDto, TimelineEntryDto } from './dto/request.dto';
import { canRead, type RequestScope, scopeOf } from './request-policy';
import { RequestDuplicatesService } from './request-duplicates.service';
import { nearFilterOf } from './request-place';
import { asReference } from './request-reference';
import { RequestViewService } from './request-view.service';
import type { RequestEntity } from './requests.entity';

import type { RequestEventEntity } from './request-event.entity';
import { type CommandSubject, type RequestSearch, RequestsRepository } from './requests.repository';

/**
 * Reading requests: lists, search, one request as its caller may see it, its timeline, and the
 * lookups the engine and the worker need. Creating them is RequestIntakeService's.
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly views: RequestViewService,
    private readonly attachments: AttachmentLinksService,
    private readonly duplicates: RequestDuplicatesService,
  ) {}

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

  private async sees(actor: Actor, request: RequestEntity): Promise<boolean> {
    return canRead(actor, request, await this.units.ledBy(actor));
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
