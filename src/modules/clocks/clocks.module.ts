import { Module } from '@nestjs/common';
import { CalendarRepository } from '../calendar/calendar.repository';
import { ClocksRepository } from './clocks.repository';
import { ClocksService } from './clocks.service';

@Module({
  providers: [ClocksRepository, ClocksService, CalendarRepository],
  exports: [ClocksService],
})
export class ClocksModule {}
