export { AnalyticsModule, AnalyticsProjectorModule } from './analytics.module';
export {
  AnalyticsProjector,
  AnalyticsEvent,
  ProjectionOutcome,
  InvalidAnalyticsEventError,
  PROJECTED_EVENT_TYPES,
} from './analytics.projector';
export { AnalyticsService, AnalyticsSummary, VisitAnalytics } from './analytics.service';
export { rebuildAnalytics, AnalyticsRebuild } from './analytics-rebuild';
