import { Injectable } from '@nestjs/common';
import {
  acceptedEventTypes,
  effectsOf,
  followingStep,
  nextState,
  refusalOf,
  senderErrors,
  type MachineState,
  type ResidentRequestEvent,
  type Sender,
} from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { invalidFields } from '../../common/errors/validation-exception.factory';
import { jobId } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { AttachmentLinksService } from '../attachments/attachment-links.service';
import { DatabaseService } from '../../database/database.service';
import { nextDue } from '../clocks/clock-view';
import type { ClockRow } from '../clocks/clocks.repository';
import { ClocksService } from '../clocks/clocks.service';
import { MetricsService } from '../metrics/metrics.service';
import type { CreateRequestDto, OnSpotDto } from './dto/create-request.dto';
import type { RequestDto } from './dto/request.dto';
import { refusalError } from './event-refusals';
import { resolveUntil } from './extension-until';
import { planFacts, resolvePlanDates } from './request-plan';
import { RequestChangesService } from './request-changes.service';
import { RequestMergeService } from './request-merge.service';
import { permission } from './request-policy';
import { RequestViewService } from './request-view.service';
import { type Created, type CreateResult, RequestIntakeService } from './request-intake.service';
import { RequestsService } from './requests.service';
import type { RequestEntity } from './requests.entity';
import { type CommandSubject, RequestsRepository } from './requests.repository';

/**
 * Who acted: a user; the resident through their one-tap feedback link (who may have no account);
 * or the system (deadlines) with no user behind it.
 */
export type Initiator =
  | { kind: 'user'; actor: Actor }
  | { kind: 'feedback-link'; residentId: string | null }
  | { kind: 'system' };

export function senderOf(by: Initiator): Sender {
  if (by.kind === 'system') return 'system';
  if (by.kind === 'feedback-link') return 'resident';
  return by.actor.role === 'resident' ? 'resident' : 'staff';
}

function actorOf(by: Initiator): { actorId: string | null; actorRole: string } {
  if (by.kind === 'user') return { actorId: by.actor.id, actorRole: by.actor.role };
  if (by.kind === 'feedback-link') return { actorId: by.residentId, actorRole: 'resident' };
  return { actorId: null, actorRole: 'system' };
}

/**
 * The engine. Every command is one transaction: read the request and its version, ask the
 * machine for the next state, check role and scope, then write the state, the new version and
 * the event together. A concurrent command that read the same version loses with 409.
 */
@Injectable()
export class RequestCommandsService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly queries: RequestsService,
    private readonly intake: RequestIntakeService,
    private readonly views: RequestViewService,
    private readonly clocks: ClocksService,
    private readonly metrics: MetricsService,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    private readonly attachments: AttachmentLinksService,
    private readonly merges: RequestMergeService,
    private readonly changes: RequestChangesService,
  ) {}

  /**
   * A new request; one solved on the spot (现场解决) is also accepted and resolved by its recorder
   * in the same transaction, so its timeline reads CREATE, ACCEPT, RESOLVE and the resident's
   * feedback window starts.
   */
  create(actor: Actor, dto: CreateRequestDto, idempotencyKey?: string): Promise<CreateResult> {
    const onSpot = dto.resolvedOnSpot;
    return this.intake.create(
      actor,
      dto,
      idempotencyKey,
      onSpot && ((created) => this.resolveOnSpot(actor, created, onSpot)),
    );
  }

  private async resolveOnSpot(actor: Actor, created: Created, onSpot: OnSpotDto) {
    const by: Initiator = { kind: 'user', actor };
    const given = { onSpot: true };
    const accept = { type: 'ACCEPT' } as const;
    const { calendarVersion } = created;
    const accepted = await this.commit(by, created.request, accept, {
      clocks: created.clocks,
      calendarVersion,
      given,
    });
    const resolve = {
      type: 'RESOLVE',
      resolution: onSpot.resolution.trim(),
      ...(onSpot.attachmentIds?.length ? { attachmentIds: onSpot.attachmentIds } : {}),
    } as const;
    return this.commit(by, accepted.request, resolve, {
      clocks: accepted.clocks,
      calendarVersion,
      given,
    });
  }

  async apply(
    actor: Actor,
    id: string,
    event: ResidentRequestEvent,
    ifMatch?: number,
  ): Promise<RequestDto> {
    const by: Initiator = { kind: 'user', actor };
    const notYours = senderErrors(event, senderOf(by));
    if (notYours.length > 0) throw invalidFields(notYours);
    const updated = await this.db.transaction(async () => {
      const { request, clocks, calendarVersion } = await this.queries.findVisibleForCommand(
        actor,
        id,
      );
      if (ifMatch !== undefined && ifMatch !== request.version) {
        throw domainError(
          'REQUEST.PRECONDITION_FAILED',
          `The request is at version ${request.version}, not ${ifMatch}; reload it and try again`,
          { currentVersion: request.version },
        );
      }
      // What the state takes, computed once; the caller's share of it is only for error answers.
      const accepted = acceptedEventTypes(request.machineVersion, {
        state: request.state,
        context: request.context,
      });
      const allowedEvents = () =>
        accepted.filter((t) => permission(actor, request, t) === 'allowed');
      const verdict = permission(actor, request, event.type);
      if (verdict === 'forbidden') {
        throw domainError('REQUEST.EVENT_FORBIDDEN', `Your role may not send ${event.type} here`, {
          allowedEvents: allowedEvents(),
        });
      }
      if (!accepted.includes(event.type)) {
        throw this.refused(request, event, { allowedEvents: allowedEvents() });
      }
      if (verdict === 'not_owner') {
        throw domainError('REQUEST.NOT_OWNER', 'The request is in another unit’s hands right now', {
          allowedEvents: allowedEvents(),
        });
      }
      const { resolved, given } = await this.resolvePayload(actor, request, event, calendarVersion);
      const after = await this.commit(by, request, resolved, { clocks, calendarVersion, given });
      // A step that brings another with it (the last milestone resolves the request; a
      // resident's comment resumes a request on hold).
      const following = followingStep(resolved, after.request.context, senderOf(by));
      if (following) {
        return this.commit(by, after.request, following, { clocks: after.clocks, calendarVersion });
      }
      return after;
    });
    // The answer is built from what the command wrote, without reading it back.
    return this.views.toDto(actor, updated.request, updated.clocks);
  }

  /**
   * A system event (deadlines) through the same engine, inside the caller's transaction.
   * Returns the new state, or null when the request's state no longer takes the event.
   */
  async applySystem(
    request: RequestEntity,
    event: ResidentRequestEvent,
  ): Promise<{ request: RequestEntity; seq: number } | null> {
    const stored: MachineState = { state: request.state, context: request.context };
    if (!acceptedEventTypes(request.machineVersion, stored).includes(event.type)) return null;
    const after = await this.commit({ kind: 'system' }, request, event);
    return { request: after.request, seq: after.request.version };
  }

  /** Why the request's state refuses the event: a named rule where the machine tells one. */
  private refused(
    request: RequestEntity,
    event: ResidentRequestEvent,
    extra: Record<string, unknown> = {},
  ) {
    const stored = { state: request.state, context: request.context };
    const refusal = refusalOf(request.machineVersion, stored, event);
    const details = {
      state: request.state,
      ...extra,
      ...(refusal === 'notNextMilestone'
        ? { nextMilestone: (request.context.plan?.done ?? 0) + 1 }
        : {}),
    };
    return refusal
      ? refusalError(refusal, details)
      : domainError(
          'REQUEST.TRANSITION_NOT_ALLOWED',
          `${event.type} is not possible while the request is ${request.state}`,
          details,
        );
  }

  /**
   * The event as the machine takes it: REQUEST_EXTENSION's `until` and PROPOSE_PLAN's due dates
   * given as dates become the end of those working days; MERGE's original given by reference
   * number becomes its id. `given` is what the caller sent, or a fact about it, kept in the
   * stored event.
   */
  private async resolvePayload(
    actor: Actor,
    request: RequestEntity,
    event: ResidentRequestEvent,
    calendarVersion?: number,
  ): Promise<{ resolved: ResidentRequestEvent; given: Record<string, unknown> }> {
    if (event.type === 'PROPOSE_PLAN') {
      const plan = resolvePlanDates(
        await this.clocks.calendarAt(calendarVersion),
        event,
        new Date(),
      );
      if ('errors' in plan) throw invalidFields(plan.errors);
      return plan;
    }
    if (event.type === 'MERGE') return this.merges.resolve(actor, request, event);
    if (event.type !== 'REQUEST_EXTENSION') return { resolved: event, given: {} };
    const cal = await this.clocks.calendarAt(calendarVersion);
    const until = resolveUntil(cal, event.until, new Date());
    if ('problem' in until) throw invalidFields([{ field: 'until', messages: [until.problem] }]);
    return {
      resolved: { ...event, until: until.until },
      given: until.date ? { untilDate: until.date } : {},
    };
  }

  /**
   * The resident's CONFIRM or DISPUTE through their feedback link, inside the caller's transaction
   * (which checked the link against the locked request). Null when the state no longer takes it.
   */
  async applyFromFeedbackLink(
    subject: CommandSubject,
    event: Extract<ResidentRequestEvent, { type: 'CONFIRM' | 'DISPUTE' }>,
  ): Promise<RequestEntity | null> {
    const { request, clocks, calendarVersion } = subject;
    const stored: MachineState = { state: request.state, context: request.context };
    if (!acceptedEventTypes(request.machineVersion, stored).includes(event.type)) return null;
    const by: Initiator = { kind: 'feedback-link', residentId: request.residentId };
    return (await this.commit(by, request, event, { clocks, calendarVersion })).request;
  }

  /**
   * Runs the machine and writes the result; the caller has checked who may send the event.
   * `clocks` are the request's clocks, locked, when the caller already has them; `given` adds
   * what the caller sent, where the engine resolved it, to the stored event.
   */
  private async commit(
    by: Initiator,
    request: RequestEntity,
    event: ResidentRequestEvent,
    opts: { clocks?: ClockRow[]; calendarVersion?: number; given?: Record<string, unknown> } = {},
  ): Promise<{ request: RequestEntity; clocks: ClockRow[] }> {
    const { clocks, calendarVersion, given = {} } = opts;
    await this.changes.checkReferences(request, event);
    const photos = await this.attachments.forEvent(actorOf(by).actorId, request, event);
    const next = nextState(
      request.machineVersion,
      { state: request.state, context: request.context },
      event,
    );
    if (!next) throw this.refused(request, event);
    const now = new Date();
    // The facts kept with the event count too (a step of an on-the-spot resolution).
    const effect = effectsOf({
      event: { ...event, ...given },
      from: request.state,
      to: next.state,
      by: senderOf(by),
    });
    const changes = await this.changes.derive(request, next, event, effect, now);
    // The clocks are locked before the version check, so a concurrent command waits for them and
    // then loses on the check; their facts go into the same row update.
    const clockChanges = await this.clocks.onTransition(
      request,
      { ...request, ...changes },
      event,
      effect.clocks,
      now,
      clocks ?? (await this.clocks.ofRequestLocked(request.id)),
      calendarVersion,
    );
    Object.assign(changes, this.changes.firstTimes(request, clockChanges.facts));
    // Written with the row, so the clocks trigger finds it right and adds no second row version.
    changes.nextDueAt = nextDue(clockChanges.clocks)?.at ?? null;
    // Every step is told to whoever its declared effects name, and to subscribed webhooks, by a
    // job that exists exactly when the step commits.
    const seq = request.version + 1;
    clockChanges.writes.jobs.push(
      this.outbox.job(
        'notification.send',
        { requestId: request.id, seq },
        { jobId: jobId('notify', request.id, seq) },
      ),
    );
    const { type, ...payload } = event;
    const moved = await this.requests.commitTransition(
      request.version,
      changes,
      {
        requestId: request.id,
        seq,
        type,
        fromState: request.state,
        toState: next.state,
        ...actorOf(by),
        payload: {
          ...payload,
          ...given,
          ...this.changes.eventFacts(request, changes),
          ...planFacts(request.context, event),
          ...(by.kind === 'feedback-link' ? { via: 'feedback_link' } : {}),
        },
        createdAt: now,
        holders: {
          branchId: changes.branchId ?? request.branchId,
          ownerUnitId: changes.ownerUnitId ?? request.ownerUnitId,
          assigneeUnitId: changes.assigneeUnitId ?? null,
          assigneeUserId: changes.assigneeUserId ?? null,
        },
      },
      clockChanges.writes,
    );
    if (!moved) {
      throw domainError(
        'REQUEST.VERSION_CONFLICT',
        'Someone else changed this request at the same moment; reload it and try again',
      );
    }
    if (photos) await this.attachments.link(photos, request.id, seq, now);
    const after: RequestEntity = { ...request, ...changes, version: request.version + 1 };
    this.db.afterCommit(() => this.metrics.transitions.inc({ type }));
    return { request: after, clocks: clockChanges.clocks };
  }
}
