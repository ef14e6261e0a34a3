import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { NoTenant } from '@hims/tenancy';
import { parseConsentNotify, parseHiRequest } from './consent-bodies';
import { CallbackIntake } from './callback-intake.service';
import { GatewayCallbackGuard, GatewayRequest } from './gateway-callback.guard';

const OBJECT_BODY = { schema: { type: 'object', additionalProperties: true } };

/**
 * The consent-manager callbacks of the consent and data-flow half (HIE-CM v3): the same guard,
 * inbox and processor as the linking callbacks (GatewayCallbacksController). 202 once stored;
 * the answer goes to the gateway's on-* path.
 */
@ApiTags('abdm-gateway')
@ApiBearerAuth()
@ApiHeader({
  name: 'REQUEST-ID',
  required: true,
  description: 'UUID of this call; repeats are processed once',
})
@ApiHeader({ name: 'TIMESTAMP', required: true, description: 'ISO 8601 UTC time the call was made' })
@ApiHeader({ name: 'X-HIP-ID', required: true, description: "The clinic's HIP id (facility id)" })
@ApiHeader({ name: 'X-CM-ID', required: true, description: 'Consent manager id (sbx, abdm)' })
@ApiAcceptedResponse({ description: 'Stored; the answer follows on the gateway on-* path' })
@ApiUnauthorizedResponse({ description: 'No valid gateway token' })
@ApiBadRequestResponse({ description: 'Missing or invalid headers or body, or an unknown HIP id' })
@NoTenant()
@UseGuards(GatewayCallbackGuard)
@Controller('api/v3')
export class ConsentCallbacksController {
  constructor(private readonly intake: CallbackIntake) {}

  @Post('consent/request/hip/notify')
  @HttpCode(202)
  @ApiOperation({ summary: 'A consent artefact granted, revoked or expired (answered with on-notify)' })
  @ApiBody(OBJECT_BODY)
  async consentNotify(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseConsentNotify(body);
    await this.intake.accept('consent_notify', req.abdm!, body);
  }

  @Post('hip/health-information/request')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'A health-information request under a consent (answered with on-request, then the data push and notify)',
  })
  @ApiBody(OBJECT_BODY)
  async hiRequest(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseHiRequest(body);
    await this.intake.accept('hi_request', req.abdm!, body);
  }
}
