import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { SEARCH_ES_CLIENT, esStatus } from './elasticsearch';

/**
 * Makes what the indexers wrote searchable soon after the write instead of at the
 * index's next scheduled refresh (refresh_interval 1 s: on average half a second of
 * every commit → searchable, up to a whole one). Refreshes are coalesced: at most one
 * in flight, at most one per `pipeline.indexRefreshMs`, none while nothing is written,
 * so a burst of writes costs a few refreshes, not one per document (no tiny segment
 * per write, unlike `refresh: true` on each request; `wait_for` would only hold the
 * consumer until the scheduled refresh).
 *
 * Visibility only: the consumer does not wait for it, and a failed refresh loses
 * nothing (the scheduled refresh still runs), so delivery stays at-least-once and
 * indexing idempotent exactly as before.
 */
@Injectable()
export class IndexRefresher {
  private readonly log = new Logger(IndexRefresher.name);
  private readonly pending = new Set<string>();
  private running = false;
  private lastStart = 0;

  constructor(
    @Inject(SEARCH_ES_CLIENT) private readonly es: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Asks for a refresh of the index (or alias) the caller just wrote to. */
  written(index: string): void {
    if (this.config.pipeline.indexRefreshMs <= 0) return;
    this.pending.add(index);
    if (this.running) return;
    this.running = true;
    // Outside the event's trace (and unsampled): a shared refresh belongs to no one event.
    context.with(suppressTracing(ROOT_CONTEXT), () => {
      void this.drain().finally(() => {
        this.running = false;
        // A write that arrived while the last refresh was finishing starts the next round.
        if (this.pending.size > 0) this.written([...this.pending][0]);
      });
    });
  }

  /** Resolves when no refresh is pending or running (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.pending.size > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const wait = this.lastStart + this.config.pipeline.indexRefreshMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const indices = [...this.pending];
      this.pending.clear();
      this.lastStart = Date.now();
      try {
        await this.es.indices.refresh({ index: indices, ignore_unavailable: true, allow_no_indices: true });
      } catch (err) {
        // Status only: the scheduled refresh makes the documents searchable anyway.
        this.log.warn(`index refresh failed (status ${esStatus(err) ?? '-'}); the scheduled refresh will catch up`);
      }
    }
  }
}
