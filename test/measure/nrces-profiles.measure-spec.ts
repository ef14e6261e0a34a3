/**
 * Measurement (not part of npm test): every document the bridge can send against the NRCeS
 * ndhm.in 2.0.1 profiles, with HAPI FHIR's validator, where an operator has the package
 * (HIMS_NRCES_IG_DIR: a directory of its StructureDefinition-*.json / ValueSet-*.json files).
 * The package is on no registry this project reaches and may not be committed, so this runs
 * by hand: `HIMS_NRCES_IG_DIR=… npx jest --config jest.config.js --selectProjects measure
 * --runTestsByPath test/measure/nrces-profiles.measure-spec.ts` (docs/fhir-documents.md).
 * npm test checks the same documents against R4 core (libs/visits/src/fhir/documents.validator.spec.ts).
 */
import type { Bundle } from '@medplum/fhirtypes';
import { renderOpConsultDocument } from '../../libs/visits/src/fhir/op-consult-document';
import { renderPrescriptionDocument } from '../../libs/visits/src/fhir/prescription-document';
import { renderWellnessDocument } from '../../libs/visits/src/fhir/wellness-document';
import { sampleInput } from '../support/op-consult-sample';
import { issueLines, NRCES_IG_PACKAGE, validateFhir, type ValidationIssue } from '../support/fhir-validator';

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
  if (!NRCES_IG_PACKAGE)
    throw new Error('HIMS_NRCES_IG_DIR must name a local copy of the NRCeS ndhm.in 2.0.1 package');
  // One JVM for the whole file: its start and the profiles' snapshots cost most of the time.
  results = validateFhir({ ...documents, ...brokenDocuments() }, NRCES_IG_PACKAGE);
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
