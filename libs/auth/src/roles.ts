/**
 * Staff roles and what each may do: the single source of truth (the database
 * CHECK on core.users.roles lists the same names). Documented in docs/auth.md.
 */
export const ALL_ROLES = ['tenant_admin', 'doctor', 'nurse', 'receptionist'] as const;
export type Role = (typeof ALL_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}

/** Front-desk and clinical work: every staff role (issue 4: registration and reading by all four). */
const ALL_STAFF: Role[] = [...ALL_ROLES];

/** Permission → the roles that hold it. Routes use `Roles(...rolesWith('patient:read'))` or name roles directly. */
export const PERMISSIONS = {
  'user:manage': ['tenant_admin'],
  'audit:read': ['tenant_admin'],
  'patient:register': ALL_STAFF,
  'patient:read': ALL_STAFF,
  'patient:update': ALL_STAFF,
  'patient:deactivate': ['tenant_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesWith(permission: Permission): Role[] {
  return [...PERMISSIONS[permission]];
}
