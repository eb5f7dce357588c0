import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { CategoriesModule } from '../categories/categories.module';
import { ClocksModule } from '../clocks/clocks.module';
import { SlaPoliciesModule } from '../sla-policies/sla-policies.module';
import { UnitsModule } from '../units/units.module';
import { UsersModule } from '../users/users.module';
import { RequestChangesService } from './request-changes.service';
import { RequestCommandsService } from './request-commands.service';
import { RequestDuplicatesService } from './request-duplicates.service';
import { RequestIntakeService } from './request-intake.service';
import { RequestMergeService } from './request-merge.service';
import { RequestViewService } from './request-view.service';
import { RequestsController } from './requests.controller';
import { RequestsRepository } from './requests.repository';
import { RequestsService } from './requests.service';

@Module({
  imports: [
    UnitsModule,
    UsersModule,
    CategoriesModule,
    ClocksModule,
    SlaPoliciesModule,
    AttachmentsModule,
  ],
  controllers: [RequestsController],
  providers: [
    RequestsRepository,
    RequestsService,
    RequestCommandsService,
    RequestIntakeService,
    RequestChangesService,
    RequestViewService,
    RequestMergeService,
    RequestDuplicatesService,
  ],
  exports: [RequestCommandsService, RequestsService],
})
export class RequestsModule {}
