import { Injectable } from '@nestjs/common';
import type { Principal, PrincipalState, PrincipalVerifier } from '@hims/tenancy';
import { unauthenticated } from './problems';

/**
 * Applied to every authenticated request with the state its first statement
 * read (core.begin_request, under RLS): the user must still exist and be
 * active, the session must not have been logged out or revoked, and the token
 * may not claim a role the user no longer has. This is what makes disabling a
 * user take effect at once.
 */
@Injectable()
export class AuthPrincipalVerifier implements PrincipalVerifier {
  verify(principal: Principal, state: PrincipalState | undefined): Principal {
    if (!state || state.status !== 'active' || state.sessionRevoked) {
      throw unauthenticated('The session has ended or the account is disabled');
    }
    if (!principal.roles.every((r) => state.roles.includes(r))) {
      throw unauthenticated("The account's roles changed; sign in again");
    }
    return { ...principal, roles: state.roles };
  }
}
