import { Module } from '@nestjs/common';
import { TenantScopeModule } from '@hims/tenancy';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsProjector } from './analytics.projector';
import { AnalyticsService } from './analytics.service';

/** API side: GET /api/v1/analytics/summary. */
@Module({ imports: [TenantScopeModule], controllers: [AnalyticsController], providers: [AnalyticsService] })
export class AnalyticsModule {}

/** Worker side: applies events to the aggregates. */
@Module({ imports: [TenantScopeModule], providers: [AnalyticsProjector], exports: [AnalyticsProjector] })
export class AnalyticsProjectorModule {}
