import { Module } from '@nestjs/common';
import { ClocksModule } from '../clocks/clocks.module';
import { RequestsModule } from '../requests/requests.module';
import { DeadlinesService } from './deadlines.service';
import { ReconcilerService } from './reconciler.service';

@Module({
  imports: [ClocksModule, RequestsModule],
  providers: [DeadlinesService, ReconcilerService],
  exports: [DeadlinesService, ReconcilerService],
})
export class DeadlinesModule {}
