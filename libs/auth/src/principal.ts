import type { Principal } from '@hims/tenancy';
import type { AccessClaims } from './token.service';

/** Our access token's caller. `sessionId` is the refresh family, so logout ends the session at once. */
export interface AuthPrincipal extends Principal {
  sessionId: string;
  tokenId: string;
  expiresAt: number;
}

/** A person proven by a tenant's external OpenID Connect provider (not yet one of our users). */
export interface ExternalIdentity {
  tenantId: string;
  providerId: string;
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
}

/** The caller a verified access token names (the guard's request.user, introspection's principal). */
export function principalOf(claims: AccessClaims): AuthPrincipal {
  return {
    userId: claims.sub,
    tenantId: claims.tid,
    roles: claims.roles,
    sessionId: claims.sid,
    tokenId: claims.jti,
    expiresAt: claims.exp,
  };
}
