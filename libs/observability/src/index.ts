export { ObservabilityModule } from './observability.module';
export { ReadinessChecks, ReadinessCheck } from './health';
export { metricsRegistry, renderMetrics } from './metrics';
export { loggerParams, requestIdFor } from './logging';
export { BackgroundLoop, BackgroundLoopOptions } from './background-loop';
