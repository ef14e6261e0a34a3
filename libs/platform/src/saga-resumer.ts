import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { BackgroundLoop } from '@hims/observability';
import { PlatformDatabase } from './platform-database';
import { SagaRunner } from './saga-runner';
import { SagaRepository } from './saga.repository';

/**
 * At start-up, and every PLATFORM_SAGA_RESUME_INTERVAL_MS after, drives every
 * unfinished saga (running or compensating) to its end. A saga another process
 * is driving is skipped (its advisory lock is held); one whose process died is
 * free again and is picked up here.
 */
@Injectable()
export class SagaResumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProvisioningSaga');
  private readonly loop: BackgroundLoop;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: PlatformDatabase,
    private readonly runner: SagaRunner,
  ) {
    // kick() logs its own failures, so the loop's passes always succeed.
    this.loop = new BackgroundLoop({
      name: 'SagaResumer',
      intervalMs: config.platform.sagaResumeIntervalMs,
      pass: () => this.kick(),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start(); // its first pass runs at once
    // Once at start-up even when the interval is 0 (no periodic sweeps).
    if (!this.loop.isRunning) void this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await this.sweeping;
  }

  /** One sweep at a time; errors are logged (ids and SQLSTATE only) and retried next time. */
  kick(): Promise<void> {
    this.sweeping ??= this.sweep()
      .catch((err: unknown) =>
        this.logger.error(
          { sqlstate: (err as { code?: string }).code },
          'resuming provisioning sagas failed',
        ),
      )
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweep(): Promise<void> {
    for (const id of await SagaRepository.unfinishedIds(this.db)) {
      if (this.stopped) return;
      const outcome = await this.runner.run(id);
      if (outcome.kind === 'finished') {
        this.logger.log(
          { sagaId: id, status: outcome.saga.status },
          'resumed an unfinished provisioning saga',
        );
      }
    }
  }
}
