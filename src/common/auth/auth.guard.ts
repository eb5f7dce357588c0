import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { domainError } from '../errors/domain-error';
import { AccessTokens } from './access-tokens';
import { IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import type { Actor, Role } from './role';

/** The bearer token of a request, if it sends one. */
export function bearerToken(req: Request): string | undefined {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const token = bearerToken(req);
    if (!token) throw domainError('AUTH.UNAUTHENTICATED', 'A bearer token is required');
    const { actor } = await this.tokens.authenticate(token);
    req.actor = actor;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw domainError('AUTH.FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
