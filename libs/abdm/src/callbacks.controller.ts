import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { InboxKind } from './inbox.repository';
import {
  parseDiscover,
  parseLinkConfirm,
  parseLinkInit,
  parseOnCarecontext,
  parseOnGenerateToken,
} from './callback-bodies';
import { CallbackIntake } from './callback-intake.service';
import { parseOnNotify, parseProfileShare } from './notify-share-bodies';
import { ProblemException } from '@hims/errors';
import { GatewayRequest } from './gateway-callback.guard';
import { GATEWAY_OBJECT_BODY, GatewayCallbacks } from './gateway-callbacks.decorator';

/**
 * The HIE-CM v3 callbacks the ABDM gateway makes to this HIP. Outside the staff
 * tenant boundary (@NoTenant): the gateway's token and headers are checked by
 * GatewayCallbackGuard, the tenant comes from X-HIP-ID after that. Each answers
 * 202 once the call is in the inbox; the answer itself goes to the gateway's on-* path.
 */
@GatewayCallbacks()
@Controller('api/v3')
export class GatewayCallbacksController {
  constructor(private readonly intake: CallbackIntake) {}

  @Post('hip/patient/care-context/discover')
  @HttpCode(202)
  @ApiOperation({ summary: 'Care-context discovery for a patient (answered with on-discover)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async discover(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseDiscover(body);
    await this.accept('discover', req, body);
  }

  @Post('hip/link/care-context/init')
  @HttpCode(202)
  @ApiOperation({ summary: 'Link init for discovered care contexts (answered with on-init)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async linkInit(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseLinkInit(body);
    await this.accept('link_init', req, body);
  }

  @Post('hip/link/care-context/confirm')
  @HttpCode(202)
  @ApiOperation({ summary: 'Link confirm with the one-time code (answered with on-confirm)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async linkConfirm(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseLinkConfirm(body);
    await this.accept('link_confirm', req, body);
  }

  @Post('hip/token/on-generate-token')
  @HttpCode(202)
  @ApiOperation({ summary: 'The link token asked for by a HIP-initiated link (answer to generate-token)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async onGenerateToken(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseOnGenerateToken(body);
    await this.accept('on_generate_token', req, body);
  }

  @Post('link/on_carecontext')
  @HttpCode(202)
  @ApiOperation({ summary: 'Outcome of a HIP-initiated care-context link (answer to link/carecontext)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async onCarecontext(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseOnCarecontext(body);
    await this.accept('on_carecontext', req, body);
  }

  @Post('links/context/on-notify')
  @HttpCode(202)
  @ApiOperation({ summary: 'Outcome of a context notification (answer to link/context/notify)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async contextOnNotify(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseOnNotify(body);
    await this.accept('context_on_notify', req, body);
  }

  @Post('patients/sms/on-notify')
  @HttpCode(202)
  @ApiOperation({ summary: 'Outcome of an SMS notification (answer to link/patient/links/sms/notify2)' })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async smsOnNotify(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    parseOnNotify(body);
    await this.accept('sms_on_notify', req, body);
  }

  @Post('hip/patient/share')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Scan-and-share profile: match or register the patient (answered with on-share and a token)',
  })
  @ApiBody(GATEWAY_OBJECT_BODY)
  async patientShare(@Req() req: GatewayRequest, @Body() body: Record<string, unknown>): Promise<void> {
    const share = parseProfileShare(body);
    // The profile goes to the clinic of X-HIP-ID only; a body naming another HIP is refused, not rerouted.
    if (share.metaData.hipId !== req.abdm!.hipId) {
      throw new ProblemException('validation', 'metaData.hipId must be the X-HIP-ID of the call', {
        errors: [{ field: 'metaData.hipId', message: 'must equal X-HIP-ID' }],
      });
    }
    await this.accept('patient_share', req, body);
  }

  private accept(kind: InboxKind, req: GatewayRequest, body: unknown): Promise<void> {
    return this.intake.accept(kind, req.abdm!, body);
  }
}
