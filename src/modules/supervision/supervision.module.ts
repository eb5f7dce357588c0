import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { UnitsModule } from '../units/units.module';
import { UsersModule } from '../users/users.module';
import { SupervisionController } from './supervision.controller';
import { SupervisionRepository } from './supervision.repository';
import { SupervisionService } from './supervision.service';

@Module({
  imports: [UnitsModule, UsersModule, CategoriesModule],
  controllers: [SupervisionController],
  providers: [SupervisionRepository, SupervisionService],
  exports: [SupervisionService],
})
export class SupervisionModule {}
