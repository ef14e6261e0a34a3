import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@hims/events';
import type { AuthPrincipal } from './principal';
import { RefreshTokensRepository } from './refresh-tokens.repository';

/**
 * Sessions across devices. Ending them all revokes every refresh-token family
 * of the caller; the per-request principal check then refuses their access
 * tokens too, this device's included.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Idempotent: with nothing left to revoke it still answers, and writes no event. */
  async logoutEverywhere(principal: AuthPrincipal): Promise<number> {
    const sessions = await this.refreshTokens.revokeAllForUser(principal.userId, 'logout_all');
    if (sessions > 0) {
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: principal.userId,
        eventType: 'user.logged_out_everywhere',
        payload: { userId: principal.userId, sessionId: principal.sessionId, revokedSessions: sessions },
      });
    }
    return sessions;
  }
}
