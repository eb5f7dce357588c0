import { Injectable, Logger } from '@nestjs/common';

export interface OutgoingMessage {
  userId: string;
  phone: string;
  text: string;
}

/**
 * The seam for SMS or WeChat: one method, one message. A real driver (an SMS gateway, a WeChat
 * template message) implements this and is bound in NotificationsModule instead of the logger.
 */
export abstract class MessageChannel {
  abstract send(message: OutgoingMessage): Promise<void>;
}

/** The driver used until a gateway is configured: it writes what it would send to the log. */
@Injectable()
export class LoggingMessageChannel extends MessageChannel {
  private readonly logger = new Logger('MessageChannel');

  send(message: OutgoingMessage): Promise<void> {
    this.logger.log(`to ${message.phone} (user ${message.userId}): ${message.text}`);
    return Promise.resolve();
  }
}
