import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  getSchemaPath,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { AuthService, TokenPair } from './auth.service';
import {
  clearConsoleSession,
  CONSOLE_SESSION_PATH,
  consoleRefreshToken,
  setConsoleSession,
} from './console-session';
import { Public } from './decorators';
import { LoginDto } from './dto/auth.dto';
import { MfaChallengeDto, MfaVerifyDto } from './dto/mfa.dto';
import { secondFactorInput } from './mfa/mfa.controller';
import { isMfaChallenge, MfaChallenge } from './mfa/staff-mfa.gate';
import { StaffMfaService } from './mfa/staff-mfa.service';
import { unauthenticated } from './problems';

class ConsoleTokenDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn!: number;
}

class ConsoleVerifiedDto extends ConsoleTokenDto {
  @ApiProperty({
    type: [String],
    required: false,
    description: 'Only right after enrolment: the recovery codes, once',
  })
  recoveryCodes?: string[];
}

const TENANT = { name: 'X-Tenant-ID', required: true, description: 'The clinic (tenant) id' };
const CSRF = { name: 'X-CSRF-Token', required: true, description: 'The value of the hims_csrf cookie' };

/**
 * Sign-in for the staff console (browser): the refresh token goes into an
 * HttpOnly cookie instead of the body (see console-session.ts). Other clients
 * keep using /api/v1/auth/login and /refresh with the token in JSON.
 */
@ApiTags('auth')
@Public()
@Controller(CONSOLE_SESSION_PATH.slice(1))
export class ConsoleSessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: StaffMfaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private answer(req: Request, res: Response, pair: TokenPair): ConsoleTokenDto {
    setConsoleSession(req, res, pair.refreshToken, this.config.auth.refreshTokenTtlSeconds);
    res.setHeader('Cache-Control', 'no-store');
    return { accessToken: pair.accessToken, tokenType: pair.tokenType, expiresIn: pair.expiresIn };
  }

  @Post('login')
  @HttpCode(200)
  @ApiHeader(TENANT)
  @ApiOperation({ summary: 'Console sign-in: access token in the body, refresh token in an HttpOnly cookie' })
  @ApiExtraModels(ConsoleTokenDto, MfaChallengeDto)
  @ApiOkResponse({
    description: 'Signed in, or (MfaChallengeDto) a second step follows: no cookie yet',
    schema: { oneOf: [{ $ref: getSchemaPath(ConsoleTokenDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one answer for both)' })
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleTokenDto | MfaChallenge> {
    const answer = await this.auth.login(body.email, body.password, req.ip ?? null);
    if (isMfaChallenge(answer)) {
      res.setHeader('Cache-Control', 'no-store');
      return answer;
    }
    return this.answer(req, res, answer);
  }

  @Post('mfa/verify')
  @HttpCode(200)
  @ApiHeader(TENANT)
  @ApiOperation({
    summary: 'Console second step: the code completes the sign-in (refresh token in the cookie)',
  })
  @ApiOkResponse({ type: ConsoleVerifiedDto })
  @ApiUnauthorizedResponse({ description: 'Wrong code, or the mfaToken is unknown, expired or used' })
  async verifyMfa(
    @Body() body: MfaVerifyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleVerifiedDto> {
    const { recoveryCodes, ...pair } = await this.mfa.verify(
      body.mfaToken,
      secondFactorInput(body),
      req.ip ?? null,
    );
    return { ...this.answer(req, res, pair), ...(recoveryCodes ? { recoveryCodes } : {}) };
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiHeader(TENANT)
  @ApiHeader(CSRF)
  @ApiOperation({ summary: 'Console refresh from the cookie (rotates it); needs the CSRF header' })
  @ApiOkResponse({ type: ConsoleTokenDto })
  @ApiUnauthorizedResponse({ description: 'No session cookie, or the session ended' })
  @ApiForbiddenResponse({ description: 'CSRF header missing or wrong' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ConsoleTokenDto> {
    const token = consoleRefreshToken(req);
    if (!token) throw unauthenticated('No console session');
    return this.answer(req, res, await this.auth.refresh(token));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiHeader(TENANT)
  @ApiHeader(CSRF)
  @ApiOperation({ summary: 'Console sign-out: ends the session and clears its cookies' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'CSRF header missing or wrong' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = consoleRefreshToken(req);
    if (token) await this.auth.logout(token);
    clearConsoleSession(req, res);
  }
}
