/**
 * A signed OP consultation as the visits API would hand it to renderOpConsultDocument: the
 * Patient comes from the registry's own FHIR mapper, so the document carries the real view.
 */
import type { Patient } from '@medplum/fhirtypes';
import { toFhirPatient, PatientRow } from '@hims/patients';
import type { OpConsultDocumentInput } from '@hims/visits';

const TENANT = '7d1f7a52-3c55-4b8a-9a0e-2f1c6a4d9b10';

export function samplePatientRow(): PatientRow {
  return {
    tenant_id: TENANT,
    id: 'c2a3e0f4-8a1b-4c7d-9e2f-1a2b3c4d5e6f',
    mrn: 'MRN-000042',
    active: true,
    version: 3,
    created_at: new Date('2026-01-05T09:00:00Z'),
    updated_at: new Date('2026-11-01T09:00:00Z'),
    created_by: null,
    updated_by: null,
    name_given: ['Asha'],
    name_family: 'Verma',
    name_prefix: [],
    name_text: 'Asha Verma',
    search_name: 'asha verma',
    gender: 'female',
    birth_date: '1988-04-12',
    birth_year: 1988,
    birth_date_approximate: false,
    phones: ['+919812345678'],
    email: null,
    address: { city: 'Pune', state: 'Maharashtra', postalCode: '411001', country: 'IN' },
    abha_number: '91734518160779',
    abha_address: 'asha.verma@abdm',
    deceased: false,
  };
}

export function sampleInput(): OpConsultDocumentInput {
  return {
    visit: {
      id: '5f0c2d8e-1b3a-4e6f-8a9d-0c1b2a3d4e5f',
      status: 'signed',
      department: 'General Medicine',
      reason: 'Fever',
      scheduledAt: new Date('2026-11-20T10:00:00Z'),
      startedAt: new Date('2026-11-20T10:05:00Z'),
      endedAt: new Date('2026-11-20T10:40:00Z'),
      signedAt: new Date('2026-11-20T10:45:00Z'),
      contentVersion: 1,
    },
    consultation: {
      vitals: {
        systolicMmHg: 128,
        diastolicMmHg: 84,
        pulsePerMin: 88,
        temperatureCel: 37.8,
        respiratoryRatePerMin: 18,
        spo2Percent: 97,
        weightKg: 72.5,
        heightCm: 170,
      },
      complaints: [{ text: 'Fever for three days', snomed: '386661006', clinicalStatus: 'active' }],
      diagnoses: [{ text: 'Dengue fever', icd10: 'A90', snomed: '38362002', clinicalStatus: 'active' }],
      medications: [
        {
          drug: 'Paracetamol',
          strength: '500 mg',
          dose: '1 tablet',
          route: 'oral',
          frequency: 'every 6 hours when needed',
          durationDays: 3,
          instructions: 'After food',
        },
        {
          drug: 'Oral rehydration salts',
          dose: '1 sachet in 1 litre of water',
          route: 'oral',
          frequency: 'sip through the day',
        },
      ],
      advice: 'Drink plenty of fluids; return at once if bleeding or severe abdominal pain.',
      followUpDate: '2026-11-23',
      notes: 'Platelet count to be repeated at follow-up.',
    },
    patient: toFhirPatient(samplePatientRow()) as unknown as Patient,
    practitioner: { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', displayName: 'Dr. Rohan Mehta' },
    organization: { id: TENANT, name: 'Sunrise Clinic, Pune', hipId: 'IN2710000123' },
  };
}
