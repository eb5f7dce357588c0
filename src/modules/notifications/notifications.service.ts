import { Injectable } from '@nestjs/common';
import { jobId, type JobPayloads } from '../../common/queue/jobs';
import { DatabaseService } from '../../database/database.service';
import { RequestsService } from '../requests/requests.service';
import type { RequestEntity } from '../requests/requests.entity';
import { UnitsService } from '../units/units.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { MessageChannel } from './message-channel';
import { notificationTexts } from './notification-texts';
import {
  type NotificationRow,
  type Recipient,
  NotificationsRepository,
} from './notifications.repository';

export type Language = 'zh' | 'en';

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly requests: RequestsService,
    private readonly units: UnitsService,
    private readonly webhooks: WebhooksService,
    private readonly channel: MessageChannel,
    private readonly db: DatabaseService,
  ) {}

  /** The people who hold the request now: whoever must act on it. */
  private async holders(r: RequestEntity): Promise<Recipient[]> {
    switch (r.state) {
      case 'submitted':
      case 'accepted':
      case 'resolved':
        return this.notifications.usersOf(r.branchId, ['secretary']);
      case 'escalated':
        return this.notifications.usersOf(r.ownerUnitId, ['dispatcher', 'supervisor']);
      case 'assigned':
        return r.assigneeUserId
          ? this.notifications.usersByIds([r.assigneeUserId])
          : this.notifications.usersOf(r.ownerUnitId, ['assignee']);
      default:
        return this.notifications.usersOf(r.branchId, ['secretary']);
    }
  }

  /** Runs one notification job: in-app rows, SMS/WeChat for breaches, webhooks. Idempotent. */
  async send(job: JobPayloads['notification.send']): Promise<void> {
    await this.db.transaction(async () => {
      const request = await this.requests.findById(job.requestId);
      if (!request) return;
      let recipients: Recipient[];
      if (job.kind === 'deadline_warning') recipients = await this.holders(request);
      else if (job.kind === 'top_overdue')
        recipients = await this.notifications.supervisorsOver(request.unitPath);
      else if (job.kind === 'feedback_timeout') {
        recipients = [
          ...(await this.notifications.usersOf(request.branchId, ['secretary'])),
          ...(request.residentId ? await this.notifications.usersByIds([request.residentId]) : []),
        ];
      } else {
        recipients = [
          ...(await this.holders(request)),
          ...(await this.notifications.supervisorsOver(request.unitPath)),
        ];
      }
      const unique = [...new Map(recipients.map((r) => [r.id, r])).values()];
      const owner = await this.units.findById(request.ownerUnitId);
      const clock = job.clock;
      const texts = notificationTexts({
        kind: job.kind,
        reference: request.reference,
        title: request.title,
        clock,
        fraction: job.fraction,
        ownerName: owner?.name,
        dueAt: job.dueAt ?? null,
      });
      // Unique per user, so it names the request (every request's first warning has seq 2) and
      // the clock (two clocks can pass their limits at the top level at the same seq).
      const dedupeKey = jobId(request.id, job.kind, job.seq, ...(clock ? [clock] : []));
      const fresh = await this.notifications.insertMany(
        unique.map((u) => u.id),
        { requestId: request.id, kind: job.kind, dedupeKey, ...texts },
      );
      if (job.kind !== 'deadline_warning') {
        for (const user of unique.filter((u) => fresh.includes(u.id) && u.phone)) {
          await this.channel.send({
            userId: user.id,
            phone: user.phone as string,
            text: texts.bodyZh,
            kind: job.kind,
            reference: request.reference,
          });
        }
      }
      await this.webhooks.enqueueFor(request, dedupeKey, {
        event: job.kind,
        requestId: request.id,
        reference: request.reference,
        state: request.state,
        escalationLevel: request.escalationLevel,
        ownerUnitId: request.ownerUnitId,
        clock: clock ?? null,
        seq: job.seq,
        title: texts.titleZh,
        text: texts.bodyZh,
      });
    });
  }

  async inbox(userId: string, unreadOnly: boolean, page: number, pageSize: number, lang: Language) {
    const { items, total, unread } = await this.notifications.list(
      userId,
      unreadOnly,
      page,
      pageSize,
    );
    return {
      items: items.map((n: NotificationRow) => ({
        id: n.id,
        requestId: n.requestId,
        kind: n.kind,
        title: lang === 'en' ? n.titleEn : n.titleZh,
        body: lang === 'en' ? n.bodyEn : n.bodyZh,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      })),
      total,
      unread,
      page,
      pageSize,
    };
  }

  markRead(userId: string, id: string | null): Promise<number> {
    return this.notifications.markRead(userId, id);
  }

  exists(userId: string, id: string): Promise<boolean> {
    return this.notifications.exists(userId, id);
  }
}
