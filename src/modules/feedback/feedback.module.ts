import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { UnitsModule } from '../units/units.module';
import { UsersModule } from '../users/users.module';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';

@Module({
  imports: [RequestsModule, UnitsModule, UsersModule],
  controllers: [FeedbackController],
  providers: [FeedbackService],
})
export class FeedbackModule {}
