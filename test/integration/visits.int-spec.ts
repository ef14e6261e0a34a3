/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Visits below HTTP (the surface @hims/visits exports): booking, signing by
 * the attending doctor only, once; listing a patient's signed visits; audit;
 * and isolation: another tenant neither sees nor signs the visit.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { ProblemException } from '../../libs/errors/src';
import { TenantScope } from '../../libs/tenancy/src';
import { PatientsService } from '../../libs/patients/src';
import type { CreatePatientDto } from '../../libs/patients/src/dto/create-patient.dto';
import { VisitsService } from '../../libs/visits/src';
import { createTestApp } from '../support/app';
import { createUser } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { mergeConsultation } from '../../libs/visits/src/consultation.merge';
import { CONSULTATION_LIMITS } from '../../libs/visits/src/dto/consultation.dto';
import { CONSULTATION_MAX_BYTES } from '../../migrations/1763798000000-VisitConsultations';
import { asTenant, newTenant } from '../support/fixtures';

async function problemOf(p: Promise<unknown>): Promise<ProblemException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProblemException) return err;
    throw err;
  }
  throw new Error('expected a ProblemException');
}

describe('visits (service + database)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let appDs: DataSource;
  let visits: VisitsService;
  let scope: TenantScope;
  let a: { id: string };
  let b: { id: string };
  let patientId: string;
  let doctor: string;
  let otherDoctor: string;
  let desk: string;

  const inTenant = <T>(tenantId: string, userId: string, fn: () => Promise<T>, roles = ['doctor']) =>
    scope.run({ tenantId, userId, roles, requestId: `int-${randomUUID()}` }, fn);
  const atDesk = <T>(tenantId: string, fn: () => Promise<T>) =>
    inTenant(tenantId, desk, fn, ['receptionist']);

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    appDs = await createDataSource(appUrl(), 2).initialize();
    a = await newTenant(owner, 'vis-a');
    b = await newTenant(owner, 'vis-b');
    doctor = (await createUser(owner, a.id, { roles: ['doctor'] })).id;
    otherDoctor = (await createUser(owner, a.id, { roles: ['doctor'] })).id;
    desk = (await createUser(owner, a.id, { roles: ['receptionist'] })).id;
    app = await createTestApp({ databasePoolMax: 4 });
    visits = app.get(VisitsService);
    scope = app.get(TenantScope);
    const patient = await inTenant(a.id, doctor, () =>
      app
        .get(PatientsService)
        .register({
          name: { given: ['Visit'], family: 'Subject' },
          gender: 'female',
          birthDate: '1980-02-03',
        } as CreatePatientDto),
    );
    patientId = (patient as { id: string }).id;
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
    await appDs?.destroy();
  });

  /** A SQLSTATE the statement fails with, run as the application role in tenant A. */
  const sqlStateAsApp = async (sql: string, params: unknown[]) => {
    try {
      await asTenant(appDs, a.id, (tx) => tx.query(sql, params), doctor);
    } catch (err) {
      return (err as { code?: string }).code;
    }
    return 'no error';
  };

  const book = () =>
    atDesk(a.id, () =>
      visits.create({
        patientId,
        attendingDoctorId: doctor,
        department: 'General Medicine',
        scheduledAt: new Date('2026-11-23T09:00:00Z'),
      }),
    );

  it('books, signs once by the attending doctor, and lists the signed visit with an audit trail', async () => {
    const booked = await book();
    expect(booked).toMatchObject({
      status: 'planned',
      version: 1,
      patient_id: patientId,
      content_version: 0,
    });
    await atDesk(a.id, () => visits.changeStatus(booked.id, { status: 'arrived' }));

    const byOther = await problemOf(inTenant(a.id, otherDoctor, () => visits.sign(booked.id)));
    expect(byOther.kind).toBe('forbidden');

    const signed = await inTenant(a.id, doctor, () => visits.sign(booked.id));
    expect(signed).toMatchObject({ status: 'finished', version: 3, signed_by: doctor, content_version: 1 });
    const again = await problemOf(inTenant(a.id, doctor, () => visits.sign(booked.id)));
    expect(again.kind).toBe('conflict');

    const listed = await inTenant(a.id, doctor, () => visits.listSignedForPatient(patientId));
    expect(listed.map((v) => v.id)).toContain(booked.id);
    expect(listed.every((v) => v.signed_at !== null && v.status === 'finished')).toBe(true);

    const audit: { action: string }[] = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT action FROM audit.audit_log WHERE tenant_id = $1 AND entity_type = 'visit' AND entity_id = $2 ORDER BY seq`,
        [a.id, booked.id],
      ),
    );
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['create', 'sign']));
  });

  it('another tenant cannot see, sign or book against the visit and patient (404)', async () => {
    const booked = await book();
    expect((await problemOf(inTenant(b.id, doctor, () => visits.get(booked.id)))).kind).toBe('notFound');
    expect((await problemOf(inTenant(b.id, doctor, () => visits.sign(booked.id)))).kind).toBe('notFound');
    expect(
      (
        await problemOf(
          inTenant(
            b.id,
            doctor,
            () =>
              visits.create({
                patientId,
                attendingDoctorId: doctor,
                department: 'X',
                scheduledAt: new Date(),
              }),
            ['receptionist'],
          ),
        )
      ).kind,
    ).toBe('notFound');
    expect(await inTenant(b.id, doctor, () => visits.listSignedForPatient(patientId))).toEqual([]);
    expect(await inTenant(a.id, doctor, () => visits.get(booked.id))).toMatchObject({
      status: 'planned',
      version: 1,
    });
  });

  it('the database keeps signed content immutable and versions append-only, even for direct SQL as hims_app', async () => {
    const booked = await book();
    await atDesk(a.id, () => visits.changeStatus(booked.id, { status: 'arrived' }));
    const v = await inTenant(a.id, doctor, () =>
      visits.update(booked.id, 2, { consultation: { vitals: { pulsePerMin: 72 } } }),
    );
    await inTenant(a.id, doctor, () => visits.sign(booked.id, v.version));

    // No UPDATE or DELETE privilege on versions for the application role.
    expect(
      await sqlStateAsApp(`UPDATE clinical.visit_versions SET reason = 'x' WHERE visit_id = $1`, [booked.id]),
    ).toBe('42501');
    expect(await sqlStateAsApp(`DELETE FROM clinical.visit_versions WHERE visit_id = $1`, [booked.id])).toBe(
      '42501',
    );
    // No DELETE of visits; signed content cannot change without a matching new version; the signature cannot change.
    expect(await sqlStateAsApp(`DELETE FROM clinical.visits WHERE id = $1`, [booked.id])).toBe('42501');
    expect(
      await sqlStateAsApp(
        `UPDATE clinical.visits SET content = jsonb_set(content, '{vitals,pulsePerMin}', '90') WHERE id = $1`,
        [booked.id],
      ),
    ).toBe('55000');
    expect(
      await sqlStateAsApp(`UPDATE clinical.visits SET content_version = 2 WHERE id = $1`, [booked.id]),
    ).toBe('55000');
    expect(
      await sqlStateAsApp(`UPDATE clinical.visits SET signed_by = NULL, signed_at = NULL WHERE id = $1`, [
        booked.id,
      ]),
    ).toBe('55000');
    // Even the owner cannot rewrite a version (trigger).
    await expect(
      asTenant(owner, a.id, (tx) =>
        tx.query(`UPDATE clinical.visit_versions SET reason = 'x' WHERE visit_id = $1`, [booked.id]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const stored = await inTenant(a.id, doctor, () => visits.get(booked.id));
    expect(stored.content.vitals).toEqual({ pulsePerMin: 72 });
  });

  it('the largest consultation the API accepts fits the database limit (stored through the service)', async () => {
    const text = (n: number) => 'क'.repeat(n); // 3 bytes in UTF-8, the most per UTF-16 unit
    const finding = {
      text: text(CONSULTATION_LIMITS.findingText),
      icd10: 'A00.0000',
      snomed: '1'.repeat(18),
      clinicalStatus: 'remission' as const,
    };
    const L = CONSULTATION_LIMITS;
    const patch = {
      vitals: {
        systolicMmHg: 300,
        diastolicMmHg: 200,
        pulsePerMin: 250,
        temperatureCel: 44.95,
        respiratoryRatePerMin: 80,
        spo2Percent: 99.5,
        weightKg: 399.99,
        heightCm: 259.99,
      },
      complaints: Array(L.findings).fill(finding),
      diagnoses: Array(L.findings).fill(finding),
      medications: Array(L.medications).fill({
        drug: text(L.drug),
        strength: text(L.strength),
        dose: text(L.dose),
        route: text(L.route),
        frequency: text(L.frequency),
        durationDays: 365,
        instructions: text(L.instructions),
      }),
      advice: text(L.advice),
      followUpDate: '2026-12-31',
      notes: text(L.notes),
    };
    const booked = await book();
    await atDesk(a.id, () => visits.changeStatus(booked.id, { status: 'arrived' }));
    const saved = await inTenant(a.id, doctor, () => visits.update(booked.id, 2, { consultation: patch }));
    expect(saved.content).toEqual(
      mergeConsultation({ vitals: {}, complaints: [], diagnoses: [], medications: [] }, patch),
    );
    const [{ bytes }] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT octet_length(content::text) AS bytes FROM clinical.visits WHERE id = $1`, [booked.id]),
    );
    expect(bytes).toBeGreaterThan(CONSULTATION_MAX_BYTES / 2);
    expect(bytes).toBeLessThanOrEqual(CONSULTATION_MAX_BYTES);
  });
});
