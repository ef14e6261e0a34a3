import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '@hims/config';

type Listener = () => void;

/**
 * One LISTEN connection per process for `hims_queue_changed` (pg_notify in the changing
 * transaction, delivered at commit, from any API instance). Subscribers are keyed by tenant: a
 * display stream only ever hears its own clinic. The connection is opened on the first
 * subscriber and reopened after a failure.
 */
@Injectable()
export class QueueNotifier implements OnModuleDestroy {
  private readonly log = new Logger('QueueNotifier');
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly closers = new Set<() => void>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async subscribe(tenantId: string, listener: Listener, onClose: () => void): Promise<() => void> {
    await this.connect();
    const set = this.listeners.get(tenantId) ?? new Set();
    set.add(listener);
    this.listeners.set(tenantId, set);
    this.closers.add(onClose);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
      this.closers.delete(onClose);
    };
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'hims-queue-notifier' });
      client.on('notification', (n) => {
        for (const l of this.listeners.get(n.payload ?? '') ?? []) l();
      });
      client.on('error', (err) => {
        this.log.warn(`queue notification connection lost: ${(err as { code?: string }).code ?? err.name}`);
        this.client = undefined;
        void client.end().catch(() => undefined);
        // Streams end; their EventSources reconnect and subscribe again on a new connection.
        for (const close of [...this.closers]) close();
      });
      await client.connect();
      await client.query('LISTEN hims_queue_changed');
      this.client = client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const close of [...this.closers]) close();
    this.closers.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
