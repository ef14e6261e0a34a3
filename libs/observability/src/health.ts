import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { NoTenant } from '@hims/tenancy';

export type ReadinessCheck = () => Promise<HealthIndicatorResult>;

/** Modules that own a dependency (Kafka, Elasticsearch) register its readiness check here. */
@Injectable()
export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  all(): ReadinessCheck[] {
    return [...this.checks];
  }
}

@ApiTags('health')
// Probes answer without a token (the JWT guard skips @NoTenant routes): anonymous in the contract.
@ApiSecurity({})
@NoTenant()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessChecks,
  ) {}

  /** The process is up and serving; no dependency is checked. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up (no dependency checked)' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready to take traffic: PostgreSQL answers, plus every registered dependency. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and every registered dependency answer' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      ...this.readiness.all(),
    ]);
  }
}
