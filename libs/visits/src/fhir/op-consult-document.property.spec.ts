/**
 * Property: any valid consultation (any mix of vitals in their ranges, free text in any script,
 * optional codes, any number of findings and prescriptions) renders a document Bundle that is
 * valid FHIR R4, meets the NRCeS OPConsultRecord requirements digest, whose references all
 * resolve inside the bundle, and whose every entry is reachable from the Composition.
 */
import fc from 'fast-check';
import type { Bundle, Composition, Patient } from '@medplum/fhirtypes';
import { toFhirPatient } from '@hims/patients';
import { CLINICAL_STATUSES, Consultation } from '../consultation.model';
import { OpConsultDocumentInput, renderOpConsultDocument } from './op-consult-document';
import {
  collectReferences,
  danglingReferences,
  fhirErrors,
  loadR4Definitions,
} from '../../../../test/support/fhir';
import { samplePatientRow } from '../../../../test/support/op-consult-sample';
import { nrcesProblems } from '../../../../test/support/nrces-op-consult';

// Text as staff type it: any script, no control characters, not blank.
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => s.trim().length > 0 && !/[\p{Cc}\p{Cs}]/u.test(s));
const decimal = (min: number, max: number) => fc.integer({ min: min * 10, max: max * 10 }).map((n) => n / 10);
const finding = fc.record(
  {
    text,
    icd10: fc.stringMatching(/^[A-TV-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/),
    snomed: fc.stringMatching(/^[1-9][0-9]{5,17}$/),
    clinicalStatus: fc.constantFrom(...CLINICAL_STATUSES),
  },
  { requiredKeys: ['text', 'clinicalStatus'] },
);
const prescription = fc.record(
  {
    drug: text,
    strength: text,
    dose: text,
    route: text,
    frequency: text,
    durationDays: fc.integer({ min: 1, max: 365 }),
    instructions: text,
  },
  { requiredKeys: ['drug', 'dose', 'route', 'frequency'] },
);
const day = fc.date({
  min: new Date('2020-01-01T00:00:00Z'),
  max: new Date('2035-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const consultation: fc.Arbitrary<Consultation> = fc.record(
  {
    vitals: fc.record(
      {
        systolicMmHg: fc.integer({ min: 50, max: 260 }),
        diastolicMmHg: fc.integer({ min: 30, max: 160 }),
        pulsePerMin: fc.integer({ min: 20, max: 250 }),
        temperatureCel: decimal(30, 45),
        respiratoryRatePerMin: fc.integer({ min: 5, max: 80 }),
        spo2Percent: fc.integer({ min: 50, max: 100 }),
        weightKg: decimal(0.5, 300),
        heightCm: decimal(30, 250),
      },
      { requiredKeys: [] },
    ),
    complaints: fc.array(finding, { maxLength: 4 }),
    diagnoses: fc.array(finding, { maxLength: 4 }),
    medications: fc.array(prescription, { maxLength: 4 }),
    advice: text,
    followUpDate: day.map((d) => d.toISOString().slice(0, 10)),
    notes: text,
  },
  { requiredKeys: ['vitals', 'complaints', 'diagnoses', 'medications'] },
);
const input: fc.Arbitrary<OpConsultDocumentInput> = fc
  .record({
    visitId: fc.uuid(),
    department: text,
    reason: fc.option(text),
    scheduledAt: day,
    startOffsetMin: fc.option(fc.integer({ min: 0, max: 600 })),
    lengthMin: fc.option(fc.integer({ min: 1, max: 240 })),
    signedAfterMin: fc.integer({ min: 0, max: 60 * 24 * 30 }),
    contentVersion: fc.integer({ min: 1, max: 50 }),
    consultation,
    patientId: fc.uuid(),
    practitioner: fc.record({ id: fc.uuid(), displayName: text }),
    organization: fc.record({
      id: fc.uuid(),
      name: text,
      hipId: fc.option(fc.stringMatching(/^[A-Z0-9]{4,20}$/)),
    }),
  })
  .map((r) => {
    const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);
    const startedAt = r.startOffsetMin === null ? null : minutes(r.scheduledAt, r.startOffsetMin);
    const endedAt = startedAt && r.lengthMin !== null ? minutes(startedAt, r.lengthMin) : null;
    return {
      visit: {
        id: r.visitId,
        status: 'signed',
        department: r.department,
        reason: r.reason,
        scheduledAt: r.scheduledAt,
        startedAt,
        endedAt,
        signedAt: minutes(endedAt ?? startedAt ?? r.scheduledAt, r.signedAfterMin),
        contentVersion: r.contentVersion,
      },
      consultation: r.consultation,
      patient: { ...(toFhirPatient(samplePatientRow()) as unknown as Patient), id: r.patientId },
      practitioner: r.practitioner,
      organization: r.organization,
    };
  });

/** fullUrls reachable from the Composition by following references. */
function reachable(bundle: Bundle): Set<string> {
  const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl as string, e.resource]));
  const first = bundle.entry?.[0]?.fullUrl as string;
  const seen = new Set([first]);
  const queue = [first];
  while (queue.length > 0) {
    for (const ref of collectReferences(byUrl.get(queue.shift() as string))) {
      const url = ref.reference as string;
      if (byUrl.has(url) && !seen.has(url)) {
        seen.add(url);
        queue.push(url);
      }
    }
  }
  return seen;
}

describe('renderOpConsultDocument (property)', () => {
  beforeAll(() => loadR4Definitions());

  it('renders every valid consultation as a valid R4 document meeting the NRCeS requirements, whose references all resolve inside it', () => {
    fc.assert(
      fc.property(input, (i) => {
        const bundle = renderOpConsultDocument(i);
        expect(fhirErrors(bundle)).toEqual([]);
        expect(danglingReferences(bundle)).toEqual([]);
        expect(nrcesProblems(bundle)).toEqual([]);
        const urls = (bundle.entry ?? []).map((e) => e.fullUrl as string);
        expect(new Set(urls).size).toBe(urls.length);
        expect(reachable(bundle)).toEqual(new Set(urls));
        const composition = bundle.entry?.[0]?.resource as Composition;
        expect(composition.resourceType).toBe('Composition');
        expect(composition.section?.length).toBeGreaterThan(0);
        expect(bundle.meta?.versionId).toBe(String(i.visit.contentVersion));
        expect(bundle.timestamp).toBe(i.visit.signedAt.toISOString());
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic, and the document identifier depends on the visit alone', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 50 }), (i, otherVersion) => {
        const bundle = renderOpConsultDocument(i);
        expect(renderOpConsultDocument(structuredClone(i))).toEqual(bundle);
        const amended = renderOpConsultDocument({
          ...i,
          visit: { ...i.visit, contentVersion: otherVersion },
        });
        expect(amended.identifier).toEqual(bundle.identifier);
        expect(amended.entry?.[0]?.resource?.meta?.versionId).toBe(String(otherVersion));
      }),
      { numRuns: 30 },
    );
  });
});
