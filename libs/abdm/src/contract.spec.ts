/**
 * The bridge against contracts/abdm/hip-v3.openapi.json and the real-shaped corpus
 * (test/fixtures/abdm), with Ajv (a validator we did not write): every corpus callback is what
 * the contract says, and our parsers take it; the bodies our builders make are what the contract
 * says, and the shapes the real gateway refuses are refused by the contract too. The end-to-end
 * half (every call the running bridge makes, checked by the fake gateway and HIU) is
 * test/e2e/abdm-real-network.e2e-spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { generateKeyMaterial } from '@hims/fidelius';
import { buildTransferPages } from '@hims/health-information';
import { bodyErrors, headerErrors } from '../../../test/support/abdm-contract';
import { corpusCall, corpusEntry, corpusNames } from '../../../test/support/abdm-corpus';
import {
  parseDiscover,
  parseLinkConfirm,
  parseLinkInit,
  parseOnCarecontext,
  parseOnGenerateToken,
} from './callback-bodies';
import { parseConsentNotify, parseHiRequest } from './consent-bodies';
import { patientEntries } from './care-contexts';
import { hiNotifyBody } from './hi-notify';
import { parseOnNotify } from './notify-share-bodies';
import { identifiersOf, matchPatient } from './patient-match';

const hiu = generateKeyMaterial();
const vars = {
  token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  hipId: 'IN2910000123',
  transactionId: randomUUID(),
  abhaAddress: 'asha.synthetic@sbx',
  name: 'Asha Synthetic',
  mobile: '9000000001',
  linkPatients: [
    {
      referenceNumber: randomUUID(),
      careContexts: [{ referenceNumber: randomUUID() }],
      hiType: 'OPConsultation',
      count: 1,
    },
  ],
  linkRefNumber: randomUUID(),
  otp: '123456',
  linkToken: 'eyJhbGciOiJSUzUxMiJ9.e30.c2ln',
  responseRequestId: randomUUID(),
  consentId: randomUUID(),
  createdAt: new Date().toISOString(),
  consentPatient: 'asha.synthetic@sbx',
  consentCareContexts: [{ patientReference: randomUUID(), careContextReference: randomUUID() }],
  hiuId: 'HIU-SYNTH-1',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-12-31T00:00:00.000Z',
  dataEraseAt: '2027-12-31T00:00:00.000Z',
  dataPushUrl: 'https://hiu.example.org/data/push',
  expiry: '2027-01-01T00:00:00.000Z',
  hiuPublicKey: hiu.x509PublicKey,
  hiuNonce: hiu.nonce,
};

const PARSERS: Record<string, (b: unknown) => unknown> = {
  '/api/v3/hip/patient/care-context/discover': parseDiscover,
  '/api/v3/hip/link/care-context/init': parseLinkInit,
  '/api/v3/hip/link/care-context/confirm': parseLinkConfirm,
  '/api/v3/hip/token/on-generate-token': parseOnGenerateToken,
  '/api/v3/link/on_carecontext': parseOnCarecontext,
  '/api/v3/links/context/on-notify': parseOnNotify,
  '/api/v3/consent/request/hip/notify': parseConsentNotify,
  '/api/v3/hip/health-information/request': parseHiRequest,
};

describe('the ABDM contract and the real-shaped corpus', () => {
  it.each(corpusNames())('%s: names its source, fits the contract, and our parser takes it', (name) => {
    const entry = corpusEntry(name);
    expect(entry.source.length).toBeGreaterThan(20);
    const call = corpusCall(name, vars);
    expect(headerErrors(call.path, call.headers)).toEqual([]);
    expect(bodyErrors(call.path, call.body)).toEqual([]);
    expect(call.headers).not.toHaveProperty('x-cm-id');
    expect(() => PARSERS[call.path](call.body)).not.toThrow();
  });

  it('discovery takes real spellings, null lists, empty values, EMAIL and genders D/T, and matches by ABHA_ADDRESS', () => {
    const real = parseDiscover(corpusCall('discover.real-spelling', vars).body);
    expect(real.patient.unverifiedIdentifiers).toEqual([]);
    expect(real.patient.verifiedIdentifiers.map((i) => i.type)).toEqual(['MOBILE', 'ABHA_ADDRESS']);
    const swagger = parseDiscover(corpusCall('discover.swagger-spelling', vars).body);
    expect(swagger.patient.unverifiedIdentifiers.map((i) => i.type)).toEqual(['EMAIL']); // the empty MR is skipped
    const t = parseDiscover(corpusCall('discover.gender-t', vars).body);
    const candidate = {
      id: 'p1',
      mrn: 'MRN-1',
      gender: 'other',
      birth_year: 1990,
      abha_number: null,
      abha_address: 'asha.synthetic@sbx',
      phones: [],
      name_score: 1,
    };
    const verified = identifiersOf(t.patient.verifiedIdentifiers, (i) => i.value);
    expect(matchPatient(t.patient, verified, {}, [candidate])).toEqual({
      kind: 'one',
      patientId: 'p1',
      matchedBy: ['ABHA_ADDRESS'],
    });
  });

  it('our on-discover / on-confirm / link entries fit the contract, at most 20 care contexts each', () => {
    const contexts = Array.from({ length: 45 }, (_, i) => ({
      referenceNumber: randomUUID(),
      display: `Outpatient consultation, General Medicine, 2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      hiType: 'OPConsultation',
    }));
    const patient = patientEntries(randomUUID(), 'Asha Synthetic', contexts);
    expect(patient.map((p) => p.count)).toEqual([20, 20, 5]);
    const onDiscover = {
      transactionId: randomUUID(),
      patient,
      matchedBy: ['ABHA_ADDRESS'],
      response: { requestId: randomUUID() },
    };
    expect(
      bodyErrors('/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover', onDiscover),
    ).toEqual([]);
    // What we sent before: matchedBy `abhaAddress`, 45 contexts in one entry.
    const before = {
      ...onDiscover,
      patient: [{ ...patient[0], careContexts: contexts, count: 45 }],
      matchedBy: ['abhaAddress'],
    };
    expect(
      bodyErrors('/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover', before).length,
    ).toBeGreaterThan(0);
    expect(
      bodyErrors('/api/hiecm/hip/v3/link/carecontext', {
        abhaNumber: '91734518160779',
        abhaAddress: 'asha.synthetic@sbx',
        patient,
      }),
    ).toEqual([]);
  });

  it('the data push we build fits the contract: X.509 key, one page or one page per document', () => {
    const docs = [1, 2].map((i) => ({
      careContextReference: randomUUID(),
      bundle: { resourceType: 'Bundle', id: `b${i}` },
    }));
    const txn = randomUUID();
    for (const paging of ['page-per-document', 'single-page'] as const) {
      const pages = buildTransferPages({
        transactionId: txn,
        hiuKey: { publicKey: hiu.x509PublicKey, nonce: hiu.nonce },
        documents: docs,
        paging,
      });
      for (const page of pages) expect(bodyErrors('<dataPushUrl>', page)).toEqual([]);
    }
    const [page] = buildTransferPages({
      transactionId: txn,
      hiuKey: { publicKey: hiu.x509PublicKey, nonce: hiu.nonce },
      documents: docs,
    });
    const raw = {
      ...page,
      keyMaterial: {
        ...page.keyMaterial,
        dhPublicKey: { ...page.keyMaterial.dhPublicKey, keyValue: hiu.publicKey },
      },
    };
    expect(bodyErrors('<dataPushUrl>', raw).length).toBeGreaterThan(0);
    expect(headerErrors('<dataPushUrl>', { 'content-type': 'application/json' }).length).toBeGreaterThan(0);
  });

  it('our health-information notify fits the contract; on-request and consent on-notify refusals carry the error alone', () => {
    const notify = hiNotifyBody({
      consentId: randomUUID(),
      transactionId: randomUUID(),
      hipId: 'IN2910000123',
      careContexts: { [randomUUID()]: 'DELIVERED', [randomUUID()]: 'ERRORED' },
    });
    expect(bodyErrors('/api/hiecm/data-flow/v3/health-information/notify', notify)).toEqual([]);
    const response = { requestId: randomUUID() };
    const error = { code: 'ABDM-1039', message: 'Consent artefact not found' };
    const onRequest = '/api/hiecm/data-flow/v3/health-information/hip/on-request';
    expect(bodyErrors(onRequest, { error, response })).toEqual([]);
    // What we sent before: sessionStatus ERRORED next to the error.
    expect(
      bodyErrors(onRequest, {
        hiRequest: { transactionId: randomUUID(), sessionStatus: 'ERRORED' },
        error,
        response,
      }).length,
    ).toBeGreaterThan(0);
    const onNotify = '/api/hiecm/consent/v3/request/hip/on-notify';
    expect(bodyErrors(onNotify, { error, response })).toEqual([]);
    expect(
      bodyErrors(onNotify, { acknowledgement: { status: 'OK', consentId: 'c' }, error, response }).length,
    ).toBeGreaterThan(0);
  });

  it('the callback header set has no X-CM-ID and needs none', () => {
    const headers = corpusCall('context-on-notify.ack', vars).headers;
    expect(Object.keys(headers).sort()).toEqual([
      'authorization',
      'content-type',
      'request-id',
      'timestamp',
      'traceparent',
      'x-hip-id',
    ]);
  });
});
