import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { commitThenFail, ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { Principal, TenantScope, TenantsRepository } from '@hims/tenancy';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { MfaChallenge, StaffMfaGate } from './mfa/staff-mfa.gate';
import { PasswordSignIn, signInRefusal } from './sign-in/password-sign-in';
import { StaffSignInRealm } from './sign-in/staff-realm';
import { AuthPrincipalVerifier } from './principal-verifier';
import { AuthPrincipal, ExternalIdentity, principalOf } from './principal';
import { unauthenticated } from './problems';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TokenService } from './token.service';
import { LOGIN_SUBJECT_NAMESPACE, uuidV5 } from './uuid-v5';
import { UserRow, UsersRepository } from './users.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Introspection {
  active: boolean;
  sub?: string;
  tid?: string;
  roles?: string[];
  exp?: number;
}

/**
 * Sign-in rules: password login with lockout, refresh rotation with reuse
 * detection, logout, introspection, and sign-in through a tenant's own
 * OpenID Connect provider. Runs in the request's tenant transaction.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly scope: TenantScope,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly realm: StaffSignInRealm,
    private readonly signIn: PasswordSignIn,
    private readonly identities: IdentityProvidersRepository,
    private readonly tokens: TokenService,
    private readonly outbox: OutboxWriter,
    private readonly verifier: AuthPrincipalVerifier,
    private readonly mfa: StaffMfaGate,
  ) {}

  private get tenantId(): string {
    const id = this.scope.tenantId;
    if (!id) throw new Error('AuthService used outside a tenant scope');
    return id;
  }

  /** Tokens, or a second step (MfaChallenge) when the user's role or choice needs one (docs/auth.md). */
  async login(
    email: string,
    password: string,
    clientAddress: string | null,
  ): Promise<TokenPair | MfaChallenge> {
    const outcome = await this.signIn.check(this.realm, this.realm.sql, { email, password, clientAddress });
    if (outcome.kind !== 'ok') {
      // Refusals are audited (user.login_failed) and committed; blocked attempts are not counted.
      await this.loginFailed(
        outcome.kind === 'failed' ? outcome.account : undefined,
        outcome.email,
        outcome.reason,
        'password',
      );
      throw commitThenFail(signInRefusal(outcome));
    }
    if (outcome.secondFactor) return this.mfa.challenge(outcome.account);
    return this.startSession(outcome.account, { method: 'password' });
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const row = await this.refreshTokens.findByHashForUpdate(this.tokens.hashRefreshToken(refreshToken));
    const invalid = () => unauthenticated('The refresh token is invalid, expired or revoked');
    if (!row || row.revokedAt) throw invalid();
    await this.users.actAs(row.userId);
    if (row.rotatedAt) {
      // A rotated token came back: it was copied. End the whole session, for the thief and the user alike.
      await this.refreshTokens.revokeFamily(row.familyId, 'reuse');
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: row.userId,
        eventType: 'user.refresh_token_reused',
        payload: { userId: row.userId, sessionId: row.familyId },
      });
      throw commitThenFail(invalid());
    }
    if (!row.live) throw invalid();
    const user = await this.users.findById(row.userId);
    if (!user || user.status !== 'active') {
      await this.refreshTokens.revokeFamily(row.familyId, 'user_inactive');
      throw commitThenFail(invalid());
    }
    const pair = await this.issue(user, row.familyId, (newId) =>
      this.refreshTokens.markRotated(row.id, newId),
    );
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: user.id,
      eventType: 'user.token_refreshed',
      payload: { userId: user.id, sessionId: row.familyId, roles: user.roles },
    });
    return pair;
  }

  /** Idempotent: an unknown or already revoked token is not an error. */
  async logout(refreshToken: string): Promise<void> {
    const row = await this.refreshTokens.findByHashForUpdate(this.tokens.hashRefreshToken(refreshToken));
    if (!row) return;
    await this.users.actAs(row.userId);
    const revoked = await this.refreshTokens.revokeFamily(row.familyId, 'logout');
    if (revoked > 0) {
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: row.userId,
        eventType: 'user.logged_out',
        payload: { userId: row.userId, sessionId: row.familyId },
      });
    }
  }

  async me(principal: AuthPrincipal) {
    const [user, tenant] = await Promise.all([
      this.users.findById(principal.userId),
      this.tenants.findCurrent(),
    ]);
    if (!user || !tenant) throw unauthenticated();
    return {
      user: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        status: user.status,
        roles: user.roles,
      },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      roles: this.scope.roles.length ? this.scope.roles : user.roles,
    };
  }

  /**
   * Token introspection for other services: signature and claims, then, in the
   * token's tenant, the same live checks as a request (user active, session
   * not revoked, roles still held, tenant active).
   */
  async introspect(token: string): Promise<Introspection> {
    try {
      const claims = await this.tokens.verifyAccessToken(token);
      const principal = principalOf(claims);
      const current: Principal | undefined = await this.scope.run(
        { tenantId: claims.tid, userId: claims.sub, sessionId: claims.sid },
        async () => {
          const { tenant, principal: state } = this.scope.state;
          if (!tenant || tenant.status !== 'active') return undefined;
          return this.verifier.verify(principal, state);
        },
      );
      if (!current) return { active: false };
      return { active: true, sub: claims.sub, tid: claims.tid, roles: claims.roles, exp: claims.exp };
    } catch {
      return { active: false };
    }
  }

  /**
   * Sign-in with a verified token from the tenant's provider. The subject is
   * matched through core.user_identities; on first use, an existing user with
   * the same email is linked only if the provider vouches the email is verified.
   */
  async exchangeExternal(identity: ExternalIdentity): Promise<TokenPair> {
    const refuse = async (reason: string, user?: UserRow): Promise<never> => {
      await this.loginFailed(user, `${identity.issuer}\n${identity.subject}`, reason, 'oidc', {
        providerId: identity.providerId,
      });
      throw commitThenFail(
        new ProblemException('forbidden', 'This identity is not allowed to sign in to this clinic'),
      );
    };

    let user: UserRow | undefined;
    const linkedId = await this.identities.findLinkedUserId(identity.issuer, identity.subject);
    if (linkedId) {
      user = await this.users.findById(linkedId);
    } else {
      if (!identity.email) return refuse('no_email');
      if (!identity.emailVerified) return refuse('email_not_verified');
      user = await this.users.findByEmail(identity.email);
      if (!user) return refuse('unknown_identity');
      if (await this.identities.hasIdentityAt(user.id, identity.issuer))
        return refuse('already_linked', user);
      await this.users.actAs(user.id);
      await this.identities.link({
        tenantId: this.tenantId,
        issuer: identity.issuer,
        subject: identity.subject,
        userId: user.id,
      });
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: user.id,
        eventType: 'user.identity_linked',
        payload: { userId: user.id, providerId: identity.providerId },
      });
    }
    if (!user || user.status !== 'active') return refuse('account_disabled', user);
    return this.startSession(user, { method: 'oidc', providerId: identity.providerId });
  }

  /** A new session for a user whose sign-in is complete (here, or after the second step). */
  async startSession(user: UserRow, context: Record<string, unknown>): Promise<TokenPair> {
    await this.users.actAs(user.id);
    const sessionId = randomUUID();
    const pair = await this.issue(user, sessionId);
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: user.id,
      eventType: 'user.logged_in',
      payload: { userId: user.id, sessionId, roles: user.roles, ...context },
    });
    return pair;
  }

  private async issue(
    user: UserRow,
    sessionId: string,
    afterInsert?: (newTokenId: string) => Promise<void>,
  ): Promise<TokenPair> {
    const refresh = this.tokens.newRefreshToken();
    const newId = await this.refreshTokens.insert({
      tenantId: this.tenantId,
      familyId: sessionId,
      userId: user.id,
      hash: refresh.hash,
      ttlSeconds: this.tokens.refreshTokenTtlSeconds,
    });
    await afterInsert?.(newId);
    const access = await this.tokens.signAccessToken({
      userId: user.id,
      tenantId: this.tenantId,
      roles: user.roles,
      sessionId,
    });
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    };
  }

  /**
   * user.login_failed: the aggregate is the user if one matched, otherwise a
   * uuid derived from what was typed, so repeated attempts on one name group
   * together without the name itself appearing in the event.
   */
  private async loginFailed(
    user: UserRow | undefined,
    name: string,
    reason: string,
    method: 'password' | 'oidc',
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: user?.id ?? uuidV5(`${this.tenantId}\n${name}`, LOGIN_SUBJECT_NAMESPACE),
      eventType: 'user.login_failed',
      payload: { reason, method, knownUser: !!user, ...extra },
    });
  }
}
