import { Module } from '@nestjs/common';
import { PasswordHasher } from '../../common/auth/password-hasher';
import { UnitsModule } from '../units/units.module';
import { UnitMembersController } from './unit-members.controller';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [UnitsModule],
  controllers: [UsersController, UnitMembersController],
  providers: [UsersRepository, UsersService, PasswordHasher],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
