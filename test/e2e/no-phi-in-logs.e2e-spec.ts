/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * The API's own log output (a real child process at LOG_LEVEL=debug) holds no patient data:
 * a registration that fails inside the database (a fault trigger quoting the row in its
 * message and detail), a failed login, and a rejected search leave no name, phone, ABHA
 * number, email, password or query text in any log line: only ids, SQLSTATEs and request ids.
 */
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

describe('no patient data in logs (API process)', () => {
  let owner: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    // A fault that only this test's patient trips: PostgreSQL's error then carries the row's values.
    await owner.query(`CREATE OR REPLACE FUNCTION clinical.test_fault_on_faultline() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name_family = 'Faultlinewala' THEN
          RAISE EXCEPTION 'fault for %', NEW.name_text USING ERRCODE = 'XX000', DETAIL = 'row ' || NEW.phones::text || ' ' || coalesce(NEW.abha_number, '');
        END IF;
        RETURN NEW;
      END $$`);
    await owner.query(`DROP TRIGGER IF EXISTS test_fault_on_faultline ON clinical.patients`);
    await owner.query(`CREATE TRIGGER test_fault_on_faultline BEFORE INSERT ON clinical.patients
      FOR EACH ROW EXECUTE FUNCTION clinical.test_fault_on_faultline()`);
  });

  afterAll(async () => {
    await owner?.query(`DROP TRIGGER IF EXISTS test_fault_on_faultline ON clinical.patients`);
    await owner?.query(`DROP FUNCTION IF EXISTS clinical.test_fault_on_faultline()`);
    await owner?.destroy();
  });

  it("PostgreSQL's own log takes no bind parameters and no statement errors (infra/postgres/pg.sh)", async () => {
    const [settings] = await owner.query(
      `SELECT current_setting('log_parameter_max_length') AS params,
              current_setting('log_parameter_max_length_on_error') AS params_on_error,
              current_setting('log_error_verbosity') AS verbosity,
              current_setting('log_min_error_statement') AS error_statement`,
    );
    expect(settings).toEqual({
      params: '0',
      params_on_error: '0',
      verbosity: 'terse',
      error_statement: 'panic',
    });
  });

  it('a database failure, a failed login and a rejected search log ids and SQLSTATEs, never the values', async () => {
    const tenant = await newTenant(owner, 'logs');
    const user = await createUser(owner, tenant.id, { roles: ['doctor'] });
    const api = await startApiProcess({ LOG_LEVEL: 'debug' });
    const base = `http://127.0.0.1:${api.port}`;
    const secrets = {
      given: 'Zorawarsingh',
      family: 'Faultlinewala',
      phone: '9876501234',
      abha: '91-7788-6655-4433',
      email: 'zorawar.faultline@example.test',
      wrongPassword: 'Not-the-password-4711',
      query: 'Quetzalcoatlpatient',
    };
    try {
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'X-Tenant-ID': tenant.id, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const auth = {
        'X-Tenant-ID': tenant.id,
        Authorization: `Bearer ${accessToken}`,
        'Content-Type': 'application/json',
      };

      const failed = await fetch(`${base}/api/v1/patients`, {
        method: 'POST',
        headers: { ...auth, 'X-Request-ID': 'req-fault-1' },
        body: JSON.stringify({
          name: { given: [secrets.given], family: secrets.family },
          gender: 'male',
          birthDate: '1977-07-07',
          phones: [secrets.phone],
          abhaNumber: secrets.abha,
          email: secrets.email,
        }),
      });
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(await failed.json())).not.toContain(secrets.given);

      const badLogin = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'X-Tenant-ID': tenant.id, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: secrets.email, password: secrets.wrongPassword }),
      });
      expect(badLogin.status).toBe(401);

      const badSearch = await fetch(`${base}/api/v1/patients?name=${secrets.query}&limit=1000`, {
        headers: auth,
      });
      expect(badSearch.status).toBe(400);
      const search = await fetch(`${base}/api/v1/patients?name=${secrets.query}`, { headers: auth });
      expect(search.status).toBe(200);

      // Nothing of the failed registration was written.
      const [{ n }] = await owner.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenant.id]);
        return tx.query(`SELECT count(*)::int AS n FROM clinical.patients`);
      });
      expect(n).toBe(0);
    } finally {
      api.child.kill('SIGTERM');
      await new Promise((r) => api.child.once('exit', r));
      rmSync(api.keyDir, { recursive: true, force: true });
    }
    const logs = api.output();
    // The log is there and says what happened, by SQLSTATE and request id.
    expect(logs).toMatch(/"sqlState":"XX000"/);
    expect(logs).toMatch(/req-fault-1/);
    for (const value of [...Object.values(secrets), '98765 01234', '+919876501234', '91778866554433']) {
      expect({ value, found: logs.includes(value) }).toEqual({ value, found: false });
    }
  });
});
