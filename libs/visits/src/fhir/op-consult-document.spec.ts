import type {
  Bundle,
  Composition,
  Condition,
  Encounter,
  MedicationRequest,
  Observation,
  Organization,
  Resource,
} from '@medplum/fhirtypes';
import { danglingReferences, fhirErrors } from '../../../../test/support/fhir';
import { renderOpConsultDocument } from '@hims/visits';
import { bodyMassIndex } from './op-consult-document';
import { sampleInput } from '../../../../test/support/op-consult-sample';

const resources = (b: Bundle): Resource[] => (b.entry ?? []).map((e) => e.resource as Resource);
const ofType = <T extends Resource>(b: Bundle, type: T['resourceType']) =>
  resources(b).filter((r): r is T => r.resourceType === type);
const byUrl = (b: Bundle, url: string | undefined) => b.entry?.find((e) => e.fullUrl === url)?.resource;

describe('renderOpConsultDocument', () => {
  const input = sampleInput();
  const bundle = renderOpConsultDocument(input);
  const composition = bundle.entry?.[0]?.resource as Composition;

  it('is a valid FHIR R4 document Bundle, and so is every entry (official R4 definitions)', () => {
    expect(fhirErrors(bundle)).toEqual([]);
    for (const r of resources(bundle))
      expect({ [r.resourceType]: fhirErrors(r) }).toEqual({ [r.resourceType]: [] });
  });

  it('is checked by a validator that does catch a broken entry inside the Bundle', () => {
    const broken = structuredClone(bundle);
    const obs = broken.entry?.find((e) => e.resource?.resourceType === 'Observation')
      ?.resource as unknown as Record<string, unknown>;
    delete obs.status;
    obs.valueQuantity = { value: 'ninety' };
    const errors = fhirErrors(broken);
    expect(errors.some((e) => /status/i.test(e))).toBe(true);
    expect(errors.some((e) => /value/i.test(e))).toBe(true);
  });

  it('puts the Composition first, then Patient, Practitioner, Organization, Encounter and the clinical entries', () => {
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'document',
      timestamp: '2026-11-20T10:45:00.000Z',
    });
    expect(resources(bundle).map((r) => r.resourceType)).toEqual([
      'Composition',
      'Patient',
      'Practitioner',
      'Organization',
      'Encounter',
      ...Array(8).fill('Observation'),
      'Condition',
      'Condition',
      'MedicationRequest',
      'MedicationRequest',
      'Appointment',
    ]);
  });

  it('uses urn:uuid full URLs equal to the resource ids, and every reference resolves inside the bundle', () => {
    for (const e of bundle.entry ?? []) expect(e.fullUrl).toBe(`urn:uuid:${e.resource?.id}`);
    expect(new Set(bundle.entry?.map((e) => e.fullUrl)).size).toBe(bundle.entry?.length);
    expect(danglingReferences(bundle)).toEqual([]);
    expect(byUrl(bundle, composition.subject?.reference)).toMatchObject({
      resourceType: 'Patient',
      id: input.patient.id,
    });
    expect(byUrl(bundle, composition.encounter?.reference)?.resourceType).toBe('Encounter');
    expect(byUrl(bundle, composition.author?.[0]?.reference)).toMatchObject({
      resourceType: 'Practitioner',
      id: input.practitioner.id,
    });
    expect(byUrl(bundle, composition.custodian?.reference)).toMatchObject({
      resourceType: 'Organization',
      id: input.organization.id,
    });
  });

  it('keeps the identifiers stable across reads and amendments; the version follows contentVersion', () => {
    const again = renderOpConsultDocument(sampleInput());
    expect(again).toEqual(bundle);
    const amended = renderOpConsultDocument({
      ...sampleInput(),
      visit: { ...input.visit, contentVersion: 2, signedAt: new Date('2026-11-21T08:00:00Z') },
    });
    expect(amended.identifier).toEqual(bundle.identifier);
    expect(bundle.identifier).toMatchObject({
      system: 'urn:ietf:rfc:3986',
      value: expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/),
    });
    const amendedComposition = amended.entry?.[0]?.resource as Composition;
    expect(amendedComposition.identifier).toEqual(composition.identifier);
    expect([bundle.meta?.versionId, composition.meta?.versionId, composition.status]).toEqual([
      '1',
      '1',
      'final',
    ]);
    expect([amended.meta?.versionId, amendedComposition.meta?.versionId, amendedComposition.status]).toEqual([
      '2',
      '2',
      'amended',
    ]);
    expect(amended.id).not.toBe(bundle.id);
    const inError = renderOpConsultDocument({
      ...sampleInput(),
      visit: { ...input.visit, status: 'entered_in_error' },
    });
    expect((inError.entry?.[0]?.resource as Composition).status).toBe('entered-in-error');
    expect((inError.entry?.[4]?.resource as Encounter).status).toBe('entered-in-error');
    expect(amended.timestamp).toBe('2026-11-21T08:00:00.000Z');
    const other = renderOpConsultDocument({
      ...sampleInput(),
      visit: { ...input.visit, id: '0b8d7c55-5a8e-4d8e-9d55-3f3b1f1f0c01' },
    });
    expect(other.identifier?.value).not.toBe(bundle.identifier?.value);
  });

  it('types the Composition as an OPConsultRecord attested by the signing doctor', () => {
    expect(composition).toMatchObject({
      meta: { profile: ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/OPConsultRecord'] },
      type: {
        coding: [
          { system: 'http://snomed.info/sct', code: '371530004', display: 'Clinical consultation report' },
        ],
      },
      date: '2026-11-20T10:45:00.000Z',
      title: 'Consultation Report',
      attester: [{ mode: 'legal', time: '2026-11-20T10:45:00.000Z', party: composition.author?.[0] }],
    });
    expect(
      composition.section?.map((s) => [s.title, s.code?.coding?.[0]?.code, s.entry?.length ?? 0]),
    ).toEqual([
      ['Chief complaints', '422843007', 1],
      ['Physical examination', '425044008', 8],
      ['Medications', '721912009', 2],
      ['Follow up', '736271009', 1],
      ['Diagnoses', '404684003', 1],
      ['Clinical notes', '34109-9', 0],
    ]);
  });

  it('records vitals with LOINC codes and UCUM units, blood pressure as a panel, BMI derived from weight and height', () => {
    const obs = ofType<Observation>(bundle, 'Observation');
    const byCode = (code: string) => obs.find((o) => o.code.coding?.[0]?.code === code) as Observation;
    const bp = byCode('85354-9');
    expect(
      bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value, c.valueQuantity?.code]),
    ).toEqual([
      ['8480-6', 128, 'mm[Hg]'],
      ['8462-4', 84, 'mm[Hg]'],
    ]);
    const simple = (code: string) => {
      const q = byCode(code).valueQuantity;
      return [q?.value, q?.system, q?.code];
    };
    const ucum = 'http://unitsofmeasure.org';
    expect(simple('8867-4')).toEqual([88, ucum, '/min']);
    expect(simple('8310-5')).toEqual([37.8, ucum, 'Cel']);
    expect(simple('9279-1')).toEqual([18, ucum, '/min']);
    expect(simple('59408-5')).toEqual([97, ucum, '%']);
    expect(byCode('59408-5').code.coding?.map((c) => c.code)).toEqual(['59408-5', '2708-6']);
    expect(simple('29463-7')).toEqual([72.5, ucum, 'kg']);
    expect(simple('8302-2')).toEqual([170, ucum, 'cm']);
    expect(simple('39156-5')).toEqual([25.1, ucum, 'kg/m2']);
    expect(
      byCode('39156-5').derivedFrom?.map(
        (r) => (byUrl(bundle, r.reference) as Observation).code.coding?.[0]?.code,
      ),
    ).toEqual(['29463-7', '8302-2']);
    for (const o of obs) {
      expect(o.category?.[0]?.coding?.[0]).toMatchObject({ code: 'vital-signs' });
      expect(o.subject).toEqual(composition.subject);
      expect(o.encounter).toEqual(composition.encounter);
    }
  });

  it('derives BMI only from a positive weight and height', () => {
    expect(bodyMassIndex({ weightKg: 72.5, heightCm: 170 })).toBe(25.1);
    expect(bodyMassIndex({ weightKg: 72.5 })).toBeUndefined();
    expect(bodyMassIndex({ heightCm: 170 })).toBeUndefined();
    const noBmi = renderOpConsultDocument({
      ...sampleInput(),
      consultation: { ...input.consultation, vitals: { weightKg: 60 } },
    });
    expect(ofType<Observation>(noBmi, 'Observation').map((o) => o.code.coding?.[0]?.code)).toEqual([
      '29463-7',
    ]);
  });

  it('treats a vital stored as null as not measured, and drops an end before the start', () => {
    const doc = renderOpConsultDocument({
      ...sampleInput(),
      visit: { ...input.visit, startedAt: null, endedAt: new Date('2026-11-20T09:00:00Z') },
      consultation: {
        ...input.consultation,
        vitals: { pulsePerMin: null, systolicMmHg: 120, diastolicMmHg: null } as never,
      },
    });
    expect(fhirErrors(doc)).toEqual([]);
    const obs = ofType<Observation>(doc, 'Observation');
    expect(
      obs.map((o) => [o.code.coding?.[0]?.code, o.component?.map((c) => c.code.coding?.[0]?.code)]),
    ).toEqual([['85354-9', ['8480-6']]]);
    expect(ofType<Encounter>(doc, 'Encounter')[0].period).toEqual({ start: '2026-11-20T10:00:00.000Z' });
  });

  it('codes complaints and diagnoses in SNOMED CT, an ICD-10 code in the text (NRCeS fixes the system), with their clinical status', () => {
    const [complaint, diagnosis] = ofType<Condition>(bundle, 'Condition');
    expect(complaint).toMatchObject({
      code: {
        text: 'Fever for three days',
        coding: [{ system: 'http://snomed.info/sct', code: '386661006' }],
      },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
    });
    expect(complaint.category).toBeUndefined();
    expect(diagnosis).toMatchObject({
      code: {
        text: 'Dengue fever (ICD-10 A90)',
        coding: [{ system: 'http://snomed.info/sct', code: '38362002', display: 'Dengue fever' }],
      },
      category: [{ coding: [{ code: 'encounter-diagnosis' }] }],
    });
    const encounter = ofType<Encounter>(bundle, 'Encounter')[0];
    expect(encounter.diagnosis?.map((d) => byUrl(bundle, d.condition.reference))).toEqual([diagnosis]);
    expect(encounter).toMatchObject({
      status: 'finished',
      class: { code: 'AMB' },
      serviceType: { text: 'General Medicine' },
      reasonCode: [{ text: 'Fever' }],
      period: { start: '2026-11-20T10:05:00.000Z', end: '2026-11-20T10:40:00.000Z' },
    });
  });

  it('writes prescriptions as MedicationRequests by the signing doctor', () => {
    const [paracetamol, ors] = ofType<MedicationRequest>(bundle, 'MedicationRequest');
    expect(paracetamol).toMatchObject({
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: 'Paracetamol 500 mg' },
      requester: composition.author?.[0],
      dosageInstruction: [
        {
          text: '1 tablet, oral, every 6 hours when needed, for 3 days',
          route: { text: 'oral' },
          timing: {
            code: { text: 'every 6 hours when needed' },
            repeat: { boundsDuration: { value: 3, code: 'd' } },
          },
          patientInstruction: 'After food',
        },
      ],
    });
    expect(ors.medicationCodeableConcept).toEqual({ text: 'Oral rehydration salts' });
    expect(ors.dosageInstruction?.[0]?.timing?.repeat).toBeUndefined();
  });

  it('identifies the clinic by its HIP id when it has one', () => {
    const org = ofType<Organization>(bundle, 'Organization')[0];
    expect(org.identifier?.[0]).toMatchObject({
      system: 'https://facility.ndhm.gov.in',
      value: 'IN2710000123',
    });
    const without = renderOpConsultDocument({
      ...sampleInput(),
      organization: { id: input.organization.id, name: 'Clinic', hipId: null },
    });
    expect(ofType<Organization>(without, 'Organization')[0].identifier).toEqual([
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'PRN',
              display: 'Provider number',
            },
          ],
        },
        system: 'urn:ietf:rfc:3986',
        value: `urn:uuid:${input.organization.id}`,
      },
    ]);
  });

  it('copies the Patient (adding the NRCeS profile) without changing the caller’s resource', () => {
    const before = JSON.stringify(input.patient);
    const again = renderOpConsultDocument(input);
    expect(JSON.stringify(input.patient)).toBe(before);
    expect(again.entry?.[1]?.resource).toMatchObject({
      ...input.patient,
      meta: { profile: ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/Patient'] },
    });
  });

  it('keeps full URLs unique even when two of the given ids collide or are not UUIDs', () => {
    const shared = '11111111-2222-4333-8444-555555555555';
    const doc = renderOpConsultDocument({
      ...sampleInput(),
      patient: { ...input.patient, id: shared },
      practitioner: { id: shared.toUpperCase(), displayName: 'Dr. A' },
      organization: { id: 'tenant-7', name: 'Clinic' },
    });
    const urls = doc.entry?.map((e) => e.fullUrl);
    expect(new Set(urls).size).toBe(urls?.length);
    expect(doc.entry?.[1]?.resource?.id).toBe(shared);
    expect(danglingReferences(doc)).toEqual([]);
    expect(fhirErrors(doc)).toEqual([]);
  });

  it('renders a consultation with no clinical content as a valid document with one notes section', () => {
    const empty = renderOpConsultDocument({
      ...sampleInput(),
      consultation: { vitals: {}, complaints: [], diagnoses: [], medications: [] },
    });
    expect(fhirErrors(empty)).toEqual([]);
    expect(resources(empty).map((r) => r.resourceType)).toEqual([
      'Composition',
      'Patient',
      'Practitioner',
      'Organization',
      'Encounter',
    ]);
    expect((empty.entry?.[0]?.resource as Composition).section).toEqual([
      expect.objectContaining({
        title: 'Clinical notes',
        text: expect.objectContaining({ status: 'generated' }),
      }),
    ]);
  });

  it('escapes clinical text in narratives (data, never markup)', () => {
    const doc = renderOpConsultDocument({
      ...sampleInput(),
      consultation: { ...input.consultation, notes: '<script>alert("x")</script> & more' },
    });
    const notes = (doc.entry?.[0]?.resource as Composition).section?.find(
      (s) => s.title === 'Clinical notes',
    );
    expect(notes?.text?.div).not.toContain('<script>');
    expect(notes?.text?.div).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');
    expect(fhirErrors(doc)).toEqual([]);
  });
});
