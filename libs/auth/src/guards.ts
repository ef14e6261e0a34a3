import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '@hims/errors';
import { NO_TENANT_KEY, TENANT_HEADER } from '@hims/tenancy';
import { bearerToken } from './bearer';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { OidcTokenVerifier } from './oidc-verifier';
import { AuthPrincipal, ExternalIdentity, principalOf } from './principal';
import { unauthenticated } from './problems';
import { TokenService } from './token.service';

/**
 * Global: every route needs our bearer token unless it is @Public() or @NoTenant().
 * No database access here: guards run before the request transaction; the
 * interceptor's PrincipalVerifier checks the user is still active.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(NO_TENANT_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthPrincipal }>();
    const token = bearerToken(req.headers.authorization);
    // Every reason (no token, bad signature, expired, wrong alg/issuer) gets the same answer.
    if (!token) throw unauthenticated();
    const claims = await this.tokens.verifyAccessToken(token).catch(() => undefined);
    if (!claims) throw unauthenticated();
    req.user = principalOf(claims);
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
  constructor(private readonly verifier: OidcTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { externalIdentity?: ExternalIdentity }>();
    const token = bearerToken(req.headers.authorization);
    const identity = token
      ? await this.verifier.verify(token, req.headers[TENANT_HEADER]).catch(() => undefined)
      : undefined;
    // Every reason (a bad X-Tenant-ID included, as before) gets the same answer.
    if (!identity) throw unauthenticated("A valid token from the clinic's identity provider is required");
    req.externalIdentity = identity;
    return true;
  }
}
