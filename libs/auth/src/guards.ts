import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ProblemException } from '@hims/errors';
import { NO_TENANT_KEY } from '@hims/tenancy';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { AccessTokenStrategy } from './jwt.strategy';
import { OidcTokenStrategy } from './oidc.strategy';
import type { AuthPrincipal, ExternalIdentity } from './principal';
import { runStrategy } from './passport-run';
import { unauthenticated } from './problems';

/** Global: every route needs our bearer token unless it is @Public() or @NoTenant(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: AccessTokenStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(NO_TENANT_KEY, targets)) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: AuthPrincipal }>();
    const { user } = await runStrategy<AuthPrincipal>(this.strategy, req, http.getResponse<Response>());
    // Every reason (no token, bad signature, expired, wrong alg/issuer) gets the same answer.
    if (!user) throw unauthenticated();
    req.user = user;
    return true;
  }
}

/** Global, after JwtAuthGuard: @Roles(...) needs at least one of the listed roles in the token. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const user = context.switchToHttp().getRequest<Request & { user?: AuthPrincipal }>().user;
    if (!user) throw unauthenticated();
    if (!user.roles.some((r) => required.includes(r))) {
      throw new ProblemException('forbidden', `This action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}

/**
 * For the OIDC exchange route only: verifies the tenant's external provider
 * token. The identity goes to `request.externalIdentity`, not `request.user`,
 * because it is not one of our principals yet.
 */
@Injectable()
export class OidcAuthGuard implements CanActivate {
  constructor(private readonly strategy: OidcTokenStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { externalIdentity?: ExternalIdentity }>();
    const { err, user } = await runStrategy<ExternalIdentity>(
      this.strategy,
      req,
      http.getResponse<Response>(),
    );
    if (err instanceof ProblemException && err.status === 400) throw err; // bad X-Tenant-ID
    if (!user) throw unauthenticated("A valid token from the clinic's identity provider is required");
    req.externalIdentity = user;
    return true;
  }
}
