import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemException } from '@hims/errors';
import { CurrentPrincipal, Public, Roles } from '../decorators';
import {
  MfaEnrolmentDto,
  MfaPolicyDto,
  MfaPolicyInputDto,
  MfaTokenDto,
  MfaVerifiedDto,
  MfaVerifyDto,
} from '../dto/mfa.dto';
import type { AuthPrincipal } from '../principal';
import { StaffMfaService } from './staff-mfa.service';

const TENANT = { name: 'X-Tenant-ID', required: true, description: 'The clinic (tenant) id' };

/** One of code or recoveryCode, never both or neither: a field error like class-validator's. */
export function secondFactorInput(body: MfaVerifyDto): { code?: string; recoveryCode?: string } {
  if ((body.code === undefined) === (body.recoveryCode === undefined)) {
    throw new ProblemException('validation', 'Send either code or recoveryCode', {
      errors: [{ field: 'code', message: 'send either code or recoveryCode' }],
    });
  }
  return body.code !== undefined ? { code: body.code } : { recoveryCode: body.recoveryCode };
}

@ApiTags('auth')
@Controller('api/v1')
export class MfaController {
  constructor(private readonly mfa: StaffMfaService) {}

  @Post('auth/mfa/enrol')
  @Public()
  @HttpCode(200)
  @ApiHeader(TENANT)
  @ApiOperation({
    summary: 'Second step, first time: a new TOTP secret (and its QR code) for the authenticator app',
  })
  @ApiOkResponse({ type: MfaEnrolmentDto })
  @ApiUnauthorizedResponse({ description: 'The mfaToken is unknown, expired or used' })
  @ApiConflictResponse({ description: 'An authenticator is already set up' })
  enrol(@Body() body: MfaTokenDto): Promise<MfaEnrolmentDto> {
    return this.mfa.enrol(body.mfaToken);
  }

  @Post('auth/mfa/verify')
  @Public()
  @HttpCode(200)
  @ApiHeader(TENANT)
  @ApiOperation({ summary: 'Second step: a TOTP code or a recovery code completes the sign-in' })
  @ApiOkResponse({ type: MfaVerifiedDto })
  @ApiUnauthorizedResponse({ description: 'Wrong code, or the mfaToken is unknown, expired or used' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account; see Retry-After' })
  verify(@Body() body: MfaVerifyDto, @Req() req: Request): Promise<MfaVerifiedDto> {
    return this.mfa.verify(body.mfaToken, secondFactorInput(body), req.ip ?? null);
  }

  @Get('auth/mfa/policy')
  @Roles('tenant_admin')
  @ApiBearerAuth()
  @ApiHeader(TENANT)
  @ApiOperation({ summary: "The clinic's second-factor policy" })
  @ApiOkResponse({ type: MfaPolicyDto })
  policy(): Promise<MfaPolicyDto> {
    return this.mfa.policy();
  }

  @Put('auth/mfa/policy')
  @Roles('tenant_admin')
  @ApiBearerAuth()
  @ApiHeader(TENANT)
  @ApiOperation({
    summary: 'Which roles besides tenant_admin must use a second factor (from their next sign-in)',
  })
  @ApiOkResponse({ type: MfaPolicyDto })
  setPolicy(@Body() body: MfaPolicyInputDto): Promise<MfaPolicyDto> {
    return this.mfa.setPolicy(body.requiredRoles);
  }

  @Post('users/:id/mfa-reset')
  @Roles('tenant_admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiHeader(TENANT)
  @ApiOperation({
    summary: "Remove a user's authenticator (lost phone): their sessions end; they enrol again at sign-in",
  })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The user has no authenticator' })
  async reset(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() me: AuthPrincipal): Promise<void> {
    await this.mfa.reset(id, me.userId);
  }
}
