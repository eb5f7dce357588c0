import { Module } from '@nestjs/common';
import { CalendarRepository } from '../calendar/calendar.repository';
import { CategoriesModule } from '../categories/categories.module';
import { SlaPoliciesController } from './sla-policies.controller';
import { SlaPoliciesRepository } from './sla-policies.repository';
import { SlaPoliciesService } from './sla-policies.service';

@Module({
  imports: [CategoriesModule],
  controllers: [SlaPoliciesController],
  providers: [SlaPoliciesRepository, SlaPoliciesService, CalendarRepository],
  exports: [SlaPoliciesService],
})
export class SlaPoliciesModule {}
