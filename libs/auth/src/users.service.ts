import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, isUuid, ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { InvitationsService, IssuedInvitation } from './invitations.service';
import { PasswordHasher } from './password-hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { UserRow, UsersRepository } from './users.repository';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
  roles: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface UserPage {
  items: UserView[];
  nextCursor: string | null;
}

export function toView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    status: u.status,
    roles: u.roles,
    version: u.version,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}

function encodeUserCursor(u: UserRow): string {
  return encodeCursor({ e: u.email.toLowerCase(), i: u.id });
}

function decodeUserCursor(cursor: string): { email: string; id: string } {
  return decodeCursor(cursor, ({ e, i }) =>
    typeof e === 'string' && isUuid(i) ? { email: e, id: i } : undefined,
  );
}

/**
 * Staff administration within the caller's tenant (RLS makes other tenants'
 * users invisible, so they are simply not found). Disabling a user revokes
 * their sessions; their access tokens stop at the next request.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly scope: TenantScope,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxWriter,
    private readonly invitations: InvitationsService,
  ) {}

  /** Without a password the user is invited: the one-time token is in this answer only. */
  async create(input: {
    email: string;
    displayName: string;
    roles: string[];
    password?: string;
  }): Promise<UserView & { invitation?: IssuedInvitation }> {
    const email = input.email.trim();
    if (await this.users.findByEmail(email)) {
      throw new ProblemException('conflict', 'A user with this email already exists in this clinic');
    }
    const user = await this.users.insert({
      tenantId: this.scope.tenantId!,
      email,
      displayName: input.displayName.trim(),
      // No password: the user accepts the invitation, or signs in through the clinic's identity provider.
      passwordHash: input.password ? await this.hasher.hash(input.password) : null,
      roles: [...new Set(input.roles)],
    });
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: user.id,
      eventType: 'user.created',
      payload: { userId: user.id, roles: user.roles, status: user.status, passwordLogin: !!input.password },
    });
    if (input.password) return toView(user);
    return { ...toView(user), invitation: await this.invitations.issue(user.id) };
  }

  /** A one-time reset token (72 h); the password, and with it every session, changes when it is accepted. */
  async issuePasswordReset(id: string): Promise<IssuedInvitation> {
    const user = await this.mustFind(id, true);
    if (user.status !== 'active') {
      throw new ProblemException(
        'conflict',
        'A disabled user cannot reset a password; re-enable the user first',
      );
    }
    return this.invitations.issue(user.id, 'password_reset');
  }

  async get(id: string): Promise<UserView> {
    return toView(await this.mustFind(id));
  }

  async list(limit: number, cursor?: string): Promise<UserPage> {
    const rows = await this.users.list(limit + 1, cursor ? decodeUserCursor(cursor) : undefined);
    const items = rows.slice(0, limit);
    return {
      items: items.map(toView),
      nextCursor: rows.length > limit ? encodeUserCursor(items[items.length - 1]) : null,
    };
  }

  async update(
    id: string,
    changes: { displayName?: string; roles?: string[]; status?: 'active' | 'disabled' },
  ): Promise<UserView> {
    const before = await this.mustFind(id, true);
    const roles = changes.roles ? [...new Set(changes.roles)] : undefined;
    const disabling = changes.status === 'disabled' && before.status !== 'disabled';
    const losesAdmin =
      disabling ||
      (roles !== undefined && before.roles.includes('tenant_admin') && !roles.includes('tenant_admin'));
    // A clinic must keep at least one active administrator, or nobody could manage its staff.
    if (losesAdmin && before.status === 'active' && before.roles.includes('tenant_admin')) {
      if ((await this.users.countActiveAdmins()) <= 1) {
        throw new ProblemException('conflict', "This is the clinic's last active administrator");
      }
    }

    const changed: string[] = [];
    if (changes.displayName !== undefined && changes.displayName.trim() !== before.displayName)
      changed.push('displayName');
    if (roles && (roles.length !== before.roles.length || roles.some((r) => !before.roles.includes(r))))
      changed.push('roles');
    if (changes.status && changes.status !== before.status) changed.push('status');
    if (changed.length === 0) return toView(before);

    const after = await this.users.update(id, {
      displayName: changes.displayName?.trim(),
      roles,
      status: changes.status,
    });
    if (disabling) {
      const sessions = await this.refreshTokens.revokeAllForUser(id, 'user_disabled');
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: id,
        eventType: 'user.disabled',
        payload: { userId: id, version: after.version, revokedSessions: sessions },
      });
    }
    const otherChanges = changed.filter((c) => !(disabling && c === 'status'));
    if (otherChanges.length) {
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: id,
        eventType: 'user.updated',
        payload: {
          userId: id,
          version: after.version,
          changed: otherChanges,
          roles: after.roles,
          status: after.status,
        },
      });
    }
    return toView(after);
  }

  private async mustFind(id: string, forUpdate = false): Promise<UserRow> {
    const user = await this.users.findById(id, forUpdate);
    if (!user) throw new ProblemException('notFound', 'No such user in this clinic');
    return user;
  }
}
