/**
 * Needs: the project's PostgreSQL 15. The ABDM bridge's parts without the API:
 * the worker (its real WorkerModule, no Kafka consumers attached) works off an
 * inbox row and answers the fake gateway; the gateway's key set is refetched on
 * an unknown kid at most once a minute, and a rotated key is accepted after
 * that; processed inbox rows past retention are purged; the SECURITY DEFINER
 * lookups give the application role ids only.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DataSource } from 'typeorm';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ABDM_CONFIG } from '../../libs/abdm/src';
import { GatewayTokenVerifier } from '../../libs/abdm/src/gateway-token.verifier';
import { APP_CONFIG, loadConfig } from '../../libs/config/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { abdmConfigFor, registerHip } from '../support/abdm';
import { appUrl, ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

describe('ABDM bridge: worker, keys, retention', () => {
  let owner: DataSource;
  let appDs: DataSource;
  let gw: FakeAbdmGateway;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    appDs = await createDataSource(appUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
  });

  afterAll(async () => {
    jest.useRealTimers();
    await gw?.stop();
    await appDs?.destroy();
    await owner?.destroy();
  });

  it('the worker processes a stored callback and answers the gateway', async () => {
    const tenant = await newTenant(owner, 'abdm-w');
    const hipId = `T${randomUUID().slice(0, 8)}-W`;
    await registerHip(owner, tenant.id, hipId);
    const requestId = randomUUID();
    const transactionId = randomUUID();
    await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `INSERT INTO clinical.abdm_inbox (tenant_id, request_id, kind, hip_id, cm_id, body) VALUES ($1, $2, 'discover', $3, 'sbx', $4)`,
        [
          tenant.id,
          requestId,
          hipId,
          JSON.stringify({
            transactionId,
            patient: { id: 'someone1234@sbx', name: 'Nobody Known', gender: 'F', verifiedIdentifiers: [] },
          }),
        ],
      ),
    );
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue({
        ...base,
        databaseUrl: appUrl(),
        databaseOwnerUrl: ownerUrl(),
        logLevel: 'silent',
        audit: { ...base.audit, sealIntervalMs: 0 },
      })
      .overrideProvider(ABDM_CONFIG)
      .useValue(abdmConfigFor(gw, { hipIdPrefix: hipId }))
      .compile();
    const worker: INestApplication = moduleRef.createNestApplication({ logger: false });
    await worker.init();
    try {
      const answer = await gw.answerTo(requestId);
      expect(answer.body).toMatchObject({
        transactionId,
        error: { code: 'ABDM-1010' },
        response: { requestId },
      });
      const [row] = await asTenant(owner, tenant.id, (tx) =>
        tx.query(`SELECT status FROM clinical.abdm_inbox WHERE request_id = $1`, [requestId]),
      );
      expect(row.status).toBe('processed');
    } finally {
      await worker.close();
    }
  });

  it('refetches the key set on an unknown kid at most once a minute; a rotated key works after that', async () => {
    const verifier = new GatewayTokenVerifier(abdmConfigFor(gw));
    await expect(verifier.verify(`Bearer ${await gw.callbackToken()}`)).resolves.toMatchObject({
      iss: gw.issuer,
    });
    const fetches = gw.jwksFetches;
    const rotated = await gw.addKey('RS512', false);
    const token = await gw.callbackToken({ kid: rotated });
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toThrow('ERR_JWKS_NO_MATCHING_KEY');
    gw.publish(rotated);
    // Inside the cooldown, the newly published key is not fetched again.
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toThrow('ERR_JWKS_NO_MATCHING_KEY');
    expect(gw.jwksFetches - fetches).toBeLessThanOrEqual(1);
    // A minute later (only the clock moves; timers and I/O stay real) the unknown kid triggers one refetch.
    jest.useFakeTimers({
      doNotFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'clearImmediate',
        'nextTick',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    jest.setSystemTime(Date.now() + 61_000);
    try {
      const fresh = await gw.callbackToken({ kid: rotated });
      await expect(verifier.verify(`Bearer ${fresh}`)).resolves.toMatchObject({ iss: gw.issuer });
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives the application role ids only, and purges processed inbox rows past retention', async () => {
    const tenant = await newTenant(owner, 'abdm-p');
    const hipId = `HIP-P-${randomUUID().slice(0, 8)}`;
    await registerHip(owner, tenant.id, hipId);
    const [found] = await appDs.query(`SELECT core.abdm_tenant_for_hip($1) AS t`, [hipId]);
    expect(found.t).toBe(tenant.id);
    const [missing] = await appDs.query(`SELECT core.abdm_tenant_for_hip($1) AS t`, ['HIP-NOT-THERE']);
    expect(missing.t).toBeNull();
    // Without a tenant the application role sees no HIP rows at all.
    expect(await appDs.query(`SELECT * FROM core.abdm_hips`)).toEqual([]);

    const old = randomUUID();
    const fresh = randomUUID();
    await asTenant(owner, tenant.id, async (tx) => {
      for (const [id, age] of [
        [old, '200 hours'],
        [fresh, '1 hour'],
      ]) {
        await tx.query(
          `INSERT INTO clinical.abdm_inbox (tenant_id, request_id, kind, hip_id, cm_id, body, status, processed_at)
           VALUES ($1, $2, 'discover', $3, 'sbx', '{}', 'processed', now() - $4::interval)`,
          [tenant.id, id, hipId, age],
        );
      }
    });
    const [{ n }] = await appDs.query(`SELECT clinical.abdm_purge_inbox(make_interval(hours => 168)) AS n`);
    expect(n).toBeGreaterThanOrEqual(1);
    const left = await asTenant(owner, tenant.id, (tx) =>
      tx.query(`SELECT request_id FROM clinical.abdm_inbox WHERE request_id = ANY($1)`, [[old, fresh]]),
    );
    expect(left).toEqual([{ request_id: fresh }]);
  });
});
