import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens } from '../../common/auth/access-tokens';
import { LoginThrottle } from '../../common/auth/login-throttle';
import { PasswordHasher } from '../../common/auth/password-hasher';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DatabaseService } from '../../database/database.service';
import type { UserEntity } from '../users/users.entity';
import { UsersService } from '../users/users.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const refused = () =>
  domainError('AUTH.INVALID_TOKEN', 'The refresh token is invalid, expired, used up or revoked');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccessTokens,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A locked account or address is refused before any hashing, and again once a hashing slot is
   * free (it may have been locked meanwhile), so a flood of bad sign-ins costs little. A wrong
   * password, an unknown username and an inactive account fail alike and count alike.
   */
  async login(
    username: string,
    password: string,
    address: string,
  ): Promise<Session & { user: UserEntity }> {
    const name = username.trim().toLowerCase();
    const gate = this.gate(name, address);
    await gate.admit();
    // When the row was read: the session's tokens rest on it (see AccessTokens.sign).
    const readAt = Date.now();
    const user = await this.users.findByUsername(name);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password, gate);
    if (!user || !ok || !user.active) {
      // The right password of an inactive account: counted here, as the hasher did not.
      if (ok) await gate.mismatch();
      throw domainError('AUTH.INVALID_CREDENTIALS', 'Wrong username or password');
    }
    await this.throttle.recordSuccess(name);
    await this.refreshTokens.deleteExpired(user.id, new Date(readAt));
    return { ...(await this.startSession(user, readAt, randomUUID())), user };
  }

  /**
   * Uses a refresh token up for a new pair. A token presented a second time means two parties hold
   * it (one of them a thief): its whole family is revoked, and both must sign in again.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const now = Date.now();
    const outcome = await this.db.transaction(async () => {
      const row = await this.refreshTokens.findForUpdate(sha256(refreshToken));
      if (!row || row.revokedAt) return null;
      const stale =
        row.usedAt !== null ||
        row.expiresAt.getTime() <= now ||
        !row.userActive ||
        (row.tokensValidAfter !== null && row.createdAt < row.tokensValidAfter);
      if (stale) {
        await this.refreshTokens.revokeFamily(row.familyId, new Date(now));
        return null;
      }
      await this.refreshTokens.markUsed(row.id, new Date(now));
      const user = await this.users.get(row.userId);
      return this.startSession(user, now, row.familyId);
    });
    if (!outcome) throw refused();
    return outcome;
  }

  /** Ends the session a refresh token belongs to. Unknown tokens are ignored: nothing to end. */
  async logout(refreshToken: string): Promise<void> {
    const family = await this.refreshTokens.familyOf(sha256(refreshToken));
    if (family) await this.refreshTokens.revokeFamily(family, new Date());
  }

  /**
   * The caller's own password. A wrong current password counts as a failed sign-in, so a stolen
   * access token cannot be used to guess it. Every other session ends; this one gets new tokens.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    address: string,
  ): Promise<Session> {
    const gate = this.gate(actor.username, address);
    await gate.admit();
    const user = await this.users.get(actor.id);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword, gate))) {
      throw domainError('AUTH.WRONG_PASSWORD', 'The current password is wrong');
    }
    const revokedAt = await this.users.changePassword(user.id, newPassword);
    return this.startSession(user, Math.max(Date.now(), revokedAt), randomUUID());
  }

  /** The throttle around hashing one password of `username` sent from `address`. */
  private gate(username: string, address: string) {
    return {
      admit: () => this.throttle.assertAllowed(username, address),
      mismatch: () => this.throttle.recordFailure(username, address),
    };
  }

  private async startSession(
    user: { id: string; role: UserEntity['role'] },
    issuedAt: number,
    familyId: string,
  ): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresIn = this.config.refreshTokenTtlSeconds;
    await this.refreshTokens.insert({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      createdAt: new Date(issuedAt),
      expiresAt: new Date(issuedAt + refreshExpiresIn * 1000),
    });
    return { ...(await this.tokens.sign(user, issuedAt)), refreshToken, refreshExpiresIn };
  }
}
