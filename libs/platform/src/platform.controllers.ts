import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  MfaChallengeDto,
  MfaEnrolmentDto,
  MfaTokenDto,
  MfaVerifyDto,
  Public,
  secondFactorInput,
} from '@hims/auth';
import { ProblemException } from '@hims/errors';
import { IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from '@hims/idempotency';
import { NoTenant } from '@hims/tenancy';
import {
  FirstAdminInvitationDto,
  ListTenantsQuery,
  PlatformLoginDto,
  PlatformTenantDto,
  PlatformTenantPageDto,
  PlatformVerifiedDto,
  ProvisionedTenantDto,
  ProvisionTenantDto,
  TenantLimitsDto,
} from './dto/platform.dto';
import { CurrentOperator, OperatorPrincipal, PlatformAuthGuard } from './platform-auth.guard';
import { PlatformAuthService } from './platform-auth.service';
import { PlatformTenantsService } from './platform-tenants.service';
import { ProvisioningService } from './provisioning.service';

const requestIdOf = (req: Request & { id?: unknown }) => (req.id ? String(req.id) : null);

@ApiTags('platform')
@NoTenant()
@Controller('api/v1/platform/auth')
export class PlatformAuthController {
  constructor(private readonly auth: PlatformAuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Platform operator sign-in, step 1 (password): every operator then completes a second factor (mfa/verify) for a platform token',
  })
  @ApiOkResponse({ type: MfaChallengeDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one answer for both)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failures for this account or address; see Retry-After',
  })
  login(@Body() body: PlatformLoginDto, @Req() req: Request): Promise<MfaChallengeDto> {
    return this.auth.login(body.email, body.password, req.ip ?? null, requestIdOf(req) ?? undefined);
  }

  @Post('mfa/enrol')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "Operator's first sign-in: a new TOTP secret (and QR code) for the authenticator app",
  })
  @ApiOkResponse({ type: MfaEnrolmentDto })
  @ApiUnauthorizedResponse({ description: 'The mfaToken is unknown, expired or used' })
  @ApiConflictResponse({ description: 'An authenticator is already set up' })
  enrol(@Body() body: MfaTokenDto, @Req() req: Request): Promise<MfaEnrolmentDto> {
    return this.auth.enrol(body.mfaToken, requestIdOf(req) ?? undefined);
  }

  @Post('mfa/verify')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Operator sign-in, step 2: a TOTP or recovery code; answers the platform token' })
  @ApiOkResponse({ type: PlatformVerifiedDto })
  @ApiUnauthorizedResponse({ description: 'Wrong code, or the mfaToken is unknown, expired or used' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account; see Retry-After' })
  verify(@Body() body: MfaVerifyDto, @Req() req: Request): Promise<PlatformVerifiedDto> {
    return this.auth.verify(
      body.mfaToken,
      secondFactorInput(body),
      req.ip ?? null,
      requestIdOf(req) ?? undefined,
    );
  }
}

@ApiTags('platform')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No platform operator token (tenant tokens are refused here)' })
@NoTenant()
@UseGuards(PlatformAuthGuard)
@Controller('api/v1/platform/tenants')
export class PlatformTenantsController {
  constructor(
    private readonly provisioning: ProvisioningService,
    private readonly tenants: PlatformTenantsService,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Onboard a clinic: the provisioning saga (slug, tenant, settings, first tenant_admin with a one-time invitation, search, activation)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Required: a retry with the same key never provisions twice',
  })
  @ApiCreatedResponse({ type: ProvisionedTenantDto, description: 'Provisioned within the request' })
  @ApiAcceptedResponse({ type: ProvisionedTenantDto, description: 'Still provisioning: follow Location' })
  @ApiConflictResponse({
    description:
      'urn:hims:problem:conflict (slug taken), urn:hims:problem:provisioning-failed (a step failed; all undone), urn:hims:problem:idempotency-key-in-flight',
  })
  async create(
    @Body() body: ProvisionTenantDto,
    @CurrentOperator() operator: OperatorPrincipal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProvisionedTenantDto> {
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    if (!key)
      throw new ProblemException(
        'idempotencyKeyInvalid',
        'Idempotency-Key is required to provision a clinic',
      );
    const answer = await this.provisioning.provision({
      operatorId: operator.operatorId,
      idempotencyKey: key,
      fingerprint: requestFingerprint('POST', '/api/v1/platform/tenants', body),
      requestId: requestIdOf(req),
      body,
    });
    res.status(answer.status).setHeader('Location', answer.location);
    if (answer.replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'Tenants, oldest first, with cursor pagination and a status filter' })
  @ApiOkResponse({ type: PlatformTenantPageDto })
  list(@Query() query: ListTenantsQuery): Promise<PlatformTenantPageDto> {
    return this.tenants.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: "A tenant's status and its provisioning saga's steps" })
  @ApiOkResponse({ type: PlatformTenantDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PlatformTenantDto> {
    return this.tenants.view(id);
  }

  @Post(':id/first-admin/invitation')
  @ApiOperation({
    summary:
      "A new one-time invitation for the clinic's first admin while they have no password (the old one is void); the token is in this answer only",
  })
  @ApiCreatedResponse({ type: FirstAdminInvitationDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The first admin already has a password, or the clinic is not active' })
  reissueInvitation(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentOperator() operator: OperatorPrincipal,
    @Req() req: Request,
  ): Promise<FirstAdminInvitationDto> {
    return this.tenants.reissueFirstAdminInvitation(id, operator.operatorId, requestIdOf(req));
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Suspend a clinic: its sign-ins and existing tokens are refused at once; data untouched',
  })
  @ApiOkResponse({ type: PlatformTenantDto })
  @ApiConflictResponse({ description: 'The tenant is not active' })
  suspend(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentOperator() operator: OperatorPrincipal,
    @Req() req: Request,
  ): Promise<PlatformTenantDto> {
    return this.tenants.changeStatus(id, 'suspended', operator.operatorId, requestIdOf(req));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a suspended clinic' })
  @ApiOkResponse({ type: PlatformTenantDto })
  @ApiConflictResponse({ description: 'The tenant is not suspended' })
  reactivate(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentOperator() operator: OperatorPrincipal,
    @Req() req: Request,
  ): Promise<PlatformTenantDto> {
    return this.tenants.changeStatus(id, 'active', operator.operatorId, requestIdOf(req));
  }

  @Put(':id/limits')
  @ApiOperation({
    summary:
      "Set a clinic's share of the API: concurrent request transactions, changes and searches a minute (over it: 429 with Retry-After, for that clinic only); an omitted limit takes the default",
  })
  @ApiOkResponse({ type: PlatformTenantDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The clinic is still provisioning or failed' })
  setLimits(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: TenantLimitsDto,
    @CurrentOperator() operator: OperatorPrincipal,
    @Req() req: Request,
  ): Promise<PlatformTenantDto> {
    return this.tenants.setLimits(id, body, operator.operatorId, requestIdOf(req));
  }
}
