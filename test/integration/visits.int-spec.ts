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
import { ownerUrl } from '../support/env';
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
  let visits: VisitsService;
  let scope: TenantScope;
  let a: { id: string };
  let b: { id: string };
  let patientId: string;
  const doctor = randomUUID();
  const otherDoctor = randomUUID();

  const inTenant = <T>(tenantId: string, userId: string, fn: () => Promise<T>) =>
    scope.run({ tenantId, userId, roles: ['doctor'], requestId: `int-${randomUUID()}` }, fn);

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'vis-a');
    b = await newTenant(owner, 'vis-b');
    app = await createTestApp({ databasePoolMax: 4 });
    visits = app.get(VisitsService);
    scope = app.get(TenantScope);
    const patient = await inTenant(a.id, doctor, () =>
      app.get(PatientsService).register({ name: { given: ['Visit'], family: 'Subject' }, gender: 'female', birthDate: '1980-02-03' } as CreatePatientDto),
    );
    patientId = (patient as { id: string }).id;
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  const book = () =>
    inTenant(a.id, doctor, () =>
      visits.create({ patientId, attendingDoctorId: doctor, department: 'General Medicine', scheduledAt: new Date('2026-11-23T09:00:00Z') }),
    );

  it('books, signs once by the attending doctor, and lists the signed visit with an audit trail', async () => {
    const booked = await book();
    expect(booked).toMatchObject({ status: 'booked', version: 1, patient_id: patientId });

    const byOther = await problemOf(inTenant(a.id, otherDoctor, () => visits.sign(booked.id)));
    expect(byOther.kind).toBe('forbidden');

    const signed = await inTenant(a.id, doctor, () => visits.sign(booked.id));
    expect(signed).toMatchObject({ status: 'signed', version: 2, signed_by: doctor });
    const again = await problemOf(inTenant(a.id, doctor, () => visits.sign(booked.id)));
    expect(again.kind).toBe('conflict');

    const listed = await inTenant(a.id, doctor, () => visits.listSignedForPatient(patientId));
    expect(listed.map((v) => v.id)).toContain(booked.id);
    expect(listed.every((v) => v.status === 'signed')).toBe(true);

    const audit: { action: string }[] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT action FROM audit.audit_log WHERE tenant_id = $1 AND entity_type = 'visit' AND entity_id = $2 ORDER BY seq`, [
        a.id,
        booked.id,
      ]),
    );
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['create', 'sign']));
  });

  it('another tenant cannot see, sign or book against the visit and patient (404)', async () => {
    const booked = await book();
    expect((await problemOf(inTenant(b.id, doctor, () => visits.get(booked.id)))).kind).toBe('notFound');
    expect((await problemOf(inTenant(b.id, doctor, () => visits.sign(booked.id)))).kind).toBe('notFound');
    expect(
      (await problemOf(inTenant(b.id, doctor, () =>
        visits.create({ patientId, attendingDoctorId: doctor, department: 'X', scheduledAt: new Date() }),
      ))).kind,
    ).toBe('notFound');
    expect(await inTenant(b.id, doctor, () => visits.listSignedForPatient(patientId))).toEqual([]);
    expect(await inTenant(a.id, doctor, () => visits.get(booked.id))).toMatchObject({ status: 'booked', version: 1 });
  });
});
