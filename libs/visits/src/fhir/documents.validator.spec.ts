/**
 * Every document the bridge can send, checked by a validator we did not write: HAPI FHIR's
 * validator (HL7 org.hl7.fhir.validation engine) with the NRCeS ndhm.in 2.0.1 profiles from a
 * local package (test/support/fhir-validator.ts). All documents go through one JVM run.
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
 * The warnings that stay, each explained (docs/fhir-documents.md, "Validator findings"):
 * - LOINC has no content offline (no terminology server), so each LOINC code is "unknown".
 * - The NRCeS vital-signs value set (extensible) lacks body temperature 8310-5 (it has only
 *   61008-9 body *surface* temperature, another measurement) and SpO2 59408-5 (pulse
 *   oximetry); FHIR R4's own vital-signs profile requires 8310-5 and 59408-5 is what a pulse
 *   oximeter measures, so we keep them.
 */
const EXPLAINED: RegExp[] = [
  /^CodeSystem is unknown and can't be validated: http:\/\/loinc\.org for 'http:\/\/loinc\.org#[0-9-]+'$/,
  /^None of the codings provided are in the value set 'Vital Signs' \(https:\/\/nrces\.in\/ndhm\/fhir\/r4\/ValueSet\/ndhm-vital-signs\|20210326\).*\(codes = http:\/\/loinc\.org#(8310-5|59408-5)/,
];

/** Two broken prescriptions: the validator must see what the NRCeS profile forbids. */
function brokenDocuments(): Record<string, Bundle> {
  const otherType = structuredClone(documents['prescription']);
  (otherType.entry?.[0]?.resource as { type: { coding: { code: string }[] } }).type.coding[0].code =
    '371530004';
  const untyped = structuredClone(documents['prescription']);
  const section = (untyped.entry?.[0]?.resource as { section: { entry: { type?: string }[] }[] }).section[0];
  delete section.entry[0].type;
  return { 'broken: another document type': otherType, 'broken: an untyped prescription entry': untyped };
}

let results: Record<string, ValidationIssue[]>;

beforeAll(() => {
  // One JVM for the whole file: its start and the profiles' snapshots cost most of the time.
  results = validateFhir({ ...documents, ...brokenDocuments() });
}, 900_000);

describe('HAPI FHIR validator with the NRCeS profiles', () => {
  it.each(Object.keys(documents))('finds no error in %s', (name) => {
    expect(issueLines(results[name], ['fatal', 'error'])).toEqual([]);
  });

  it.each(Object.keys(documents))('finds only explained warnings in %s', (name) => {
    const unexplained = results[name].filter(
      (i) => i.severity === 'warning' && !EXPLAINED.some((re) => re.test(i.message)),
    );
    expect(issueLines(unexplained, ['warning'])).toEqual([]);
  });

  it('checks the NRCeS profiles for real: a broken document is an error', () => {
    expect(issueLines(results['broken: another document type'], ['error']).join('\n')).toMatch(
      /fixed to '440545006'/,
    );
    expect(issueLines(results['broken: an untyped prescription entry'], ['error']).join('\n')).toMatch(
      /section\[0\]\.entry\[0\]: This element does not match any known slice/,
    );
  });
});
