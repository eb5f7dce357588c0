import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { LoggingMessageChannel, MessageChannel } from './message-channel';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { MessageSenderService } from './message-sender.service';
import { NotifierService } from './notifier.service';

@Module({
  imports: [RequestsModule, WebhooksModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    NotifierService,
    MessageSenderService,
    { provide: MessageChannel, useClass: LoggingMessageChannel },
  ],
  exports: [NotificationsService, NotifierService, MessageSenderService],
})
export class NotificationsModule {}
