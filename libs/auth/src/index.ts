export { AuthModule } from './auth.module';
export { Roles, Public, CurrentPrincipal, IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
export { Role, ALL_ROLES, PERMISSIONS, Permission, rolesWith, hasPermission, isRole } from './roles';
export type { AuthPrincipal, ExternalIdentity } from './principal';
export { PasswordHasher } from './password-hasher';
export { TokenService, AccessClaims, InvalidTokenError } from './token.service';
export { SigningKeyRing, rotateSigningKey } from './signing-keys';
