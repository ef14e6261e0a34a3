/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The worker's sealer loop (AuditSealerModule, as wired in apps/worker) links rows
 * appended by requests into the tenant's chain by itself, and stops cleanly; a
 * pass that sealed rows is one "seal audit rows" span with counts only, an idle
 * pass leaves none.
 */
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditSealer, AuditSealerModule, verifyAuditChain } from '../../libs/audit/src';
import { APP_CONFIG, ConfigModule, loadConfig } from '../../libs/config/src';
import { DatabaseModule } from '../../libs/database/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { unsealedAuditRows } from '../support/audit';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('audit sealer loop', () => {
  let owner: DataSource;
  let app: DataSource;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
  });

  afterAll(async () => {
    await worker?.close();
    await app?.destroy();
    await owner?.destroy();
  });

  it('seals what requests append, without being asked', async () => {
    const config = {
      ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }),
      databaseUrl: appUrl(),
      databaseOwnerUrl: ownerUrl(),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, AuditSealerModule],
    })
      .overrideProvider(APP_CONFIG)
      .useValue({ ...config, audit: { sealIntervalMs: 20, sealBatchPerTenant: 1000 } })
      .compile();
    worker = await moduleRef.init();

    const { id: t } = await newTenant(owner, 'sealer');
    for (let i = 0; i < 20; i++) {
      await asTenant(app, t, (tx) =>
        tx.query(`SELECT audit.append($1, 'read', 'patient', $2, NULL, NULL)`, [t, randomUUID()]),
      );
    }
    const deadline = Date.now() + 30000;
    while ((await unsealedAuditRows(app, t)) > 0) {
      if (Date.now() > deadline) throw new Error('the sealer loop did not seal the rows');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const verification = await verifyAuditChain(owner, t);
    // More than 9 rows: the verifier must walk seq in numeric order (it once sorted the text).
    expect(verification).toMatchObject({ ok: true, unsealed: 0 });
    expect(verification.rowsChecked).toBeGreaterThanOrEqual(21);
    await worker.close();
    worker = undefined;
  });

  it('records a pass that sealed rows as one span with counts only; an idle pass leaves no span', async () => {
    // This file's own tracer provider (the worker's is started by apps/worker/src/tracing.ts).
    const exported = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] });
    trace.setGlobalTracerProvider(provider);
    try {
      const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
      const sealer = new AuditSealer({ ...config, audit: { sealIntervalMs: 0, sealBatchPerTenant: 500 } }, app);
      const { id: t } = await newTenant(owner, 'sealer-span');
      const sealSpans = () => exported.getFinishedSpans().filter((s) => s.name === 'seal audit rows');
      const deadline = Date.now() + 30000;
      let sealedOnce = false;
      // Other files' sealers may seal these rows first, or a pass may wait for an open
      // transaction: every pass is checked, until one of ours sealed something.
      while (!sealedOnce) {
        if (Date.now() > deadline) throw new Error('no sealing pass of this test sealed a row');
        await asTenant(app, t, (tx) =>
          tx.query(`SELECT audit.append($1, 'read', 'patient', $2, NULL, NULL)`, [t, randomUUID()]),
        );
        const before = sealSpans().length;
        const result = await sealer.sealOnce();
        const spans = sealSpans().slice(before);
        if (result.sealed === 0) {
          expect(spans).toHaveLength(0);
          continue;
        }
        sealedOnce = true;
        expect(spans).toHaveLength(1);
        expect(spans[0].attributes).toEqual({
          'hims.audit.batch_per_tenant': 500,
          'hims.audit.sealed': result.sealed,
          'hims.audit.max_delay_ms': Math.round(result.maxDelaySeconds * 1000),
        });
        expect(spans[0].parentSpanContext).toBeUndefined();
      }
      // Nothing left to seal for anyone: an idle pass adds no span.
      const before = sealSpans().length;
      const idle = await sealer.sealOnce();
      if (idle.sealed === 0) expect(sealSpans()).toHaveLength(before);
    } finally {
      trace.disable();
      await provider.shutdown();
    }
  });
});
