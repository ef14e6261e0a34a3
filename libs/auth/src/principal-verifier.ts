import { Injectable } from '@nestjs/common';
import type { Principal, PrincipalVerifier } from '@hims/tenancy';
import { unauthenticated } from './problems';
import type { AuthPrincipal } from './principal';
import { UsersRepository } from './users.repository';

/**
 * Runs inside every authenticated request's transaction (under RLS): the user
 * must still exist and be active, the session must not have been logged out
 * or revoked, and the token may not claim a role the user no longer has.
 * This is what makes disabling a user take effect at once.
 */
@Injectable()
export class AuthPrincipalVerifier implements PrincipalVerifier {
  constructor(private readonly users: UsersRepository) {}

  async verify(principal: Principal): Promise<Principal> {
    const { sessionId } = principal as AuthPrincipal;
    const state = await this.users.principalState(principal.userId, sessionId);
    if (!state || state.status !== 'active' || state.sessionRevoked) {
      throw unauthenticated('The session has ended or the account is disabled');
    }
    if (!principal.roles.every((r) => state.roles.includes(r))) {
      throw unauthenticated("The account's roles changed; sign in again");
    }
    return { ...principal, roles: state.roles };
  }
}
