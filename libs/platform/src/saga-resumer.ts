import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
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
export class SagaResumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProvisioningSaga');
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: PlatformDatabase,
    private readonly runner: SagaRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
    const every = this.config.platform.sagaResumeIntervalMs;
    if (every > 0) {
      this.timer = setInterval(() => this.kick(), every);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
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
