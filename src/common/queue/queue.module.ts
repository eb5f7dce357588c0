import { Global, Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { QueueService } from './queue.service';

@Global()
@Module({
  providers: [QueueService, OutboxRepository, OutboxService],
  exports: [QueueService, OutboxService],
})
export class QueueModule {}
