import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsProjector } from './analytics.projector';
import { AnalyticsService } from './analytics.service';

/** API side: GET /api/v1/analytics/summary. */
@Module({ controllers: [AnalyticsController], providers: [AnalyticsService] })
export class AnalyticsModule {}

/** Worker side: applies events to the aggregates. */
@Module({ providers: [AnalyticsProjector], exports: [AnalyticsProjector] })
export class AnalyticsProjectorModule {}
