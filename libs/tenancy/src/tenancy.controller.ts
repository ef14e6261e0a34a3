import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantRoute } from './decorators';
import { TenantsRepository } from './tenants.repository';

class TenancyContextDto {
  tenantId!: string | null;
  userId!: string | null;
  requestId!: string | null;
  visibleTenants!: { id: string; slug: string }[];
}

/** Diagnostics: what the database sees for this request (tenant, user, request id). */
@TenantRoute('tenancy')
@Controller('api/v1/tenancy')
export class TenancyController {
  constructor(private readonly tenants: TenantsRepository) {}

  @Get('context')
  @ApiOperation({ summary: 'The tenant, user and request id as PostgreSQL sees them for this request' })
  @ApiOkResponse({ type: TenancyContextDto })
  async context(): Promise<TenancyContextDto> {
    const ctx = await this.tenants.sessionContext();
    return { ...ctx, visibleTenants: await this.tenants.listVisible() };
  }
}
