import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDay } from '@hims/errors';
import { Roles } from '@hims/auth';
import { AnalyticsService, AnalyticsSummary, VisitAnalytics } from './analytics.service';
import { TenantRoute } from '@hims/tenancy';

export class AnalyticsSummaryQuery {
  @ApiPropertyOptional({
    description: 'First UTC day (default: 29 days before `to`)',
    example: '2025-01-01',
    format: 'date',
  })
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({
    description: 'Last UTC day (default: today)',
    example: '2025-01-30',
    format: 'date',
  })
  @IsOptional()
  @IsCalendarDay()
  to?: string;
}

@TenantRoute('analytics')
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

  @Get('visits')
  @Roles('tenant_admin')
  @ApiOperation({
    summary:
      'Booked visits per UTC day (of the visit) and department (kept by the worker from visit.booked events)',
  })
  visits(@Query() query: AnalyticsSummaryQuery): Promise<VisitAnalytics> {
    return this.analytics.visits(query.from, query.to);
  }
}
