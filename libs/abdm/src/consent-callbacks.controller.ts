import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { parseConsentNotify, parseHiRequest } from './consent-bodies';
import { CallbackIntake } from './callback-intake.service';
import { GatewayRequest } from './gateway-callback.guard';
import { GATEWAY_OBJECT_BODY, GatewayCallbacks } from './gateway-callbacks.decorator';

/**
 * The consent-manager callbacks of the consent and data-flow half (HIE-CM v3): the same guard,
 * inbox and processor as the linking callbacks (GatewayCallbacksController). 202 once stored;
 * the answer goes to the gateway's on-* path.
 */
@GatewayCallbacks()
@Controller('api/v3')
export class ConsentCallbacksController {
  constructor(private readonly intake: CallbackIntake) {}

  @Post('consent/request/hip/notify')
  @HttpCode(202)
  @ApiOperation({ summary: 'A consent artefact granted, revoked or expired (answered with on-notify)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
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
  @ApiBody(GATEWAY_OBJECT_BODY)
  async hiRequest(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseHiRequest(body);
    await this.intake.accept('hi_request', req.abdm!, body);
  }
}
