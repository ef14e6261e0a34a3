import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, ReadinessChecks } from './health';
import { HttpMetricsMiddleware, MetricsController } from './metrics';

/**
 * Health, readiness and metrics of the process. Global because the modules that own a
 * dependency (search: Kafka, Elasticsearch) register their readiness checks with the one
 * ReadinessChecks of the process.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController, MetricsController],
  providers: [ReadinessChecks],
  exports: [ReadinessChecks],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
