import { Module } from '@nestjs/common';
import { PasswordHasher } from '../../common/auth/password-hasher';
import { UnitsModule } from '../units/units.module';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [UnitsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PasswordHasher],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
