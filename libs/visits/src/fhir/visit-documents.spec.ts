/**
 * The prescription (NRCeS PrescriptionRecord) and wellness record (WellnessRecord) documents of
 * a signed visit, and which documents a visit gives. The HAPI validator checks them against the
 * NRCeS profiles in documents.validator.spec.ts; these tests pin their content.
 */
import type { Bundle, Composition, Narrative, Observation, Reference, Resource } from '@medplum/fhirtypes';

type DomainResource = Resource & { text?: Narrative };
import { renderOpConsultDocument } from './op-consult-document';
import { renderPrescriptionDocument } from './prescription-document';
import { renderWellnessDocument } from './wellness-document';
import { visitDocumentTypes, VISIT_DOCUMENT_TYPES } from './documents';
import { sampleInput } from '../../../../test/support/op-consult-sample';
import { danglingReferences, fhirErrors } from '../../../../test/support/fhir';

const NRCES = 'https://nrces.in/ndhm/fhir/r4/StructureDefinition';
const resources = (b: Bundle) => (b.entry ?? []).map((e) => e.resource as DomainResource);
const composition = (b: Bundle) => b.entry?.[0]?.resource as Composition;
const idsOf = (b: Bundle, type: string) =>
  resources(b)
    .filter((r) => r.resourceType === type)
    .map((r) => r.id);

describe('visit documents', () => {
  const op = renderOpConsultDocument(sampleInput());
  const rx = renderPrescriptionDocument(sampleInput());
  const wellness = renderWellnessDocument(sampleInput());

  it.each([
    ['OP consultation', op],
    ['prescription', rx],
    ['wellness record', wellness],
  ])('%s: valid R4, every reference resolved, a narrative on every resource', (_name, bundle) => {
    expect(resources(bundle).flatMap((r) => fhirErrors(r))).toEqual([]);
    expect(fhirErrors(bundle)).toEqual([]);
    expect(danglingReferences(bundle)).toEqual([]);
    for (const r of resources(bundle))
      expect(r.text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml"/);
    for (const o of resources(bundle).filter((r): r is Observation => r.resourceType === 'Observation')) {
      expect(o.performer).toEqual([
        expect.objectContaining({ reference: expect.stringMatching(/^urn:uuid:/) }),
      ]);
    }
  });

  it('prescription: PrescriptionRecord with one typed section of the MedicationRequests of the consultation', () => {
    expect(resources(rx).map((r) => r.resourceType)).toEqual([
      'Composition',
      'Patient',
      'Practitioner',
      'Organization',
      'Encounter',
      'MedicationRequest',
      'MedicationRequest',
    ]);
    const c = composition(rx);
    expect(c.meta?.profile).toEqual([`${NRCES}/PrescriptionRecord`]);
    expect(c.type.coding).toEqual([
      { system: 'http://snomed.info/sct', code: '440545006', display: 'Prescription record' },
    ]);
    expect(c.section).toHaveLength(1);
    expect(c.section?.[0].code?.coding).toEqual(c.type.coding);
    expect(c.section?.[0].entry?.map((e) => e.type)).toEqual(['MedicationRequest', 'MedicationRequest']);
    // The same MedicationRequests (same ids) as the OP consultation document; a document of its own.
    expect(idsOf(rx, 'MedicationRequest')).toEqual(idsOf(op, 'MedicationRequest'));
    expect(idsOf(rx, 'Encounter')).toEqual(idsOf(op, 'Encounter'));
    expect(rx.identifier?.value).not.toBe(op.identifier?.value);
    expect(rx.id).not.toBe(op.id);
    expect(c.id).not.toBe(composition(op).id);
    expect(renderPrescriptionDocument(sampleInput())).toEqual(rx);
  });

  it('wellness record: WellnessRecord sections by fixed title, vital signs apart from body measurements', () => {
    const c = composition(wellness);
    expect(c.meta?.profile).toEqual([`${NRCES}/WellnessRecord`]);
    expect(c.type).toEqual({ text: 'Wellness Record' });
    const profileOf = (ref: Reference) =>
      (wellness.entry?.find((e) => e.fullUrl === ref.reference)?.resource as Observation).meta?.profile?.[0];
    expect(c.section?.map((s) => [s.title, [...new Set(s.entry?.map(profileOf))], s.entry?.length])).toEqual([
      ['Vital Signs', [`${NRCES}/ObservationVitalSigns`], 5],
      ['Body Measurement', [`${NRCES}/ObservationBodyMeasurement`], 3],
    ]);
    expect(idsOf(wellness, 'Observation')).toEqual(idsOf(op, 'Observation'));
    expect(resources(wellness).some((r) => ['Condition', 'MedicationRequest'].includes(r.resourceType))).toBe(
      false,
    );
  });

  it('wellness record with a weight only has the Body Measurement section alone', () => {
    const input = sampleInput();
    input.consultation.vitals = { weightKg: 70 };
    expect(composition(renderWellnessDocument(input)).section?.map((s) => s.title)).toEqual([
      'Body Measurement',
    ]);
  });

  it('refuses a document the visit cannot give', () => {
    const input = sampleInput();
    input.consultation = {
      vitals: { pulsePerMin: null as never },
      complaints: [],
      diagnoses: [],
      medications: [],
    };
    expect(() => renderPrescriptionDocument(input)).toThrow(/at least one medicine/);
    expect(() => renderWellnessDocument(input)).toThrow(/at least one vital sign/);
  });

  it.each<[string, Parameters<typeof visitDocumentTypes>[0], string[]]>([
    ['everything', sampleInput().consultation, ['OPConsultation', 'Prescription', 'WellnessRecord']],
    [
      'no medicines',
      { ...sampleInput().consultation, medications: [] },
      ['OPConsultation', 'WellnessRecord'],
    ],
    ['no vitals', { ...sampleInput().consultation, vitals: {} }, ['OPConsultation', 'Prescription']],
    [
      'vitals stored as null',
      { ...sampleInput().consultation, vitals: { pulsePerMin: null as never } },
      ['OPConsultation', 'Prescription'],
    ],
    ['nothing', { vitals: {}, complaints: [], diagnoses: [], medications: [] }, ['OPConsultation']],
  ])('a visit with %s gives its documents', (_name, consultation, types) => {
    expect(visitDocumentTypes(consultation)).toEqual(types);
    expect(VISIT_DOCUMENT_TYPES).toEqual(['OPConsultation', 'Prescription', 'WellnessRecord']);
  });
});
