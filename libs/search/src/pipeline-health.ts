import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@elastic/elasticsearch';
import { Admin, Kafka, logLevel } from 'kafkajs';

const indicators = new HealthIndicatorService();

function failed(
  key: string,
  whenDown: 'down' | 'degraded',
  data: Record<string, unknown>,
): HealthIndicatorResult {
  const session = indicators.check(key);
  return whenDown === 'down' ? session.down(data) : session.degraded(data);
}

/**
 * Readiness checks for the pipeline's servers. `whenDown` says what a failure
 * means for the caller: the API still answers searches from PostgreSQL, so
 * there an outage is `degraded` (HTTP 200, reported); for the worker it is `down`.
 */
export function elasticsearchCheck(es: Client, alias: string, whenDown: 'down' | 'degraded') {
  return async (): Promise<HealthIndicatorResult> => {
    const session = indicators.check('elasticsearch');
    try {
      const health = await es.cluster.health({ timeout: '2s' }, { requestTimeout: 2500 });
      const aliasReady = await es.indices.existsAlias({ name: alias }, { requestTimeout: 2500 });
      if (health.status === 'red' || !aliasReady) {
        return failed('elasticsearch', whenDown, {
          cluster: health.status,
          alias: aliasReady ? alias : `${alias} missing`,
        });
      }
      return session.up({ cluster: health.status });
    } catch (err) {
      return failed('elasticsearch', whenDown, { message: (err as Error).message.slice(0, 200) });
    }
  };
}

/** Kafka: a metadata round trip through a dedicated, quiet admin client. */
export class KafkaProbe {
  private admin?: Admin;
  private connected?: Promise<void>;

  constructor(
    private readonly brokers: string[],
    private readonly clientId: string,
  ) {}

  check(whenDown: 'down' | 'degraded') {
    return async (): Promise<HealthIndicatorResult> => {
      const session = indicators.check('kafka');
      try {
        await withTimeout(this.describe(), 3000);
        return session.up();
      } catch (err) {
        await this.close();
        return failed('kafka', whenDown, { message: (err as Error).message.slice(0, 200) });
      }
    };
  }

  private async describe(): Promise<void> {
    if (!this.admin) {
      this.admin = new Kafka({
        clientId: `${this.clientId}-health`,
        brokers: this.brokers,
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1500,
        requestTimeout: 2500,
        retry: { retries: 0 },
      }).admin();
      this.connected = this.admin.connect();
    }
    await this.connected;
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connected = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
