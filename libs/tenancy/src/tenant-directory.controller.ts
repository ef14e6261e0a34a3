import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ProblemException } from '@hims/errors';
import { NoTenant } from './decorators';
import { TenantsRepository } from './tenants.repository';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

class TenantLookupDto {
  @ApiProperty({ format: 'uuid', description: 'Send as X-Tenant-ID' }) tenantId!: string;
}

/**
 * Before sign-in the console knows the clinic by its slug only. This answers
 * the tenant id of an active clinic and nothing else (no name, no settings);
 * unknown, malformed and suspended slugs are the same 404.
 */
@ApiTags('tenancy')
// Before sign-in: no token (the JWT guard skips @NoTenant routes), anonymous in the contract.
@ApiSecurity({})
@NoTenant()
@Controller('api/v1/tenants')
export class TenantDirectoryController {
  constructor(private readonly tenants: TenantsRepository) {}

  @Get('by-slug/:slug')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "A clinic's tenant id from its slug (for the sign-in page; public)" })
  @ApiOkResponse({ type: TenantLookupDto })
  @ApiNotFoundResponse({ description: 'No active clinic with this slug' })
  async bySlug(@Param('slug') slug: string): Promise<TenantLookupDto> {
    const normalised = slug.trim().toLowerCase();
    const id = SLUG.test(normalised) ? await this.tenants.idForSlug(normalised) : null;
    if (!id) throw new ProblemException('notFound', 'No active clinic with this name');
    return { tenantId: id };
  }
}
