import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { domainError } from '../errors/domain-error';
import { IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import type { Actor, Role } from './role';

export interface TokenClaims {
  sub: string;
  iat?: number;
}

/** When a token was issued at the latest (ms): `iat` is in whole seconds. */
export const issuedBy = (claims: TokenClaims): number => ((claims.iat ?? Infinity) + 1) * 1000;

/**
 * Resolves a token's subject to the live user, so a deactivated account stops at once. The lookup
 * may answer from a row read after `issuedAt` (ms).
 */
export abstract class ActorLookup {
  abstract findActor(userId: string, issuedAt: number): Promise<Actor | null>;
}

/** Verified tokens are remembered until they expire: verifying a signature costs more than the call. */
const VERIFIED_CACHE_SIZE = 10_000;

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new Map<
    string,
    { sub: string; issuedAt: number; expiresAt: number }
  >();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly actors: ActorLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw domainError('AUTH.UNAUTHENTICATED', 'A bearer token is required');
    }
    const { sub, issuedAt } = await this.subjectOf(token);
    const actor = await this.actors.findActor(sub, issuedAt);
    if (!actor)
      throw domainError('AUTH.INVALID_TOKEN', 'The account no longer exists or is inactive');
    req.actor = actor;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw domainError('AUTH.FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async subjectOf(token: string): Promise<{ sub: string; issuedAt: number }> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    let claims: TokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & { exp?: number }>(token);
    } catch {
      throw domainError('AUTH.INVALID_TOKEN', 'The token is invalid or has expired');
    }
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    const subject = { sub: claims.sub, issuedAt: issuedBy(claims) };
    this.verified.set(token, { ...subject, expiresAt: (claims.exp ?? 0) * 1000 });
    return subject;
  }
}
