import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../libs/auth/src/password-hasher';
import type { Role } from '../../libs/auth/src/roles';
import { asTenant } from './fixtures';
import { staffSignIn } from './mfa';

const hasher = new PasswordHasher();

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A user in the tenant with a real argon2id hash, inserted as the owner under the tenant's RLS. */
export async function createUser(
  owner: DataSource,
  tenantId: string,
  opts: {
    roles: Role[];
    email?: string;
    password?: string;
    status?: 'active' | 'disabled';
    displayName?: string;
  },
): Promise<TestUser> {
  const email = opts.email ?? `user-${randomUUID().slice(0, 8)}@clinic.test`;
  const password = opts.password ?? `Pw-${randomBytes(12).toString('base64url')}`;
  const passwordHash = await hasher.hash(password);
  const id = await asTenant(owner, tenantId, async (tx) => {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO core.users (tenant_id, email, display_name, password_hash, roles, status)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        tenantId,
        email,
        opts.displayName ?? `Test ${opts.roles.join('/') || 'user'}`,
        passwordHash,
        opts.roles,
        opts.status ?? 'active',
      ],
    );
    return rows[0].id;
  });
  return { id, email, password };
}

/** Headers for an authenticated tenant request. */
export function authHeaders(token: string, tenantId: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'X-Tenant-ID': tenantId };
}

export interface LoggedIn {
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  password: string;
}

/** Creates a user with these roles and signs in through POST /api/v1/auth/login. */
export async function loginAs(
  app: INestApplication,
  owner: DataSource,
  tenantId: string,
  roles: Role[],
  opts: { email?: string; password?: string } = {},
): Promise<LoggedIn> {
  const user = await createUser(owner, tenantId, { roles, ...opts });
  // tenant_admin (and roles the clinic requires it of) complete the second step too.
  const res = await staffSignIn(app, tenantId, user);
  if (res.status !== 200) {
    throw new Error(`loginAs: login answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return {
    token: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    userId: user.id,
    email: user.email,
    password: user.password,
  };
}
