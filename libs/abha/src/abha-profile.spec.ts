import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { classify, readErrorBody } from './abha.client';
import { encryptForAbha, UnsupportedEncryption } from './abha-crypto';
import { toVerifiedProfile, UnusableProfile } from './abha-profile';

describe('ABHA profile → registry values', () => {
  it('maps the enrolment profile (dob DD-MM-YYYY, pinCode) and the account profile (day/month/year, pincode)', () => {
    expect(
      toVerifiedProfile({
        ABHANumber: '91-1234-5678-9012',
        firstName: 'Meenakshi',
        middleName: ' ',
        lastName: 'Iyer',
        dob: '7-3-1988',
        gender: 'F',
        mobile: '9812345670',
        address: '12 MG Road',
        districtName: 'BENGALURU URBAN',
        stateName: 'KARNATAKA',
        pinCode: '560038',
        phrAddress: ['Meena.Iyer88@sbx'],
      }),
    ).toEqual({
      abhaNumber: '91123456789012',
      abhaAddress: 'meena.iyer88@sbx',
      given: ['Meenakshi'],
      family: 'Iyer',
      gender: 'female',
      birthDate: '1988-03-07',
      mobile: '9812345670',
      address: {
        lines: ['12 MG Road'],
        district: 'BENGALURU URBAN',
        state: 'KARNATAKA',
        postalCode: '560038',
      },
      kycVerified: true,
    });
    const account = toVerifiedProfile({
      ABHANumber: '91123456789012',
      firstName: 'Ravi',
      gender: 'T',
      yearOfBirth: '1990',
      mobile: null,
    });
    expect(account).toMatchObject({
      gender: 'other',
      birthDate: '1990',
      family: null,
      mobile: null,
      address: null,
      abhaAddress: null,
    });
    expect(
      toVerifiedProfile({
        ABHANumber: '91123456789012',
        firstName: 'R',
        gender: 'M',
        yearOfBirth: '1990',
        monthOfBirth: '2',
        dayOfBirth: '9',
      }).birthDate,
    ).toBe('1990-02-09');
  });

  it('names the unusable field, never its value', () => {
    const bad = (p: object) => () =>
      toVerifiedProfile({
        ABHANumber: '91123456789012',
        firstName: 'A',
        gender: 'M',
        yearOfBirth: '1990',
        ...p,
      });
    expect(bad({ ABHANumber: '123' })).toThrow(new UnusableProfile('ABHA number'));
    expect(bad({ gender: 'X' })).toThrow(new UnusableProfile('gender'));
    expect(bad({ firstName: '' })).toThrow(new UnusableProfile('name'));
    expect(bad({ yearOfBirth: 'abcd' })).toThrow(new UnusableProfile('year of birth'));
    expect(bad({ dob: '1990/01/01' })).toThrow(new UnusableProfile('date of birth'));
  });
});

describe('ABHA client pieces', () => {
  it('encrypts with the padding the certificate names, decryptable by the service’s key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const sealed = encryptForAbha(der, 'RSA/ECB/OAEPWithSHA-1AndMGF1Padding', '314159');
    const opened = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(sealed, 'base64'),
    );
    expect(opened.toString()).toBe('314159');
    expect(() => encryptForAbha(der, 'AES/GCM/NoPadding', 'x')).toThrow(UnsupportedEncryption);
  });

  it('reads both error shapes and classifies by status and call, not by code alone', () => {
    expect(readErrorBody({ code: 'ABDM-1204', message: 'Invalid OTP value.' })).toEqual({
      code: 'ABDM-1204',
      message: 'Invalid OTP value.',
    });
    expect(readErrorBody({ error: { code: 'ABDM-1100', message: 'bad' } })).toEqual({
      code: 'ABDM-1100',
      message: 'bad',
    });
    expect(readErrorBody('nope')).toEqual({ code: null, message: null });
    expect(classify(400, 'otp-verify', 'ABDM-1204', null)).toBe('invalid-otp');
    expect(classify(400, 'otp-verify', null, 'OTP expired, please try again.')).toBe('otp-expired');
    expect(classify(429, 'otp-request', null, null)).toBe('rate-limited');
    expect(classify(404, 'otp-request', null, null)).toBe('not-found');
    expect(classify(401, 'user', null, null)).toBe('session-expired');
    expect(classify(503, 'other', null, null)).toBe('unavailable');
    expect(classify(400, 'other', 'ABDM-1100', null)).toBe('refused');
  });
});
