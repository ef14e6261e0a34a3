import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiExtraModels,
  getSchemaPath,
  ApiBearerAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { NoTenant } from '@hims/tenancy';
import { AuthService } from './auth.service';
import { CurrentPrincipal, Public } from './decorators';
import {
  IntrospectDto,
  IntrospectionDto,
  LoginDto,
  MeDto,
  RefreshTokenDto,
  TokenPairDto,
} from './dto/auth.dto';
import { MfaChallengeDto } from './dto/mfa.dto';
import { OidcAuthGuard } from './guards';
import { SessionsService } from './sessions.service';
import type { AuthPrincipal, ExternalIdentity } from './principal';

const TENANT_HEADER_DOC = { name: 'X-Tenant-ID', required: true, description: 'The clinic (tenant) id' };

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiHeader(TENANT_HEADER_DOC)
  @ApiOperation({
    summary:
      'Sign in with email and password: tokens, or a second step (MfaChallengeDto) for tenant_admin and other roles the clinic requires it of',
  })
  @ApiExtraModels(TokenPairDto, MfaChallengeDto)
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one answer for both)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failures for this account or address; see Retry-After',
  })
  login(@Body() body: LoginDto, @Req() req: Request): Promise<TokenPairDto | MfaChallengeDto> {
    return this.auth.login(body.email, body.password, req.ip ?? null);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiHeader(TENANT_HEADER_DOC)
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)' })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiHeader(TENANT_HEADER_DOC)
  @ApiOperation({ summary: 'End the session of this refresh token (its access tokens stop working too)' })
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiHeader(TENANT_HEADER_DOC)
  @ApiOperation({
    summary:
      'Sign out everywhere: end every session of the signed-in user on every device, this one included (their refresh tokens answer 401 urn:hims:problem:unauthenticated, their access tokens stop at the next request)',
  })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ description: 'No valid access token (or the session already ended)' })
  async logoutAll(@CurrentPrincipal() principal: AuthPrincipal): Promise<void> {
    await this.sessions.logoutEverywhere(principal);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiHeader(TENANT_HEADER_DOC)
  @ApiOperation({ summary: 'The signed-in user, their clinic and roles' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: AuthPrincipal): Promise<MeDto> {
    return this.auth.me(principal);
  }

  @Post('validate')
  @Public()
  @NoTenant()
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection for other services: is this access token active right now?' })
  @ApiOkResponse({ type: IntrospectionDto })
  validate(@Body() body: IntrospectDto): Promise<IntrospectionDto> {
    return this.auth.introspect(body.token);
  }

  @Post('oidc/exchange')
  @Public()
  @UseGuards(OidcAuthGuard)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiHeader(TENANT_HEADER_DOC)
  @ApiOperation({
    summary:
      "Sign in with a token from the clinic's own OpenID Connect provider (bearer = its id or access token)",
  })
  @ApiOkResponse({ type: TokenPairDto })
  exchange(@Req() req: Request & { externalIdentity: ExternalIdentity }): Promise<TokenPairDto> {
    return this.auth.exchangeExternal(req.externalIdentity);
  }
}
