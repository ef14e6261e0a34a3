import { AbhaNumber } from '@hims/patients';

/** The identity the ABHA service vouched for, in the registry's terms. */
export interface VerifiedProfile {
  abhaNumber: string;
  abhaAddress: string | null;
  given: string[];
  family: string | null;
  gender: 'male' | 'female' | 'other';
  /** YYYY-MM-DD, or YYYY when the service knows only the year. */
  birthDate: string;
  mobile: string | null;
  address: {
    lines: string[];
    district: string | null;
    state: string | null;
    postalCode: string | null;
  } | null;
  kycVerified: boolean;
}

/** Enrolment's ABHAProfile and the account profile differ in names (dob vs day/month/yearOfBirth, pinCode vs pincode). */
export interface AbhaProfileFields {
  ABHANumber?: string;
  preferredAbhaAddress?: string | null;
  phrAddress?: string[] | null;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  dob?: string;
  yearOfBirth?: string;
  monthOfBirth?: string | null;
  dayOfBirth?: string | null;
  gender?: string;
  mobile?: string | null;
  address?: string;
  districtName?: string;
  stateName?: string;
  pinCode?: string;
  pincode?: string;
  kycVerified?: boolean;
}

export class UnusableProfile extends Error {}

const GENDER: Record<string, VerifiedProfile['gender']> = { M: 'male', F: 'female', O: 'other', T: 'other' };
const blank = (v: string | null | undefined): string | null => (v && v.trim() ? v.trim() : null);
const pad = (v: string) => v.padStart(2, '0');

function birthDate(p: AbhaProfileFields): string {
  const dob = blank(p.dob);
  if (dob) {
    const m = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(dob);
    if (m) return `${m[3]}-${pad(m[2])}-${pad(m[1])}`;
    if (/^\d{4}$/.test(dob)) return dob;
    throw new UnusableProfile('date of birth');
  }
  const year = blank(p.yearOfBirth);
  if (!year || !/^\d{4}$/.test(year)) throw new UnusableProfile('year of birth');
  const month = blank(p.monthOfBirth);
  const day = blank(p.dayOfBirth);
  return month && day ? `${year}-${pad(month)}-${pad(day)}` : year;
}

/** Maps and checks what the service sent; throws UnusableProfile naming the field (never its value). */
export function toVerifiedProfile(p: AbhaProfileFields, abhaAddress?: string | null): VerifiedProfile {
  const number = AbhaNumber.parse(p.ABHANumber ?? '');
  if (!number) throw new UnusableProfile('ABHA number');
  const gender = GENDER[(p.gender ?? '').toUpperCase()];
  if (!gender) throw new UnusableProfile('gender');
  const given = [blank(p.firstName), blank(p.middleName)].filter((v): v is string => !!v);
  if (given.length === 0) throw new UnusableProfile('name');
  const address = blank(p.address);
  const mobile = blank(p.mobile ?? null);
  const pin = blank(p.pinCode ?? p.pincode ?? null);
  const chosen =
    blank(abhaAddress ?? null) ?? blank(p.preferredAbhaAddress ?? null) ?? blank(p.phrAddress?.[0] ?? null);
  return {
    abhaNumber: number.digits,
    abhaAddress: chosen ? chosen.toLowerCase() : null,
    given,
    family: blank(p.lastName),
    gender,
    birthDate: birthDate(p),
    mobile: mobile && /^\d{10}$/.test(mobile) ? mobile : null,
    address:
      address || pin
        ? {
            lines: address ? [address.slice(0, 200)] : [],
            district: blank(p.districtName)?.slice(0, 100) ?? null,
            state: blank(p.stateName)?.slice(0, 100) ?? null,
            postalCode: pin && /^\d{6}$/.test(pin) ? pin : null,
          }
        : null,
    kycVerified: p.kycVerified ?? true,
  };
}
