import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { TenantScope } from '@hims/tenancy';
import { StaffMfaGate } from '../mfa/staff-mfa.gate';
import { UserRow, UsersRepository } from '../users.repository';
import { STAFF_LOGIN_ATTEMPTS, SqlRunner } from './login-attempts';
import type { SignInRealm } from './password-sign-in';

/** Staff sign-in: core.users and core.login_attempts, in the request's tenant transaction (RLS). */
@Injectable()
export class StaffSignInRealm implements SignInRealm<UserRow> {
  readonly attempts = STAFF_LOGIN_ATTEMPTS;

  constructor(
    private readonly txHost: TransactionHost,
    private readonly scope: TenantScope,
    private readonly users: UsersRepository,
    private readonly mfa: StaffMfaGate,
  ) {}

  get sql(): SqlRunner {
    return (this.txHost as TxHost).tx;
  }

  get tenantId(): string {
    const id = this.scope.tenantId;
    if (!id) throw new Error('staff sign-in used outside a tenant scope');
    return id;
  }

  findAccount(_sql: SqlRunner, email: string): Promise<UserRow | undefined> {
    return this.users.findByEmail(email);
  }

  needsSecondFactor(_sql: SqlRunner, user: UserRow): Promise<boolean> {
    return this.mfa.applies(user);
  }
}
