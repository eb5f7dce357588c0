import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccessTokens, ActorLookup, TOKEN_ALGORITHM } from '../../common/auth/access-tokens';
import { AuthGuard } from '../../common/auth/auth.guard';
import { LoginThrottle } from '../../common/auth/login-throttle';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: {
          algorithm: TOKEN_ALGORITHM,
          expiresIn: config.jwtExpiresIn as `${number}m`,
        },
        verifyOptions: { algorithms: [TOKEN_ALGORITHM] },
      }),
    }),
  ],
  controllers: [AuthController],
  exports: [AccessTokens],
  providers: [
    AuthService,
    AccessTokens,
    LoginThrottle,
    RefreshTokensRepository,
    {
      provide: ActorLookup,
      useFactory: (users: UsersService) => ({
        findActor: (id: string, issuedBy: number) => users.findActiveActor(id, issuedBy),
      }),
      inject: [UsersService],
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
