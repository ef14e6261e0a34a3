/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The worker's sealer loop (AuditSealerModule, as wired in apps/worker) links rows
 * appended by requests into the tenant's chain by itself, and stops cleanly.
 */
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditSealerModule, verifyAuditChain } from '../../libs/audit/src';
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
});
