import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateUserDto } from './dto/users.dto';
import { COMMON_PASSWORDS } from './common-passwords';
import {
  PASSWORD_IS_EMAIL,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_TOO_COMMON,
  PASSWORD_TOO_SHORT,
} from './password-policy';

const messagesFor = (password: string, email = 'dr.rao@clinic.example') => {
  const dto = plainToInstance(CreateUserDto, { email, displayName: 'Dr. Rao', roles: ['doctor'], password });
  return validateSync(dto).flatMap((e) =>
    e.property === 'password' ? Object.values(e.constraints ?? {}) : [],
  );
};

describe('password rules (CreateUserDto.password)', () => {
  it('a long, unusual password that is not the email passes', () => {
    expect(messagesFor('amber-kettle-monsoon-42')).toEqual([]);
  });

  it('shorter than 12 characters is its own message', () => {
    expect(messagesFor('Sh0rt!pass1')).toEqual([PASSWORD_TOO_SHORT]);
    expect(messagesFor('x'.repeat(PASSWORD_MIN_LENGTH - 1) + 'y')).toEqual([]);
  });

  it('the email itself (any case, surrounding spaces) is its own message', () => {
    expect(messagesFor('Dr.Rao@Clinic.Example ')).toEqual([PASSWORD_IS_EMAIL]);
  });

  it('a listed common password (any case) is its own message', () => {
    expect(messagesFor('Password1234')).toEqual([PASSWORD_TOO_COMMON]);
  });

  it('every listed password is long enough that only the list rejects it', () => {
    for (const p of COMMON_PASSWORDS) expect(p.length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
  });
});

describe('password length bounds (ASVS 2.1.1–2.1.4, 2.1.9)', () => {
  it('takes 64 to 128 characters of any printable Unicode (spaces, Devanagari, emoji), with no composition rule, and refuses 129', () => {
    const long = 'नमस्ते 🙂 monsoon kettle '.repeat(10).slice(0, 128);
    expect([...long].length).toBeGreaterThanOrEqual(64);
    expect(messagesFor(long.slice(0, 64))).toEqual([]);
    expect(messagesFor('x'.repeat(PASSWORD_MAX_LENGTH))).toEqual([]);
    expect(messagesFor('x'.repeat(PASSWORD_MAX_LENGTH + 1))).not.toEqual([]);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
  });
});
