import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { PRINCIPAL_VERIFIER, TenantScopeModule } from '@hims/tenancy';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ConsoleSessionController } from './console-session.controller';
import { JwtAuthGuard, OidcAuthGuard, RolesGuard } from './guards';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { InvitationsController } from './invitations.controller';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { JwksController } from './jwks.controller';
import { MfaController } from './mfa/mfa.controller';
import { SecondFactor } from './mfa/second-factor';
import { SecretBox } from './mfa/secret-box';
import { StaffMfaGate } from './mfa/staff-mfa.gate';
import { StaffMfaService } from './mfa/staff-mfa.service';
import { StaffMfaStore } from './mfa/staff-mfa.store';
import { OidcTokenVerifier } from './oidc-verifier';
import { PasswordHasher } from './password-hasher';
import { AuthPrincipalVerifier } from './principal-verifier';
import { PasswordSignIn } from './sign-in/password-sign-in';
import { StaffSignInRealm } from './sign-in/staff-realm';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionsService } from './sessions.service';
import { SigningKeyRing } from './signing-keys';
import { TokenService } from './token.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Authentication and staff administration. Global for one reason: the tenancy interceptor
 * (a lower layer) asks for PRINCIPAL_VERIFIER, which this module provides; tenancy cannot
 * import auth without a cycle. Guard order matters: the token is verified before roles are
 * checked.
 */
@Global()
@Module({
  imports: [TenantScopeModule, EventsModule, IdempotencyModule],
  controllers: [
    AuthController,
    ConsoleSessionController,
    UsersController,
    JwksController,
    InvitationsController,
    MfaController,
  ],
  providers: [
    {
      provide: SigningKeyRing,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new SigningKeyRing(c.auth.keyDir, c.auth.accessTokenTtlSeconds),
    },
    {
      provide: TokenService,
      inject: [APP_CONFIG, SigningKeyRing],
      useFactory: (c: AppConfig, keys: SigningKeyRing) => new TokenService(c.auth, keys, c.platform.audience),
    },
    PasswordHasher,
    {
      provide: SecondFactor,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new SecondFactor(new SecretBox(c.auth.mfaKey), c.auth.mfaIssuer),
    },
    StaffMfaStore,
    StaffMfaGate,
    StaffMfaService,
    UsersRepository,
    RefreshTokensRepository,
    PasswordSignIn,
    StaffSignInRealm,
    IdentityProvidersRepository,
    AuthPrincipalVerifier,
    { provide: PRINCIPAL_VERIFIER, useExisting: AuthPrincipalVerifier },
    AuthService,
    SessionsService,
    UsersService,
    InvitationsRepository,
    InvitationsService,
    OidcTokenVerifier,
    OidcAuthGuard,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [PRINCIPAL_VERIFIER, TokenService, PasswordHasher, PasswordSignIn, SigningKeyRing, SecondFactor],
})
export class AuthModule {}
