import { ProblemException } from '@hims/errors';

/**
 * Who may do what in billing (docs/billing.md). Billing staff are the front desk: the
 * `receptionist` role (no new role: the counter that registers and books also takes the
 * fee). `tenant_admin` may do everything billing staff do, and alone may change the price
 * list and settings, refund, and cancel a finalised invoice with a credit note.
 */
export const BILLING_ROLES = {
  counter: ['receptionist', 'tenant_admin'],
  admin: ['tenant_admin'],
  read: ['receptionist', 'tenant_admin', 'doctor', 'nurse'],
} as const;

/** A tenant admin's discount limit (basis points of a line's gross); receptionists' is a setting. */
export const ADMIN_DISCOUNT_LIMIT_BP = 10000;

export function requireRole(roles: readonly string[], allowed: readonly string[], what: string): void {
  if (!roles.some((r) => allowed.includes(r))) {
    throw new ProblemException('forbidden', `Only ${allowed.join(' or ')} staff may ${what}`);
  }
}

export const notFound = (what: string) => new ProblemException('notFound', `No ${what} with this id`);

export const conflict = (detail: string, extra: Record<string, unknown> = {}) =>
  new ProblemException('conflict', detail, extra);

export function invalid(field: string, message: string): ProblemException {
  return new ProblemException('validation', '1 field(s) failed validation', { errors: [{ field, message }] });
}

export function stale(what: string, currentVersion?: number): ProblemException {
  return new ProblemException(
    'preconditionFailed',
    `The ${what} has changed since you read it; fetch it again and reapply your change`,
    {},
    currentVersion !== undefined ? { ETag: `"${currentVersion}"` } : {},
  );
}

/** Finalised invoices never change: corrections are a cancellation with a credit note. */
export const finalisedProblem = () =>
  new ProblemException(
    'invoiceFinalised',
    'This invoice is finalised and can no longer be edited; cancel it with a credit note instead',
  );

/** pg returns bigint as text: these columns come back as exact JS integers. */
export function integers<T extends object>(row: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const k of keys) {
    const v = out[k];
    if (typeof v === 'string') out[k] = Number(v);
  }
  return out as T;
}

export const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
export const CURRENT_USER = `NULLIF(current_setting('app.current_user', true), '')::uuid`;

/** TypeORM returns [rows, affected] for UPDATE ... RETURNING. */
export function returned<T>(rows: unknown): T[] {
  const r = rows as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}
