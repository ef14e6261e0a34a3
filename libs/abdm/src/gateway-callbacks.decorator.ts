import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { NoTenant } from '@hims/tenancy';
import { GatewayCallbackGuard } from './gateway-callback.guard';

/** The body of a gateway callback in the contract: an object, checked by hand (callback-bodies.ts). */
export const GATEWAY_OBJECT_BODY = { schema: { type: 'object' as const, additionalProperties: true } };

/**
 * What every controller of gateway callbacks is: outside the staff tenant boundary
 * (@NoTenant), behind GatewayCallbackGuard (gateway token, REQUEST-ID, TIMESTAMP, X-HIP-ID,
 * X-CM-ID; the tenant comes from X-HIP-ID after that), 202 once stored in the inbox.
 */
export const GatewayCallbacks = () =>
  applyDecorators(
    ApiTags('abdm-gateway'),
    ApiBearerAuth(),
    ApiHeader({
      name: 'REQUEST-ID',
      required: true,
      description: 'UUID of this call; repeats are processed once',
    }),
    ApiHeader({ name: 'TIMESTAMP', required: true, description: 'ISO 8601 UTC time the call was made' }),
    ApiHeader({ name: 'X-HIP-ID', required: true, description: "The clinic's HIP id (facility id)" }),
    ApiHeader({ name: 'X-CM-ID', required: true, description: 'Consent manager id (sbx, abdm)' }),
    ApiAcceptedResponse({ description: 'Stored; the answer follows on the gateway on-* path' }),
    ApiUnauthorizedResponse({ description: 'No valid gateway token' }),
    ApiBadRequestResponse({ description: 'Missing or invalid headers or body, or an unknown HIP id' }),
    NoTenant(),
    UseGuards(GatewayCallbackGuard),
  );
