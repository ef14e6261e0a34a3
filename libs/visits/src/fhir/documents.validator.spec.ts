/**
 * Every document the bridge can send, checked by a validator we did not write: HAPI FHIR's
 * validator (HL7 org.hl7.fhir.validation engine) against FHIR R4 core, in one JVM run
 * (test/support/fhir-validator.ts). The NRCeS profile check needs the ndhm.in package, which
 * no registry we reach serves: test/measure/nrces-profiles.measure-spec.ts, run by hand.
 *
 * 0 errors. Warnings are listed below, each with why it stays (docs/fhir-documents.md).
 */
import type { Bundle } from '@medplum/fhirtypes';
import { renderOpConsultDocument } from './op-consult-document';
import { renderPrescriptionDocument } from './prescription-document';
import { renderWellnessDocument } from './wellness-document';
import { sampleInput } from '../../../../test/support/op-consult-sample';
import { issueLines, validateFhir, type ValidationIssue } from '../../../../test/support/fhir-validator';

const amendment = () => ({
  ...sampleInput(),
  visit: { ...sampleInput().visit, contentVersion: 3, reason: null, startedAt: null, endedAt: null },
  consultation: {
    ...sampleInput().consultation,
    vitals: { weightKg: 70 },
    followUpDate: undefined,
    advice: undefined,
  },
  organization: { ...sampleInput().organization, hipId: null },
});

const documents: Record<string, Bundle> = {
  'OP consultation, full': renderOpConsultDocument(sampleInput()),
  'OP consultation, amended, weight only, no HIP id': renderOpConsultDocument(amendment()),
  'OP consultation, empty': renderOpConsultDocument({
    ...sampleInput(),
    consultation: { vitals: {}, complaints: [], diagnoses: [], medications: [] },
  }),
  prescription: renderPrescriptionDocument(sampleInput()),
  'prescription, amended': renderPrescriptionDocument(amendment()),
  'wellness record': renderWellnessDocument(sampleInput()),
  'wellness record, weight only': renderWellnessDocument(amendment()),
};

/**
 * The warnings that stay: LOINC has no content offline (no terminology server), so each LOINC
 * code is "unknown" (docs/fhir-documents.md, "Validator findings").
 */
const EXPLAINED: RegExp[] = [
  /^CodeSystem is unknown and can't be validated: http:\/\/loinc\.org for 'http:\/\/loinc\.org#[0-9-]+'$/,
];

/** Two broken documents: the validator must see what R4 itself forbids. */
function brokenDocuments(): Record<string, Bundle> {
  const badStatus = structuredClone(documents['prescription']);
  (badStatus.entry?.[0]?.resource as { status: string }).status = 'signed-off';
  const untitled = structuredClone(documents['wellness record']);
  delete (untitled.entry?.[0]?.resource as { title?: string }).title;
  return {
    'broken: a status R4 does not know': badStatus,
    'broken: a composition without its title': untitled,
  };
}

let results: Record<string, ValidationIssue[]>;

beforeAll(() => {
  // One JVM for the whole file: its start and the profiles' snapshots cost most of the time.
  results = validateFhir({ ...documents, ...brokenDocuments() });
}, 900_000);

describe('HAPI FHIR validator against R4 core', () => {
  it.each(Object.keys(documents))('finds no error in %s', (name) => {
    expect(issueLines(results[name], ['fatal', 'error'])).toEqual([]);
  });

  it.each(Object.keys(documents))('finds only explained warnings in %s', (name) => {
    const unexplained = results[name].filter(
      (i) => i.severity === 'warning' && !EXPLAINED.some((re) => re.test(i.message)),
    );
    expect(issueLines(unexplained, ['warning'])).toEqual([]);
  });

  it('bites: a broken document is an error', () => {
    expect(issueLines(results['broken: a status R4 does not know'], ['error']).join('\n')).toMatch(
      /signed-off/,
    );
    expect(issueLines(results['broken: a composition without its title'], ['error']).join('\n')).toMatch(
      /Composition\.title/,
    );
  });
});
