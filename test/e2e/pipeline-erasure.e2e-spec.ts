/**
 * Needs: PostgreSQL 15, Kafka, Kafka Connect + Debezium, Elasticsearch (jest project
 * "pipeline", test/support/stack.ts).
 *
 * An erasure reaches the search index: after POST /patients/{id}/erasure the worker's indexer
 * overwrites the patient's document with the anonymised row (docs/retention.md), so neither
 * the name, the phone nor the ABHA number is left in Elasticsearch.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createEsClient } from '../../libs/search/src';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';
import { PATIENT_ALIAS, eventually, pipelineConfig, startTestWorker, stopTestWorker } from '../support/stack';

jest.setTimeout(180000);

describe('pipeline: patient.erased overwrites the search document', () => {
  let owner: DataSource;
  let api: NestExpressApplication;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  const es = createEsClient(pipelineConfig().elasticsearch.url, { requestTimeoutMs: 30000 });

  const esDoc = async (tenantId: string, patientId: string) => {
    try {
      return await es.get<Record<string, unknown>>({ index: PATIENT_ALIAS, id: `${tenantId}:${patientId}`, realtime: true });
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    worker = await startTestWorker('pipeline-erasure');
    api = await createTestApp(pipelineConfig({ databaseUrl: appUrl(), databasePoolMax: 4 }));
  });

  afterAll(async () => {
    await api?.close();
    await stopTestWorker(worker);
    await es.close();
    await owner?.destroy();
  });

  it('indexes the patient, then replaces the document with the anonymised, inactive row', async () => {
    const tenant = await newTenant(owner, 'pipe-erase');
    const [rec, admin] = await Promise.all([
      loginAs(api, owner, tenant.id, ['receptionist']),
      loginAs(api, owner, tenant.id, ['tenant_admin']),
    ]);
    const registered = await request(api.getHttpServer())
      .post('/api/v1/patients')
      .set(authHeaders(rec.token, tenant.id))
      .send({
        name: { given: ['Kavitha'], family: 'Ramaswamy' },
        gender: 'female',
        birthDate: '1990-06-01',
        phones: ['9876501234'],
        abhaNumber: '91123456789012',
      });
    expect(registered.status).toBe(201);
    const id: string = registered.body.id;
    const first = await eventually(async () => {
      const d = await esDoc(tenant.id, id);
      return d?._version === 1 ? d : undefined;
    }, 'the registered patient in Elasticsearch');
    expect(JSON.stringify(first._source)).toContain('Kavitha');

    const erased = await request(api.getHttpServer())
      .post(`/api/v1/patients/${id}/erasure`)
      .set(authHeaders(admin.token, tenant.id))
      .set('If-Match', '"1"')
      .send({ reason: 'data_principal_request' });
    expect(erased.status).toBe(200);

    const after = await eventually(async () => {
      const d = await esDoc(tenant.id, id);
      return d?._version === 2 ? d : undefined;
    }, 'the erased patient in Elasticsearch');
    const source = JSON.stringify(after._source);
    for (const gone of ['Kavitha', 'Ramaswamy', '9876501234', '91123456789012', '1990-06-01']) {
      expect(source).not.toContain(gone);
    }
    expect(after._source).toMatchObject({ nameText: 'Erased patient', active: false });
  });
});
