import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthPrincipal } from './principal';
import type { Role } from './roles';

export const IS_PUBLIC_KEY = 'hims:public';
export const ROLES_KEY = 'hims:roles';

/**
 * No bearer token needed. The tenant header is still required unless the route is also @NoTenant().
 * The contract says so too: an empty security requirement (anonymous access).
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiSecurity({}));

/** The caller needs at least one of these roles (403 otherwise). Without it, any signed-in user may call. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller (`request.user`); undefined on public routes. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthPrincipal | undefined =>
    ctx.switchToHttp().getRequest<Request & { user?: AuthPrincipal }>().user,
);
