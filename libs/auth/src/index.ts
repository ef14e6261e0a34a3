export { AuthModule } from './auth.module';
export { Roles, Public, CurrentPrincipal, IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
export { Role, ALL_ROLES, PERMISSIONS, Permission, rolesWith, isRole } from './roles';
export type { AuthPrincipal, ExternalIdentity } from './principal';
export { PasswordHasher } from './password-hasher';
export { uuidV5 } from './uuid-v5';
export {
  TokenService,
  AccessClaims,
  InvalidTokenError,
  PlatformClaims,
  PLATFORM_OPERATOR_ROLE,
} from './token.service';
export { INVITATION_TTL_SECONDS, newInvitationToken } from './invitations.service';
export { passwordProblems } from './password-policy';
export { unauthenticated } from './problems';
export { SigningKeyRing, rotateSigningKey } from './signing-keys';
export { bearerToken } from './bearer';
export { LoginDto } from './dto/auth.dto';
export { PasswordSignIn, signInRefusal, BAD_CREDENTIALS } from './sign-in/password-sign-in';
export type { SignInAccount, SignInRealm, PasswordOutcome } from './sign-in/password-sign-in';
export { LoginAttemptsTable, OPERATOR_LOGIN_ATTEMPTS, STAFF_LOGIN_ATTEMPTS } from './sign-in/login-attempts';
export type { SqlRunner } from './sign-in/login-attempts';
export { SecondFactor, CHALLENGE_TTL_SECONDS } from './mfa/second-factor';
export type { SecondFactorStore, FactorRow, ChallengeRow } from './mfa/second-factor';
export { totpCode } from './mfa/totp';
export { MfaChallengeDto, MfaEnrolmentDto, MfaTokenDto, MfaVerifiedDto, MfaVerifyDto } from './dto/mfa.dto';
export { secondFactorInput } from './mfa/mfa.controller';
