import { Inject, Injectable } from '@nestjs/common';
import {
  type Audience,
  type ClockKind,
  effectsOf,
  type MessageKind,
  type Notice,
  type RequestState,
  type ResidentRequestEvent,
  type Sender,
  TOP_OVERDUE_NOTICES,
} from '../../../workflows';
import { jobId, type JobPayloads } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DatabaseService } from '../../database/database.service';
import { feedbackKey, feedbackUrl, signFeedbackLink } from '../feedback/feedback-link';
import { RequestsService } from '../requests/requests.service';
import type { RequestEntity } from '../requests/requests.entity';
import { WebhooksService } from '../webhooks/webhooks.service';
import { notificationTexts, type TextInput } from './notification-texts';
import {
  type NewMessage,
  NotificationsRepository,
  type Recipient,
  type StepRow,
} from './notifications.repository';

/** Who holds the request at a step: whose people "holders" means. */
interface Holding {
  state: RequestState;
  branchId: string;
  ownerUnitId: string;
  assigneeUnitId: string | null;
  assigneeUserId: string | null;
}

/** Someone to tell: an account (in-app), a phone (text message), or both. */
interface Addressee {
  userId: string | null;
  phone: string | null;
  resident: boolean;
}

const TEXT_FIELDS = ['reason', 'resolution', 'comment', 'note', 'text'] as const;

/** A request's resident, given their active account as found (if any): see `resident`. */
function residentOf(
  request: Pick<RequestEntity, 'residentId' | 'residentPhone'>,
  account: Recipient | undefined,
): Addressee[] {
  const phone = request.residentPhone ?? account?.phone ?? null;
  if (!account && !phone) return [];
  return [{ userId: account?.id ?? null, phone, resident: true }];
}

/**
 * Runs one notification job: the step's declared notices (workflows/resident-request.effects.ts)
 * become in-app notices, text messages and webhook deliveries. Everything is written in one
 * transaction and keyed by the step, so a retried job repeats nothing; text messages and webhook
 * calls leave afterwards, from jobs of their own.
 */
@Injectable()
export class NotifierService {
  private readonly linkKey: Buffer;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly requests: RequestsService,
    private readonly webhooks: WebhooksService,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.linkKey = feedbackKey(config.jwtSecret);
  }

  async notify(job: JobPayloads['notification.send']): Promise<void> {
    await this.db.transaction(async () => {
      const request = await this.requests.findById(job.requestId);
      if (!request) return;
      const step = job.topOverdue
        ? this.currentStep(request, job.seq)
        : await this.notifications.step(request.id, job.seq);
      if (!step) return;
      const key = job.topOverdue ? `${job.seq}-top-${job.topOverdue}` : String(job.seq);
      const notices: readonly Notice[] = job.topOverdue
        ? TOP_OVERDUE_NOTICES
        : effectsOf({
            event: { type: step.type, ...step.payload } as ResidentRequestEvent,
            from: step.fromState as RequestState | null,
            to: step.toState as RequestState,
            by: senderOf(step.actorRole),
          }).notify;
      for (const notice of notices) {
        await this.tell(request, step, notice, key, job.topOverdue);
      }
      await this.webhooks.enqueueFor(
        { ...request, ownerUnitId: step.ownerUnitId ?? request.ownerUnitId },
        jobId(request.id, key),
        {
          event: job.topOverdue ? 'TOP_OVERDUE' : step.type,
          requestId: request.id,
          reference: request.reference,
          seq: step.seq,
          from: step.fromState,
          to: step.toState,
          escalationLevel: request.escalationLevel,
          ownerUnitId: step.ownerUnitId ?? request.ownerUnitId,
          clock: job.topOverdue ?? step.payload.clock ?? null,
        },
      );
    });
  }

  /** One notice: its audience, minus whoever took the step, in-app and by text message. */
  private async tell(
    request: RequestEntity,
    step: StepRow,
    notice: Notice,
    key: string,
    topOverdue?: ClockKind,
  ): Promise<void> {
    if (notice.to === 'followers') return this.tellFollowers(request, step, notice, key);
    const people = (await this.audience(notice.to, request, step)).filter(
      (a) => !a.userId || a.userId !== step.actorId,
    );
    if (people.length === 0) return;
    const input = await this.textInput(request, step, notice.message, topOverdue);
    const expiresAt = await this.feedbackExpiry(request, step, notice.message);
    const link = expiresAt && this.feedbackLink(request.id, step.seq, expiresAt);
    await this.deliver(request.id, key, notice, people, input, link);
  }

  /**
   * The residents of duplicates merged into the request, each told about their own request (the
   * one they can see) and, with a resolution, given a feedback link of their own.
   */
  private async tellFollowers(
    request: RequestEntity,
    step: StepRow,
    notice: Notice,
    key: string,
  ): Promise<void> {
    const followers = await this.notifications.followersOf(request.id);
    if (followers.length === 0) return;
    const input = await this.textInput(request, step, notice.message);
    const expiresAt = await this.feedbackExpiry(request, step, notice.message);
    const accounts = await this.notifications.usersByIds(
      followers.flatMap((f) => (f.residentId === null ? [] : [f.residentId])),
    );
    for (const follower of followers) {
      await this.deliver(
        follower.id,
        jobId('follows', request.id, key),
        notice,
        residentOf(
          follower,
          accounts.find((a) => a.id === follower.residentId),
        ),
        {
          ...input,
          reference: follower.reference,
          title: follower.title,
          original: request.reference,
        },
        expiresAt && this.feedbackLink(follower.id, step.seq, expiresAt),
      );
    }
  }

  /** Writes one notice for `people` about request `requestId`, once per step `key`. */
  private async deliver(
    requestId: string,
    key: string,
    notice: Notice,
    people: Addressee[],
    input: TextInput,
    link: string | null,
  ): Promise<void> {
    const dedupeKey = jobId(requestId, key, notice.message);
    for (const withLink of [false, true]) {
      const group = people.filter((a) => a.userId && withLink === (a.resident && link !== null));
      const texts = notificationTexts({ ...input, feedbackUrl: withLink ? link : null });
      await this.notifications.insertMany(
        group.map((a) => a.userId as string),
        {
          requestId,
          kind: notice.message,
          dedupeKey,
          ...texts,
          feedbackUrl: withLink ? link : null,
        },
      );
    }
    const messages: NewMessage[] = people
      .filter((a) => a.phone && (a.resident || notice.urgent))
      .map((a) => ({
        id: jobId('msg', requestId, key, notice.message, a.userId ?? 'resident'),
        requestId,
        userId: a.userId,
        kind: notice.message,
        phone: a.phone as string,
        body: notificationTexts({ ...input, feedbackUrl: a.resident ? link : null }).bodyZh,
      }));
    for (const id of await this.notifications.insertMessages(messages)) {
      await this.outbox.enqueue('message.send', { messageId: id }, { jobId: id });
    }
  }

  private async audience(
    to: Audience,
    request: RequestEntity,
    step: StepRow,
  ): Promise<Addressee[]> {
    const staff = (rows: { id: string; phone: string | null }[]) =>
      rows.map((r) => ({ userId: r.id, phone: r.phone, resident: false }));
    switch (to) {
      case 'resident':
        return this.resident(request);
      case 'holders':
        return staff(await this.holders(this.holdingAfter(request, step)));
      case 'previousHolders':
        return staff(await this.holders(this.holdingBefore(request, step)));
      case 'branchSecretaries':
        return staff(
          await this.notifications.usersOf(step.branchId ?? request.branchId, ['secretary']),
        );
      case 'supervisors':
        return staff(await this.notifications.supervisorsOver(request.unitPath));
      case 'contactLeader':
        return staff(await this.notifications.contactLeaderOf(step.branchId ?? request.branchId));
      case 'followers':
        return [];
      case 'resolver': {
        const resolver = await this.notifications.lastResolver(request.id, step.seq);
        const found = resolver ? await this.notifications.usersByIds([resolver]) : [];
        return found.length > 0
          ? staff(found)
          : staff(await this.holders(this.holdingAfter(request, step)));
      }
    }
  }

  /** The resident: their account if they have one, and the phone the request was filed with. */
  private async resident(
    request: Pick<RequestEntity, 'residentId' | 'residentPhone'>,
  ): Promise<Addressee[]> {
    const [account] = request.residentId
      ? await this.notifications.usersByIds([request.residentId])
      : [];
    return residentOf(request, account);
  }

  /** The people who must act on a request held like this. */
  private holders(h: Holding) {
    switch (h.state) {
      case 'escalated':
        return this.notifications.usersOf(h.ownerUnitId, ['dispatcher', 'supervisor']);
      case 'assigned':
        return h.assigneeUserId
          ? this.notifications.usersByIds([h.assigneeUserId])
          : this.notifications.usersOf(h.assigneeUnitId ?? h.ownerUnitId, ['assignee']);
      default:
        return this.notifications.usersOf(h.branchId, ['secretary']);
    }
  }

  /** Who held it right after the step (events before these were recorded fall back to now). */
  private holdingAfter(request: RequestEntity, step: StepRow): Holding {
    return {
      state: step.toState as RequestState,
      branchId: step.branchId ?? request.branchId,
      ownerUnitId: step.ownerUnitId ?? request.ownerUnitId,
      assigneeUnitId: step.ownerUnitId ? step.assigneeUnitId : request.assigneeUnitId,
      assigneeUserId: step.ownerUnitId ? step.assigneeUserId : request.assigneeUserId,
    };
  }

  /** Who held it right before the step: the facts the engine kept of what the step changed. */
  private holdingBefore(request: RequestEntity, step: StepRow): Holding {
    const after = this.holdingAfter(request, step);
    const p = step.payload;
    const was = <T>(field: string, now: T): T => (field in p ? (p[field] as T) : now);
    return {
      state: (step.fromState ?? step.toState) as RequestState,
      branchId: was('fromBranchId', after.branchId),
      ownerUnitId: was('fromOwnerUnitId', after.ownerUnitId),
      assigneeUnitId: was('fromAssigneeUnitId', after.assigneeUnitId),
      assigneeUserId: was('fromAssigneeUserId', after.assigneeUserId),
    };
  }

  /** What a message about this step may quote. */
  private async textInput(
    request: RequestEntity,
    step: StepRow,
    message: MessageKind,
    topOverdue?: ClockKind,
  ): Promise<TextInput> {
    const p = step.payload;
    const after = this.holdingAfter(request, step);
    // A dispatch names the person when there is one, else the unit.
    const holderId =
      message === 'assigned' || message === 'dispatched'
        ? (after.assigneeUserId ?? after.assigneeUnitId ?? after.ownerUnitId)
        : after.ownerUnitId;
    const names = await this.notifications.names([holderId], [holderId]);
    const clock = topOverdue ?? (typeof p.clock === 'string' ? p.clock : undefined);
    const dueAt =
      message === 'deadline_warning' && clock
        ? await this.notifications.clockDueAt(request.id, clock)
        : null;
    return {
      kind: message,
      reference: request.reference,
      title: request.title,
      text: TEXT_FIELDS.map((f) => p[f]).find((v): v is string => typeof v === 'string') ?? null,
      rating: typeof p.rating === 'number' ? p.rating : null,
      ownerName: names.get(holderId) ?? null,
      until:
        typeof p.until === 'string' ? p.until : (request.context.extensionRequested?.until ?? null),
      approved: p.approve === true,
      clock,
      fraction: typeof p.fraction === 'number' ? p.fraction : undefined,
      dueAt: dueAt?.toISOString() ?? null,
      milestone: typeof p.milestoneName === 'string' ? p.milestoneName : null,
      milestoneNumber: typeof p.milestone === 'number' ? p.milestone : undefined,
      milestoneCount: typeof p.milestoneCount === 'number' ? p.milestoneCount : undefined,
      original: typeof p.intoReference === 'string' ? p.intoReference : null,
    };
  }

  /** Until when the resolution this step recorded can be answered by link; null: no link. */
  private async feedbackExpiry(
    request: RequestEntity,
    step: StepRow,
    message: MessageKind,
  ): Promise<Date | null> {
    if (message !== 'resolved' || step.type !== 'RESOLVE') return null;
    return this.notifications.clockDueAt(request.id, 'feedback');
  }

  /** A resident's one-tap link for the resolution recorded at `seq` of their request. */
  private feedbackLink(requestId: string, seq: number, expiresAt: Date): string {
    const token = signFeedbackLink(this.linkKey, { requestId, seq, expiresAt });
    return feedbackUrl(this.config.publicBaseUrl, token);
  }

  /** A top-level overdue notice is not a step; it speaks of the request as it stands. */
  private currentStep(request: RequestEntity, seq: number): StepRow {
    return {
      seq,
      type: 'TOP_OVERDUE',
      fromState: request.state,
      toState: request.state,
      actorId: null,
      actorRole: 'system',
      payload: {},
      branchId: request.branchId,
      ownerUnitId: request.ownerUnitId,
      assigneeUnitId: request.assigneeUnitId,
      assigneeUserId: request.assigneeUserId,
    };
  }
}

function senderOf(actorRole: string): Sender {
  if (actorRole === 'system') return 'system';
  return actorRole === 'resident' ? 'resident' : 'staff';
}
