import { Injectable } from '@nestjs/common';
import type { MessageKind } from '../../../workflows';
import type { JobPayloads } from '../../common/queue/jobs';
import { MessageChannel } from './message-channel';
import { NotificationsRepository } from './notifications.repository';

/**
 * Sends one text message that a notification job wrote, outside any transaction. A message marked
 * sent is never sent again; one whose send succeeded but whose marking failed is retried with the
 * same idempotency key, which a gateway uses to drop the repeat.
 */
@Injectable()
export class MessageSenderService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly channel: MessageChannel,
  ) {}

  async send(job: JobPayloads['message.send']): Promise<void> {
    const message = await this.notifications.message(job.messageId);
    if (!message || message.status === 'sent') return;
    try {
      await this.channel.send({
        idempotencyKey: message.id,
        userId: message.userId,
        phone: message.phone,
        text: message.body,
        kind: message.kind as MessageKind,
        reference: message.reference,
      });
    } catch (e) {
      await this.notifications.markMessageAttempt(message.id, false);
      throw e;
    }
    await this.notifications.markMessageAttempt(message.id, true);
  }
}
