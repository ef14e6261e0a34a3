import { Controller, Get, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '@hims/auth';
import { AuditPage, AuditQueryDto } from './audit-query.dto';
import { AuditQueryService } from './audit.query';
import { TenantRoute } from '@hims/tenancy';

@TenantRoute('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @Roles('tenant_admin')
  @ApiOperation({
    summary: "The clinic's audit trail, newest first (tenant_admin only; the query itself is audited)",
  })
  @ApiOkResponse({ type: AuditPage })
  @ApiForbiddenResponse()
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.audit.query(query);
  }
}
