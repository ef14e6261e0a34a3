import { Checker } from './callback-bodies';

/**
 * The consent and data-flow bodies the gateway sends (HIE-CM v3), checked by hand like
 * callback-bodies.ts: unknown fields tolerated, the ones we act on well formed. Consent ids
 * are not checked as UUIDs: NHA's own examples carry ids that are not.
 */
export const CONSENT_STATUSES = ['GRANTED', 'REVOKED', 'EXPIRED'] as const;
export type ConsentNotifyStatus = (typeof CONSENT_STATUSES)[number];

export interface ConsentDetail {
  consentId: string;
  patientId: string;
  careContexts: { patientReference: string; careContextReference: string }[];
  hiTypes: string[];
  hipId: string;
  hiuId: string | null;
  purpose: { code: string; text?: string };
  requester: Record<string, unknown>;
  permission: {
    accessMode: string;
    dateRange: { from: Date; to: Date };
    dataEraseAt: Date;
    frequency: Record<string, unknown>;
  };
}

/** POST /api/v3/consent/request/hip/notify */
export interface ConsentNotifyBody {
  status: ConsentNotifyStatus;
  consentId: string;
  /** Present (and required) when GRANTED. */
  detail?: ConsentDetail;
  signature?: string;
}

/** POST /api/v3/hip/health-information/request */
export interface HiRequestBody {
  transactionId: string;
  consentId: string;
  dateRange: { from: Date; to: Date };
  dataPushUrl: string;
  keyMaterial: {
    cryptoAlg: string;
    curve: string;
    dhPublicKey: { expiry: string; parameters: string; keyValue: string };
    nonce: string;
  };
}

function date(c: Checker, v: unknown, field: string): Date {
  if (typeof v === 'string' && v.length <= 40) {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  c.fail(field, 'must be an ISO 8601 date-time');
  return new Date(NaN);
}

function range(c: Checker, v: unknown, field: string): { from: Date; to: Date } {
  const o = c.obj(v, field);
  const r = { from: date(c, o.from, `${field}.from`), to: date(c, o.to, `${field}.to`) };
  if (r.from.getTime() > r.to.getTime()) c.fail(field, 'from must not be after to');
  return r;
}

function plainObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function consentDetail(c: Checker, v: unknown): ConsentDetail {
  const d = c.obj(v, 'notification.consentDetail');
  const f = (name: string) => `notification.consentDetail.${name}`;
  const permission = c.obj(d.permission, f('permission'));
  const purpose = c.obj(d.purpose, f('purpose'));
  const careContexts = c.arr(d.careContexts, f('careContexts'), 500).map((cc, i) => {
    const o = c.obj(cc, `${f('careContexts')}[${i}]`);
    return {
      patientReference: c.str(o.patientReference, `${f('careContexts')}[${i}].patientReference`, 100),
      careContextReference: c.str(
        o.careContextReference,
        `${f('careContexts')}[${i}].careContextReference`,
        100,
      ),
    };
  });
  const hiTypes = c.arr(d.hiTypes, f('hiTypes'), 20).map((t, i) => c.str(t, `${f('hiTypes')}[${i}]`, 50));
  const hiu = plainObject(d.hiu);
  return {
    consentId: c.str(d.consentId, f('consentId'), 100),
    patientId: c.str(c.obj(d.patient, f('patient')).id, f('patient.id'), 100),
    careContexts,
    hiTypes,
    hipId: c.str(c.obj(d.hip, f('hip')).id, f('hip.id'), 64),
    hiuId: typeof hiu.id === 'string' && hiu.id.length <= 64 ? hiu.id : null,
    purpose: {
      code: c.str(purpose.code, f('purpose.code'), 20),
      text: typeof purpose.text === 'string' ? purpose.text.slice(0, 100) : undefined,
    },
    requester: plainObject(d.requester),
    permission: {
      accessMode: c.str(permission.accessMode, f('permission.accessMode'), 20),
      dateRange: range(c, permission.dateRange, f('permission.dateRange')),
      dataEraseAt: date(c, permission.dataEraseAt, f('permission.dataEraseAt')),
      frequency: plainObject(permission.frequency),
    },
  };
}

export function parseConsentNotify(body: unknown): ConsentNotifyBody {
  const c = new Checker();
  const n = c.obj(c.obj(body, 'body').notification, 'notification');
  const status = n.status as ConsentNotifyStatus;
  if (!CONSENT_STATUSES.includes(status))
    c.fail('notification.status', `must be one of ${CONSENT_STATUSES.join(', ')}`);
  const consentId = c.str(n.consentId, 'notification.consentId', 100);
  let detail: ConsentDetail | undefined;
  if (status === 'GRANTED' || (n.consentDetail !== undefined && n.consentDetail !== null)) {
    detail = consentDetail(c, n.consentDetail);
    if (detail.consentId && consentId && detail.consentId !== consentId)
      c.fail('notification.consentDetail.consentId', 'must equal notification.consentId');
    if (status === 'GRANTED' && detail.careContexts.length === 0)
      c.fail('notification.consentDetail.careContexts', 'must list at least one care context');
  }
  return c.done({
    status,
    consentId,
    detail,
    signature: typeof n.signature === 'string' ? n.signature.slice(0, 4000) : undefined,
  });
}

export function parseHiRequest(body: unknown): HiRequestBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  const hi = c.obj(b.hiRequest, 'hiRequest');
  const km = c.obj(hi.keyMaterial, 'hiRequest.keyMaterial');
  const dh = c.obj(km.dhPublicKey, 'hiRequest.keyMaterial.dhPublicKey');
  const dataPushUrl = c.str(hi.dataPushUrl, 'hiRequest.dataPushUrl', 2000);
  if (dataPushUrl && !/^https?:\/\/[^\s]+$/.test(dataPushUrl))
    c.fail('hiRequest.dataPushUrl', 'must be an http(s) URL');
  return c.done({
    transactionId: c.uuid(b.transactionId, 'transactionId'),
    consentId: c.str(c.obj(hi.consent, 'hiRequest.consent').id, 'hiRequest.consent.id', 100),
    dateRange: range(c, hi.dateRange, 'hiRequest.dateRange'),
    dataPushUrl,
    keyMaterial: {
      cryptoAlg: c.str(km.cryptoAlg, 'hiRequest.keyMaterial.cryptoAlg', 20),
      curve: c.str(km.curve, 'hiRequest.keyMaterial.curve', 20),
      dhPublicKey: {
        expiry: c.str(dh.expiry, 'hiRequest.keyMaterial.dhPublicKey.expiry', 40),
        parameters: c.str(dh.parameters, 'hiRequest.keyMaterial.dhPublicKey.parameters', 100),
        keyValue: c.str(dh.keyValue, 'hiRequest.keyMaterial.dhPublicKey.keyValue', 500),
      },
      nonce: c.str(km.nonce, 'hiRequest.keyMaterial.nonce', 100),
    },
  });
}
