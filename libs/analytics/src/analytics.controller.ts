import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '@hims/auth';
import { AnalyticsService, AnalyticsSummary } from './analytics.service';

export class AnalyticsSummaryQuery {
  @ApiPropertyOptional({ description: 'First UTC day (default: 29 days before `to`)', example: '2025-01-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last UTC day (default: today)', example: '2025-01-30' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be YYYY-MM-DD' })
  to?: string;
}

@ApiTags('analytics')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Tenant-ID', required: true })
@Controller('api/v1/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('summary')
  @Roles('tenant_admin')
  @ApiOperation({
    summary: 'Registrations, logins and active users per UTC day (kept by the worker from the event stream)',
  })
  summary(@Query() query: AnalyticsSummaryQuery): Promise<AnalyticsSummary> {
    return this.analytics.summary(query.from, query.to);
  }
}
