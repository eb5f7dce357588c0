import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { domainError } from '../errors/domain-error';
import type { Actor, Role } from './role';

/** The one algorithm tokens are signed and verified with; `none` and the others are refused. */
export const TOKEN_ALGORITHM = 'HS256';

/** How far in the future a token's `iat` may lie (clock skew between API processes). */
export const FUTURE_IAT_LEEWAY_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What an access token says. `iat` is in whole seconds, too coarse to order a token against a
 * password change made in the same second, so tokens also carry `iat_ms`.
 */
export interface TokenClaims {
  sub: string;
  role?: Role;
  iat: number;
  iat_ms?: number;
  exp: number;
}

/** A verified token's subject, when it was issued (ms) and when it expires (ms). */
export interface TokenSubject {
  sub: string;
  /** Issued no earlier than this: what revocation compares with. */
  issuedFrom: number;
  /** Issued no later than this: a cached user row read after it is fresh enough. */
  issuedBy: number;
  expiresAt: number;
}

/**
 * Checks the claims of a token whose signature is good: a subject, an `iat` no more than a minute
 * ahead of `now`, an expiry, and an `iat_ms` that agrees with `iat`. A refusal is the reason.
 */
export function readClaims(claims: unknown, now: number): TokenSubject | string {
  const c = (typeof claims === 'object' && claims !== null ? claims : {}) as Partial<
    Record<keyof TokenClaims, unknown>
  >;
  if (typeof c.sub !== 'string' || !UUID.test(c.sub)) return 'The token names no user';
  if (!Number.isInteger(c.iat) || typeof c.exp !== 'number') {
    return 'The token lacks its issue or expiry time';
  }
  const iat = c.iat as number;
  if (iat * 1000 > now + FUTURE_IAT_LEEWAY_MS) return 'The token claims to be issued in the future';
  if (c.iat_ms !== undefined) {
    if (!Number.isInteger(c.iat_ms) || Math.floor((c.iat_ms as number) / 1000) !== iat) {
      return 'The token has inconsistent issue times';
    }
    const ms = c.iat_ms as number;
    return { sub: c.sub, issuedFrom: ms, issuedBy: ms, expiresAt: c.exp * 1000 };
  }
  return {
    sub: c.sub,
    issuedFrom: iat * 1000,
    issuedBy: (iat + 1) * 1000,
    expiresAt: c.exp * 1000,
  };
}

/** The caller a token's subject resolves to, and since when (ms) its tokens count. */
export interface LiveActor {
  actor: Actor;
  tokensValidAfter: number | null;
}

/**
 * Resolves a token's subject to the live user, so a deactivated account stops at once. The lookup
 * may answer from a row read after `issuedBy` (ms).
 */
export abstract class ActorLookup {
  abstract findActor(userId: string, issuedBy: number): Promise<LiveActor | null>;
}

/** Verified tokens are remembered until they expire: verifying a signature costs more than the call. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs access tokens and turns a presented one into its caller; for the API guard and Bull Board. */
@Injectable()
export class AccessTokens {
  private readonly verified = new Map<string, TokenSubject>();

  constructor(
    private readonly jwt: JwtService,
    private readonly actors: ActorLookup,
  ) {}

  /**
   * `issuedAt` (ms) is when the user row the token rests on was read, so a token built from a row
   * read before a password change is refused even when it is signed after the change.
   */
  async sign(
    user: { id: string; role: Role },
    issuedAt: number,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const iat = Math.floor(issuedAt / 1000);
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, role: user.role, iat, iat_ms: issuedAt },
      { algorithm: TOKEN_ALGORITHM },
    );
    const { exp } = this.jwt.decode<{ exp: number }>(accessToken);
    return { accessToken, expiresIn: exp - iat };
  }

  /**
   * The live caller of a token, or 401 AUTH.INVALID_TOKEN: bad signature or algorithm, expired,
   * issued in the future, account gone or inactive, or issued before the account's
   * `tokens_valid_after` (password, role or unit change, deactivation).
   */
  async authenticate(token: string): Promise<{ actor: Actor; expiresAt: number }> {
    const subject = await this.verify(token);
    const live = await this.actors.findActor(subject.sub, subject.issuedBy);
    if (!live) {
      throw domainError('AUTH.INVALID_TOKEN', 'The account no longer exists or is inactive');
    }
    if (live.tokensValidAfter !== null && subject.issuedFrom <= live.tokensValidAfter) {
      throw domainError('AUTH.INVALID_TOKEN', 'The token was revoked; sign in again');
    }
    return { actor: live.actor, expiresAt: subject.expiresAt };
  }

  private async verify(token: string): Promise<TokenSubject> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    let claims: unknown;
    try {
      claims = await this.jwt.verifyAsync<object>(token, { algorithms: [TOKEN_ALGORITHM] });
    } catch {
      throw domainError('AUTH.INVALID_TOKEN', 'The token is invalid or has expired');
    }
    const subject = readClaims(claims, Date.now());
    if (typeof subject === 'string') throw domainError('AUTH.INVALID_TOKEN', subject);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, subject);
    return subject;
  }
}
