import { Injectable, Logger } from '@nestjs/common';
import type { MessageKind } from '../../../workflows';
import { maskPhone } from '../../common/privacy/mask-phone';

export interface OutgoingMessage {
  /** The same for every attempt at one message: a gateway drops repeats by it. */
  idempotencyKey: string;
  /** null for a resident without an account (recorded at a tea house with a phone number). */
  userId: string | null;
  phone: string;
  text: string;
  kind: MessageKind;
  /** The request's reference number (not its title), for following a message up. */
  reference: string;
}

/**
 * The seam for SMS or WeChat: one method, one message. A real driver (an SMS gateway, a WeChat
 * template message) implements this and is bound in NotificationsModule instead of the logger.
 */
export abstract class MessageChannel {
  abstract send(message: OutgoingMessage): Promise<void>;
}

/**
 * The driver used until a gateway is configured: it logs that a message would go out, to whom
 * (user id, masked phone) and about what (kind, reference), never the text, which quotes the
 * request's title, nor the full number.
 */
@Injectable()
export class LoggingMessageChannel extends MessageChannel {
  private readonly logger = new Logger('MessageChannel');

  send(message: OutgoingMessage): Promise<void> {
    this.logger.log(
      `${message.kind} for ${message.reference} to user ${message.userId ?? '(no account)'} at ${maskPhone(message.phone)}`,
    );
    return Promise.resolve();
  }
}
