/**
 * Needs: the project's PostgreSQL 15. HIP-initiated linking as the real gateway behaves (issue
 * 22), through the fake gateway built from contracts/abdm: a link token is asked for once per
 * ABHA address and reused for later visits (a duplicate request is refused with ABDM-1092),
 * link/carecontext carries the ABHA number the token was made with, context notify carries
 * X-LINK-TOKEN and is sent again after the early ABDM-1006; a "Failed to link" status is not a
 * link; a refusal of our call keeps the gateway's code and message for the admins (transaction
 * view: gateway error, retries, final); another clinic never uses this clinic's token; metrics
 * per callback kind and outcome.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { renderMetrics } from '../../libs/observability/src';
import { createAbdmTestApp, eventually, registerHip } from '../support/abdm';
import { authHeaders, loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

const GENERATE_TOKEN = '/api/hiecm/v3/token/generate-token';
const LINK = '/api/hiecm/hip/v3/link/carecontext';
const NOTIFY = '/api/hiecm/hip/v3/link/context/notify';

describe('ABDM link tokens and gateway refusals', () => {
  const PFX = `K${randomUUID().slice(0, 8)}-`;
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let app: NestExpressApplication;
  const abhaNumber = '91734518160779';

  async function autoLinkClinic(suffix: string) {
    const tenant = await newTenant(owner, `abdm-tok-${suffix.toLowerCase()}`);
    const hipId = `${PFX}${suffix}`;
    await registerHip(owner, tenant.id, hipId);
    await asTenant(owner, tenant.id, (tx) =>
      tx.query(`UPDATE core.abdm_hips SET auto_link = true WHERE hip_id = $1`, [hipId]),
    );
    return { tenant, hipId };
  }

  async function patient(tenantId: string, abha: string) {
    const [p] = await asTenant(owner, tenantId, (tx) =>
      tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address, abha_number)
         VALUES ($1, $2, '{Ravi}', 'Ravi Synthetic', 'ravi synthetic', 'male', 1985, true, '{+919800022233}', $3, $4) RETURNING id`,
        [tenantId, `MRN-${randomUUID().slice(0, 6)}`, abha, abhaNumber],
      ),
    );
    return p.id as string;
  }

  async function signVisit(tenantId: string, patientId: string) {
    const [v] = await asTenant(owner, tenantId, (tx) =>
      tx.query(
        `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, signed_by)
         VALUES ($1, $2, $3, 'General Medicine', now(), 'finished', now(), $3) RETURNING id`,
        [tenantId, patientId, randomUUID()],
      ),
    );
    return v.id as string;
  }

  const stateOf = (tenantId: string, visitId: string) =>
    asTenant(owner, tenantId, (tx) =>
      tx.query(
        `SELECT id, state, failure FROM clinical.abdm_transactions WHERE visit_ref = $1 ORDER BY created_at`,
        [visitId],
      ),
    ).then((rows: { id: string; state: string; failure: string | null }[]) => rows.at(-1));

  const settled = (tenantId: string, visitId: string, states: string[]) =>
    eventually(
      async () => {
        const s = await stateOf(tenantId, visitId);
        return s && states.includes(s.state) ? s : undefined;
      },
      30000,
      `visit ${states.join('/')}`,
    );

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    let url: string;
    ({ app, url } = await createAbdmTestApp(gw, { hipInitiatedLinking: true, hipIdPrefix: PFX }));
    gw.bridgeUrl = url;
  });

  afterAll(async () => {
    await app?.close();
    await gw?.stop();
    await owner?.destroy();
  });

  it('asks once per ABHA address, reuses the token, sends the ABHA number, and notifies with it after an early ABDM-1006', async () => {
    gw.notifyAnswer = 'EARLY_1006';
    const { tenant } = await autoLinkClinic('ONE');
    const abha = `ravi${randomUUID().slice(0, 6)}@sbx`;
    const pid = await patient(tenant.id, abha);
    const first = [await signVisit(tenant.id, pid), await signVisit(tenant.id, pid)];
    for (const v of first) await settled(tenant.id, v, ['linked']);
    const asked = () => gw.calls.filter((c) => c.path === GENERATE_TOKEN && c.body.abhaAddress === abha);
    expect(asked()).toHaveLength(1);
    expect(asked()[0].body).toMatchObject({ abhaNumber, abhaAddress: abha });

    // A visit signed later: the token we hold is reused, nothing is asked again.
    const later = await signVisit(tenant.id, pid);
    await settled(tenant.id, later, ['linked']);
    expect(asked()).toHaveLength(1);
    const links = gw.calls.filter((c) => c.path === LINK && c.body.abhaAddress === abha);
    expect(links).toHaveLength(3);
    expect(new Set(links.map((c) => c.headers['x-link-token'])).size).toBe(1);
    for (const c of links) expect(c.body.abhaNumber).toBe(abhaNumber);
    const causes = await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `SELECT tr.to_state, tr.cause FROM clinical.abdm_transitions tr JOIN clinical.abdm_transactions t ON t.id = tr.transaction_ref
          WHERE t.visit_ref = $1 ORDER BY tr.id`,
        [later],
      ),
    );
    expect(causes.map((c: { cause: string }) => c.cause)).toEqual([
      'visit signed',
      'link token reused',
      'care context linked',
    ]);

    // Every context notify carries the link token; the first of each was answered ABDM-1006 and sent again.
    const notes = await eventually(
      async () => {
        const rows = await asTenant(owner, tenant.id, (tx) =>
          tx.query(
            `SELECT visit_ref, status, resends FROM clinical.abdm_notifications WHERE patient_id = $1`,
            [pid],
          ),
        );
        return rows.length === 3 && rows.every((r: { status: string }) => r.status === 'acknowledged')
          ? rows
          : undefined;
      },
      40000,
      'notifications acknowledged',
    );
    for (const n of notes) expect(n.resends).toBe(1);
    const sent = gw.calls.filter(
      (c) => c.path === NOTIFY && (c.body.notification as { patient: { id: string } }).patient.id === abha,
    );
    expect(sent).toHaveLength(6);
    for (const c of sent) expect(c.headers['x-link-token']).toBe(links[0].headers['x-link-token']);
    gw.notifyAnswer = 'SUCCESS';

    // The token is a credential: the audit trail of its row leaves it out.
    const audited = await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `SELECT changes::text AS c FROM audit.audit_log WHERE entity_type = 'clinical.abdm_link_tokens'`,
      ),
    );
    expect(audited.length).toBeGreaterThan(0);
    for (const a of audited) expect(a.c).not.toContain(links[0].headers['x-link-token']);
  });

  it('another clinic never uses this clinic’s token: it asks for its own', async () => {
    const a = await autoLinkClinic('TA');
    const b = await autoLinkClinic('TB');
    const abha = `shared${randomUUID().slice(0, 6)}@sbx`;
    await settled(a.tenant.id, await signVisit(a.tenant.id, await patient(a.tenant.id, abha)), ['linked']);
    await settled(b.tenant.id, await signVisit(b.tenant.id, await patient(b.tenant.id, abha)), ['linked']);
    const asked = gw.calls.filter((c) => c.path === GENERATE_TOKEN && c.body.abhaAddress === abha);
    expect(asked.map((c) => c.headers['x-hip-id']).sort()).toEqual([a.hipId, b.hipId].sort());
    const seenByB = await asTenant(owner, b.tenant.id, (tx) =>
      tx.query(`SELECT hip_id FROM clinical.abdm_link_tokens WHERE abha_address = $1`, [abha]),
    );
    expect(seenByB).toEqual([{ hip_id: b.hipId }]);
  });

  it('a "Failed to link care context" status fails the link; nothing is linked', async () => {
    gw.carecontextAnswer = 'Failed to link care context';
    try {
      const { tenant } = await autoLinkClinic('FAIL');
      const visit = await signVisit(
        tenant.id,
        await patient(tenant.id, `fail${randomUUID().slice(0, 6)}@sbx`),
      );
      const tx = await settled(tenant.id, visit, ['failed', 'linked']);
      expect(tx).toMatchObject({ state: 'failed', failure: 'status Failed to link care context' });
      const links = await asTenant(owner, tenant.id, (t) =>
        t.query(`SELECT 1 FROM clinical.abdm_links WHERE care_context_ref = $1`, [visit]),
      );
      expect(links).toEqual([]);
    } finally {
      gw.carecontextAnswer = 'Successfully Linked care context';
    }
  });

  it('keeps what the gateway said when it refuses our call, and shows it to the admin', async () => {
    const { tenant } = await autoLinkClinic('REF');
    const abha = `refused${randomUUID().slice(0, 6)}@sbx`;
    const pid = await patient(tenant.id, abha);
    const first = await signVisit(tenant.id, pid);
    await settled(tenant.id, first, ['linked']);
    // The first visit's context notify (sent with the token) is answered before the tokens lapse.
    await eventually(
      async () => {
        const [n] = await asTenant(owner, tenant.id, (t) =>
          t.query(`SELECT status FROM clinical.abdm_notifications WHERE visit_ref = $1`, [first]),
        );
        return n?.status === 'acknowledged' ? n : undefined;
      },
      30000,
      'the first context notify acknowledged',
    );
    // Six months later: the gateway no longer knows the token we hold.
    gw.expireLinkTokens();
    const visit = await signVisit(tenant.id, pid);
    const failed = await settled(tenant.id, visit, ['failed', 'linked']);
    expect(failed).toMatchObject({ state: 'failed', failure: 'ABDM-1026: Invalid Link Token' });
    const held = await asTenant(owner, tenant.id, (t) =>
      t.query(`SELECT 1 FROM clinical.abdm_link_tokens WHERE abha_address = $1`, [abha]),
    );
    expect(held).toEqual([]); // dropped: the admin's retry asks for a new one

    const admin = await loginAs(app, owner, tenant.id, ['tenant_admin']);
    const list = await request(app.getHttpServer())
      .get('/api/v1/abdm/transactions?limit=10')
      .set(authHeaders(admin.token, tenant.id));
    expect(list.status).toBe(200);
    const item = list.body.items.find((t: { id: string }) => t.id === failed.id);
    expect(item).toMatchObject({
      state: 'failed',
      final: true,
      retries: 0,
      gatewayError: { code: 'ABDM-1026', message: 'Invalid Link Token' },
    });
    expect(item.outbound.find((c: { path: string }) => c.path === LINK)).toMatchObject({
      status: 'failed',
      lastStatus: 401,
      gatewayError: { code: 'ABDM-1026', message: 'Invalid Link Token' },
    });

    // The admin retries: a new token is asked for, and the visit is linked.
    const retried = await request(app.getHttpServer())
      .post(`/api/v1/abdm/transactions/${failed.id}/retry`)
      .set(authHeaders(admin.token, tenant.id))
      .set('Idempotency-Key', randomUUID());
    expect(retried.status).toBe(201);
    await settled(tenant.id, visit, ['linked']);

    const { body: scraped } = await renderMetrics();
    expect(scraped).toMatch(
      /^hims_abdm_callbacks_total\{kind="on_generate_token",outcome="accepted"\} [1-9]/m,
    );
    expect(scraped).toMatch(/^hims_abdm_callbacks_total\{kind="on_carecontext",outcome="accepted"\} [1-9]/m);
  });

  it('the fake gateway refuses like the sandbox: a link without the ABHA number its token was made with; JWKS only where public', async () => {
    const { tenant, hipId } = await autoLinkClinic('SBX');
    const abha = `sbx${randomUUID().slice(0, 6)}@sbx`;
    await settled(tenant.id, await signVisit(tenant.id, await patient(tenant.id, abha)), ['linked']);
    const session = await (
      await fetch(`${gw.url}/api/hiecm/gateway/v3/sessions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'REQUEST-ID': randomUUID(),
          TIMESTAMP: new Date().toISOString(),
          'X-CM-ID': gw.cmId,
        },
        body: JSON.stringify({
          clientId: gw.clientId,
          clientSecret: gw.clientSecret,
          grantType: 'client_credentials',
        }),
      })
    ).json();
    const headers = (extra: Record<string, string> = {}) => ({
      'content-type': 'application/json',
      authorization: `Bearer ${session.accessToken}`,
      'REQUEST-ID': randomUUID(),
      TIMESTAMP: new Date().toISOString(),
      'X-CM-ID': gw.cmId,
      'X-HIP-ID': hipId,
      ...extra,
    });
    const token = gw.calls.find((c) => c.path === LINK && c.body.abhaAddress === abha)!.headers[
      'x-link-token'
    ];
    const noNumber = await fetch(gw.url + LINK, {
      method: 'POST',
      headers: headers({ 'X-LINK-TOKEN': token }),
      body: JSON.stringify({ abhaAddress: abha, patient: [] }),
    });
    expect(noNumber.status).toBe(400);
    expect((await noNumber.json()).error).toEqual({
      code: 'ABDM-9999',
      message: 'The Abha Number is mandatory',
    });
    // The public key set needs nothing; the v3 certs path wants a session token and headers.
    expect((await fetch(gw.jwksUrl)).status).toBe(200);
    expect((await fetch(`${gw.url}/api/hiecm/gateway/v3/certs`)).status).toBe(401);
    expect((await fetch(`${gw.url}/api/hiecm/gateway/v3/certs`, { headers: headers() })).status).toBe(200);
    expect(gw.contractViolations).toEqual([]);
  });
});
