import { ProblemException } from '@hims/errors';
import { parseOnNotify, parseProfileShare } from './notify-share-bodies';
import { registrationFrom } from './profile-share.service';
import { smsPhoneNo } from './sms-notify.service';

const requestId = '5f7a535d-a3fd-416b-b069-c97d021fbacd';

function fields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    return ((err as ProblemException).extensions.errors ?? []).map((e) => e.field);
  }
  return [];
}

describe('on-notify bodies', () => {
  it('takes an acknowledgement or an error, with the request it answers', () => {
    expect(parseOnNotify({ acknowledgement: { status: 'SUCCESS' }, response: { requestId } })).toEqual({
      acknowledgement: { status: 'SUCCESS' },
      error: undefined,
      response: { requestId },
    });
    expect(
      parseOnNotify({ error: { code: 'ABDM-1006', message: 'x' }, response: { requestId } }).error,
    ).toEqual({
      code: 'ABDM-1006',
      message: 'x',
    });
    expect(fields(() => parseOnNotify({ response: { requestId } }))).toEqual(['acknowledgement']);
    expect(fields(() => parseOnNotify({ acknowledgement: { status: 'SUCCESS' }, response: {} }))).toEqual([
      'response.requestId',
    ]);
  });
});

describe('profile share bodies', () => {
  const patient = {
    abhaNumber: null,
    abhaAddress: 'kavyaraghu@sbx',
    name: 'Kavya  Raghunathan',
    gender: 'F',
    dayOfBirth: '6',
    monthOfBirth: 6,
    yearOfBirth: '1990',
    address: { line: null, district: 'Bengaluru Urban', state: null, pincode: '560001' },
    phoneNumber: '987654XXXX',
  };
  const share = (p: Record<string, unknown>, intent = 'PROFILE_SHARE') => ({
    intent,
    metaData: { hipId: 'IN2710001234', context: 'OPD-1', hprId: null },
    profile: { patient: p },
  });

  it('reads numbers sent as strings and absent fields sent as null', () => {
    const body = parseProfileShare(share(patient));
    expect(body.profile.patient).toMatchObject({ yearOfBirth: 1990, monthOfBirth: 6, dayOfBirth: 6 });
    expect(body.profile.patient.abhaNumber).toBeUndefined();
    expect(body.profile.patient.address).toEqual({
      line: undefined,
      district: 'Bengaluru Urban',
      state: undefined,
      pincode: '560001',
    });
  });

  it('refuses other intents, unknown genders and a missing year with field errors', () => {
    expect(
      fields(() => parseProfileShare(share({ ...patient, gender: 'X', yearOfBirth: null }, 'Payment'))),
    ).toEqual(['intent', 'profile.patient.gender', 'profile.patient.yearOfBirth']);
  });

  it("builds the registry's registration, leaving a masked phone out", () => {
    const dto = registrationFrom(parseProfileShare(share(patient)).profile.patient);
    expect(dto).toEqual({
      name: { given: ['Kavya'], family: 'Raghunathan', text: 'Kavya  Raghunathan' },
      gender: 'female',
      birthDate: '1990-06-06',
      abhaAddress: 'kavyaraghu@sbx',
      address: { district: 'Bengaluru Urban', postalCode: '560001', country: 'IN' },
    });
  });
});

describe('SMS phone number', () => {
  it('sends an Indian mobile as its ten digits and nothing else', () => {
    expect(smsPhoneNo(['+14155550123', '+919812345670'])).toBe('9812345670');
    expect(smsPhoneNo(['+911123456789'])).toBeUndefined();
    expect(smsPhoneNo([])).toBeUndefined();
  });
});
