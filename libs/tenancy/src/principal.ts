/**
 * Who is calling, as proven by a verified token (set on `request.user` by the
 * auth guards). Tenancy only needs the ids; auth fills in the rest.
 */
export interface Principal {
  userId: string;
  tenantId: string;
  roles: string[];
  tokenId?: string;
  expiresAt?: number;
}

/** The calling user as the database has it at the start of the request (core.begin_request). */
export interface PrincipalState {
  status: string;
  roles: string[];
  sessionRevoked: boolean;
}

/**
 * Decides, from the state the request's first statement read, whether a
 * principal is still allowed in, and with which roles (no query of its own).
 */
export interface PrincipalVerifier {
  verify(principal: Principal, state: PrincipalState | undefined): Principal;
}

export const PRINCIPAL_VERIFIER = Symbol('PRINCIPAL_VERIFIER');
