import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { InvitationsRepository } from './invitations.repository';
import { PasswordHasher } from './password-hasher';
import { PASSWORD_IS_EMAIL } from './password-policy';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { UsersRepository } from './users.repository';

/** How long an invitation can be accepted. */
export const INVITATION_TTL_SECONDS = 72 * 60 * 60;
const INVALID = 'The invitation is invalid, expired or already used';

export interface IssuedInvitation {
  /** The secret: returned once to the inviter, never stored, logged or evented. */
  token: string;
  expiresAt: string;
}

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** A one-time token and the hash stored for it (core.user_invitations); the platform's first admin uses it too. */
export function newInvitationToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOf(token) };
}

/** One-time staff invitations and password resets: issue, accept (sets the password, ends the sessions). */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly scope: TenantScope,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxWriter,
  ) {}

  /** An invitation (new user) or a password reset (existing user): the same one-time token, accepted alike. */
  async issue(
    userId: string,
    purpose: 'invitation' | 'password_reset' = 'invitation',
  ): Promise<IssuedInvitation> {
    const { token, hash } = newInvitationToken();
    const row = await this.invitations.insert({
      tenantId: this.scope.tenantId!,
      userId,
      tokenHash: hash,
      ttlSeconds: INVITATION_TTL_SECONDS,
    });
    const expiresAt = new Date(row.expiresAt).toISOString();
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: userId,
      eventType: purpose === 'invitation' ? 'user.invited' : 'user.password_reset_issued',
      payload: { userId, invitationId: row.id, expiresAt },
    });
    return { token, expiresAt };
  }

  /** Sets the invited user's password; the invitation is spent and the user's other sessions end. */
  async accept(token: string, password: string): Promise<void> {
    const invitation = await this.invitations.findByHashForUpdate(hashOf(token));
    if (!invitation || invitation.acceptedAt || new Date(invitation.expiresAt).getTime() <= Date.now()) {
      throw new ProblemException('unauthenticated', INVALID);
    }
    const user = await this.users.findById(invitation.userId, true);
    if (!user || user.status !== 'active') throw new ProblemException('unauthenticated', INVALID);
    if (password.trim().toLowerCase() === user.email.trim().toLowerCase()) {
      throw new ProblemException('validation', 'The password breaks a password rule', {
        errors: [{ field: 'password', message: PASSWORD_IS_EMAIL }],
      });
    }
    await this.invitations.setPasswordHash(user.id, await this.hasher.hash(password));
    await this.invitations.markAccepted(invitation.id);
    await this.refreshTokens.revokeAllForUser(user.id, 'password_changed');
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: user.id,
      eventType: 'user.invitation_accepted',
      payload: { userId: user.id, invitationId: invitation.id },
    });
  }
}
