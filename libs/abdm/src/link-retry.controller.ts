import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '@hims/auth';
import { UuidParam } from '@hims/errors';
import { Idempotent } from '@hims/idempotency';
import { LinkRetryService } from './link-retry.service';
import { TenantRoute } from '@hims/tenancy';

@TenantRoute('abdm')
@Controller()
export class LinkRetryController {
  constructor(private readonly retries: LinkRetryService) {}

  @Post('api/v1/abdm/transactions/:id/retry')
  @HttpCode(201)
  @Roles('tenant_admin')
  @Idempotent()
  @ApiOperation({
    summary:
      'Retry a failed HIP-initiated link: a new transaction for the same visit (retryOf names the failed one)',
  })
  @ApiCreatedResponse({ description: '{id, transactionId, state, retryOf}' })
  @ApiNotFoundResponse({ description: 'No such transaction in this clinic' })
  @ApiConflictResponse({
    description: 'Not a failed HIP-initiated link, or the visit cannot be linked again',
  })
  retry(@Param('id', new UuidParam('No ABDM transaction with this id')) id: string) {
    return this.retries.retry(id);
  }
}
