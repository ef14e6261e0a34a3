import { generateKeyMaterial } from '@hims/fidelius';
import { parseConsentNotify, parseHiRequest } from './consent-bodies';
import type { ConsentRow } from './consent.repository';
import { refusal } from './health-information-request.service';
import { hiNotifyBody, sessionStatusOf } from './hi-notify';

const DAY = 86400_000;

function granted(overrides: Record<string, unknown> = {}) {
  return {
    notification: {
      status: 'GRANTED',
      consentId: 'consent-1',
      consentDetail: {
        consentId: 'consent-1',
        patient: { id: 'someone@sbx' },
        careContexts: [{ patientReference: 'p-1', careContextReference: 'cc-1' }],
        purpose: { code: 'CAREMGT', text: 'Care Management' },
        hip: { id: 'HIP-1' },
        hiu: { id: 'HIU-1' },
        hiTypes: ['OPConsultation'],
        permission: {
          accessMode: 'VIEW',
          dateRange: { from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' },
          dataEraseAt: '2027-01-01T00:00:00.000Z',
          frequency: { unit: 'HOUR', value: 1, repeats: 0 },
        },
        ...overrides,
      },
    },
  };
}

function fields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    return ((err as { extensions?: { errors?: { field: string }[] } }).extensions?.errors ?? []).map(
      (e) => e.field,
    );
  }
  return [];
}

describe('consent notify body', () => {
  it('reads a granted artefact, consent ids not being UUIDs', () => {
    const body = parseConsentNotify(granted());
    expect(body).toMatchObject({ status: 'GRANTED', consentId: 'consent-1' });
    expect(body.detail).toMatchObject({
      hipId: 'HIP-1',
      hiuId: 'HIU-1',
      hiTypes: ['OPConsultation'],
      permission: { accessMode: 'VIEW', dataEraseAt: new Date('2027-01-01T00:00:00.000Z') },
    });
  });

  it('takes a revocation with the consent id alone', () => {
    expect(parseConsentNotify({ notification: { status: 'REVOKED', consentId: 'consent-1' } })).toEqual({
      status: 'REVOKED',
      consentId: 'consent-1',
      detail: undefined,
      signature: undefined,
    });
  });

  it('names every bad field of a grant', () => {
    expect(
      fields(() =>
        parseConsentNotify(
          granted({
            consentId: 'other',
            careContexts: [],
            permission: {
              accessMode: 'VIEW',
              dateRange: { from: '2026-12-31', to: '2026-01-01' },
              dataEraseAt: 'x',
            },
          }),
        ),
      ).sort(),
    ).toEqual([
      'notification.consentDetail.careContexts',
      'notification.consentDetail.consentId',
      'notification.consentDetail.permission.dataEraseAt',
      'notification.consentDetail.permission.dateRange',
    ]);
    expect(fields(() => parseConsentNotify({ notification: { status: 'DENIED', consentId: 'c' } }))).toEqual([
      'notification.status',
    ]);
  });
});

describe('health-information request', () => {
  const hiu = generateKeyMaterial();
  const body = () =>
    parseHiRequest({
      transactionId: '6f1d2f1e-8a54-4a43-9d7e-0a3d0f1b2c3d',
      hiRequest: {
        consent: { id: 'consent-1' },
        dateRange: { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
        dataPushUrl: 'https://hiu.example/data/push',
        keyMaterial: {
          cryptoAlg: 'ECDH',
          curve: 'Curve25519',
          dhPublicKey: {
            expiry: '2027-01-01T00:00:00.000Z',
            parameters: 'Curve25519/32byte random key',
            keyValue: hiu.x509PublicKey,
          },
          nonce: hiu.nonce,
        },
      },
    });
  const consent = (over: Partial<ConsentRow> = {}): ConsentRow => ({
    tenant_id: 't',
    id: 'id',
    consent_id: 'consent-1',
    hip_id: 'HIP-1',
    status: 'GRANTED',
    patient_id: 'p',
    abha_address: null,
    care_contexts: [],
    hi_types: ['OPConsultation'],
    purpose: {},
    hiu_id: 'HIU-1',
    access_mode: 'VIEW',
    date_from: new Date('2026-01-01T00:00:00.000Z'),
    date_to: new Date('2026-12-31T00:00:00.000Z'),
    data_erase_at: new Date(Date.now() + DAY),
    last_request_id: 'r',
    granted_at: new Date(),
    updated_at: new Date(),
    ...over,
  });

  it('refuses with the specified error, in order of precedence', () => {
    const b = body();
    expect(refusal(consent(), 'HIP-1', b)).toBeUndefined();
    expect(refusal(undefined, 'HIP-1', b)?.message).toBe('Consent artefact not found');
    expect(refusal(consent(), 'HIP-2', b)?.message).toBe('Consent artefact is for another HIP');
    expect(refusal(consent({ status: 'REVOKED' }), 'HIP-1', b)?.code).toBe('ABDM-1039');
    expect(refusal(consent({ status: 'EXPIRED' }), 'HIP-1', b)?.code).toBe('ABDM-1061');
    expect(refusal(consent({ data_erase_at: new Date(Date.now() - 1000) }), 'HIP-1', b)?.code).toBe(
      'ABDM-1061',
    );
    expect(refusal(consent({ date_from: new Date('2026-02-15T00:00:00.000Z') }), 'HIP-1', b)?.message).toBe(
      "Requested date range is outside the consent's",
    );
    expect(refusal(consent({ hi_types: ['DiagnosticReport'] }), 'HIP-1', b)?.code).toBe('ABDM-1058');
    const badKey = { ...b, keyMaterial: { ...b.keyMaterial, nonce: Buffer.alloc(12).toString('base64') } };
    expect(refusal(consent(), 'HIP-1', badKey)?.message).toBe('Invalid key material');
    const badCurve = { ...b, keyMaterial: { ...b.keyMaterial, curve: 'P-256' } };
    expect(refusal(consent(), 'HIP-1', badCurve)?.message).toBe('Invalid key material');
  });

  it('names bad fields of the request body', () => {
    expect(
      fields(() =>
        parseHiRequest({
          transactionId: 'x',
          hiRequest: { consent: {}, dateRange: {}, dataPushUrl: 'ftp://x' },
        }),
      ).sort(),
    ).toEqual(
      [
        'transactionId',
        'hiRequest.consent.id',
        'hiRequest.dateRange.from',
        'hiRequest.dateRange.to',
        'hiRequest.dataPushUrl',
        'hiRequest.keyMaterial',
        'hiRequest.keyMaterial.dhPublicKey',
        'hiRequest.keyMaterial.cryptoAlg',
        'hiRequest.keyMaterial.curve',
        'hiRequest.keyMaterial.dhPublicKey.expiry',
        'hiRequest.keyMaterial.dhPublicKey.parameters',
        'hiRequest.keyMaterial.dhPublicKey.keyValue',
        'hiRequest.keyMaterial.nonce',
      ].sort(),
    );
  });
});

describe('health-information notify', () => {
  it('folds care-context outcomes into the session status', () => {
    expect(sessionStatusOf(['DELIVERED', 'DELIVERED'])).toBe('TRANSFERRED');
    expect(sessionStatusOf(['DELIVERED', 'ERRORED'])).toBe('PARTIAL_TRANSFERRED');
    expect(sessionStatusOf(['ERRORED'])).toBe('FAILED');
    const body = hiNotifyBody({
      consentId: 'c',
      transactionId: 't',
      hipId: 'HIP-1',
      careContexts: { a: 'DELIVERED', b: 'ERRORED' },
      reason: 'HIU unavailable',
      doneAt: new Date('2026-01-01T00:00:00.000Z'),
    });
    expect(body).toEqual({
      notification: {
        consentId: 'c',
        transactionId: 't',
        doneAt: '2026-01-01T00:00:00.000Z',
        notifier: { type: 'HIP', id: 'HIP-1' },
        statusNotification: {
          sessionStatus: 'PARTIAL_TRANSFERRED',
          hipId: 'HIP-1',
          statusResponses: [
            { careContextReference: 'a', hiStatus: 'DELIVERED', description: 'Delivered to the HIU' },
            { careContextReference: 'b', hiStatus: 'ERRORED', description: 'HIU unavailable' },
          ],
        },
      },
    });
  });
});
