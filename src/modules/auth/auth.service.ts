import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { verifyPassword } from '../../common/auth/passwords';
import { domainError } from '../../common/errors/domain-error';
import type { UserEntity } from '../users/users.entity';
import { UsersService } from '../users/users.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
  ) {}

  async login(
    username: string,
    password: string,
  ): Promise<{ accessToken: string; expiresIn: number; user: UserEntity }> {
    const user = await this.users.findByUsername(username.trim().toLowerCase());
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok || !user.active) {
      throw domainError('AUTH.INVALID_CREDENTIALS', 'Wrong username or password');
    }
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role });
    const { exp, iat } = this.jwt.decode<{ exp: number; iat: number }>(accessToken);
    return { accessToken, expiresIn: exp - iat, user };
  }
}
