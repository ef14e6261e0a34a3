import { Checker, gatewayAnswer } from './callback-bodies';

/**
 * Bodies of the notify answers and the scan-and-share callback (HIE-CM v3), checked by
 * hand like callback-bodies.ts: unknown fields tolerated, the ones we act on well formed.
 */

/** POST /api/v3/links/context/on-notify and /api/v3/patients/sms/on-notify: the gateway's outcome. */
export interface OnNotifyBody {
  acknowledgement?: { status: string };
  error?: { code?: string; message?: string };
  response: { requestId: string };
}

export function parseOnNotify(body: unknown): OnNotifyBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  const answer = gatewayAnswer(c, b);
  let acknowledgement: OnNotifyBody['acknowledgement'];
  if (b.acknowledgement !== undefined && b.acknowledgement !== null) {
    const ack = c.obj(b.acknowledgement, 'acknowledgement');
    acknowledgement = { status: c.str(ack.status, 'acknowledgement.status', 50) };
  }
  if (!acknowledgement && !answer.error)
    c.fail('acknowledgement', 'an acknowledgement or an error is required');
  return c.done({ acknowledgement, error: answer.error, response: answer.response });
}

export const SHARE_GENDERS = ['M', 'F', 'O', 'D', 'T', 'U'] as const;

/** POST /api/v3/hip/patient/share: a patient scanned the clinic's counter QR code in their ABHA app. */
export interface ProfileShareBody {
  intent: 'PROFILE_SHARE';
  metaData: { hipId: string; context: string };
  profile: {
    patient: {
      abhaNumber?: string;
      abhaAddress: string;
      name: string;
      gender: (typeof SHARE_GENDERS)[number];
      dayOfBirth?: number;
      monthOfBirth?: number;
      yearOfBirth: number;
      address?: { line?: string; district?: string; state?: string; pincode?: string };
      phoneNumber?: string;
    };
  };
}

/** The gateway sends numbers as strings ("2000", "6") or numbers, and null for absent ones. */
function numberish(c: Checker, v: unknown, field: string, min: number, max: number, optional: boolean) {
  if (v === undefined || v === null || v === '') {
    if (!optional) c.fail(field, 'is required');
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  c.fail(field, `must be a number from ${min} to ${max}`);
  return undefined;
}

function optionalText(c: Checker, v: unknown, field: string, max: number): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return c.str(v, field, max);
}

export function parseProfileShare(body: unknown): ProfileShareBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  if (b.intent !== 'PROFILE_SHARE')
    c.fail('intent', 'must be PROFILE_SHARE (the only intent this HIP serves)');
  const meta = c.obj(b.metaData, 'metaData');
  const profile = c.obj(b.profile, 'profile');
  const p = c.obj(profile.patient, 'profile.patient');
  const gender = p.gender as ProfileShareBody['profile']['patient']['gender'];
  if (!SHARE_GENDERS.includes(gender))
    c.fail('profile.patient.gender', `must be one of ${SHARE_GENDERS.join(', ')}`);
  let address: ProfileShareBody['profile']['patient']['address'];
  if (p.address !== undefined && p.address !== null) {
    const a = c.obj(p.address, 'profile.patient.address');
    address = {
      line: optionalText(c, a.line, 'profile.patient.address.line', 300),
      district: optionalText(c, a.district, 'profile.patient.address.district', 100),
      state: optionalText(c, a.state, 'profile.patient.address.state', 100),
      pincode: optionalText(c, a.pincode, 'profile.patient.address.pincode', 20),
    };
  }
  return c.done({
    intent: 'PROFILE_SHARE' as const,
    metaData: {
      hipId: c.str(meta.hipId, 'metaData.hipId', 64),
      context: c.str(meta.context, 'metaData.context', 100),
    },
    profile: {
      patient: {
        abhaNumber: optionalText(c, p.abhaNumber, 'profile.patient.abhaNumber', 20),
        abhaAddress: c.str(p.abhaAddress, 'profile.patient.abhaAddress', 100),
        name: c.str(p.name, 'profile.patient.name', 300),
        gender,
        dayOfBirth: numberish(c, p.dayOfBirth, 'profile.patient.dayOfBirth', 1, 31, true),
        monthOfBirth: numberish(c, p.monthOfBirth, 'profile.patient.monthOfBirth', 1, 12, true),
        yearOfBirth: numberish(c, p.yearOfBirth, 'profile.patient.yearOfBirth', 1850, 2200, false) ?? 0,
        address,
        phoneNumber: optionalText(c, p.phoneNumber, 'profile.patient.phoneNumber', 20),
      },
    },
  });
}
