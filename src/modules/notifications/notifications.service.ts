import type { MessageKind } from '../../../workflows';
import { Injectable } from '@nestjs/common';
import { type NotificationRow, NotificationsRepository } from './notifications.repository';

export type Language = 'zh' | 'en';

/** A user's in-app inbox. What goes into it is written by the notifier. */
@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

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
        kind: n.kind as MessageKind,
        title: lang === 'en' ? n.titleEn : n.titleZh,
        body: lang === 'en' ? n.bodyEn : n.bodyZh,
        feedbackUrl: n.feedbackUrl,
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
