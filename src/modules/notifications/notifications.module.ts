import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { UnitsModule } from '../units/units.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { LoggingMessageChannel, MessageChannel } from './message-channel';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [RequestsModule, UnitsModule, WebhooksModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    { provide: MessageChannel, useClass: LoggingMessageChannel },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
