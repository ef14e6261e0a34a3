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

/** Checks, inside the request transaction, that a principal is still allowed in. */
export interface PrincipalVerifier {
  verify(principal: Principal): Promise<Principal>;
}

export const PRINCIPAL_VERIFIER = Symbol('PRINCIPAL_VERIFIER');
