import {
  AbhaAddress,
  AbhaNumber,
  PhoneNumber,
  formatAbhaNumber,
  normaliseAbhaAddress,
  normaliseAbhaNumber,
  normalisePhone,
  parseBirthDate,
  searchForm,
  NAME_PART,
} from './normalise';
import { decodeSearchCursor, encodeSearchCursor, termsHash } from './search-cursor';

describe('patient normalisation', () => {
  it.each([
    ['12345678901234', '12345678901234'],
    ['12-3456-7890-1234', '12345678901234'],
    [' 12-3456-7890-1234 ', '12345678901234'],
  ])('ABHA number %p → %p', (input, out) => expect(normaliseAbhaNumber(input)).toBe(out));

  it.each([
    '1234567890123',
    '123456789012345',
    '12-345-67890-1234',
    '12 3456 7890 1234',
    'abcdefghijklmn',
    '1234-5678-9012-34',
  ])('rejects ABHA number %p', (input) => expect(normaliseAbhaNumber(input)).toBeUndefined());

  it('formats an ABHA number the way ABDM shows it', () => {
    expect(formatAbhaNumber('12345678901234')).toBe('12-3456-7890-1234');
  });

  it.each([
    ['Ravi.Kumar90@ABDM', 'ravi.kumar90@abdm'],
    ['ravi_kumar.90@sbx', 'ravi_kumar.90@sbx'],
    ['abcdefgh@abdm', 'abcdefgh@abdm'],
    ['abcdefghijklmnopqr@abdm', 'abcdefghijklmnopqr@abdm'],
  ])('ABHA address %p → %p', (input, out) => expect(normaliseAbhaAddress(input)).toBe(out));

  it.each([
    'abcdefg@abdm', // 7 characters
    'abcdefghijklmnopqrs@abdm', // 19
    '.ravikumar@abdm',
    'ravikumar.@abdm',
    '_ravikumar@abdm',
    'ravikumar_@abdm',
    'ravi.ku.mar@abdm',
    'ravi_ku_mar@abdm',
    'ravi-kumar@abdm',
    'ravikumar@gmail.com',
    'ravikumar@abdm@abdm',
    'ravikumar',
    'रविकुमारजी@abdm',
  ])('rejects ABHA address %p', (input) => expect(normaliseAbhaAddress(input)).toBeUndefined());

  it.each([
    ['1990-05-17', { date: '1990-05-17', year: 1990, approximate: false }],
    ['2000-02-29', { date: '2000-02-29', year: 2000, approximate: false }],
    ['1975', { date: null, year: 1975, approximate: true }],
  ])('birth date %p', (input, out) => expect(parseBirthDate(input, '2025-01-01')).toEqual(out));

  it.each([
    ['2023-02-30', 'is not a real calendar date'],
    ['2023-02-29', 'is not a real calendar date'],
    ['1990-13-01', 'is not a real calendar date'],
    ['1990-00-10', 'is not a real calendar date'],
    ['2025-01-02', 'must not be in the future'],
    ['2026', 'must not be in the future'],
    ['1700-01-01', 'must not be before 1880'],
    ['17-05-1990', 'must be a date (YYYY-MM-DD) or a year (YYYY)'],
    ['1990-5-7', 'must be a date (YYYY-MM-DD) or a year (YYYY)'],
  ])('rejects birth date %p (%s)', (input, reason) =>
    expect(parseBirthDate(input, '2025-01-01')).toBe(reason),
  );

  it('normalises phones to E.164 with the default region', () => {
    expect(normalisePhone('098765 43210', 'IN')).toBe('+919876543210');
    expect(normalisePhone('+91 98765-43210', 'US')).toBe('+919876543210');
    expect(normalisePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalisePhone('12345', 'IN')).toBeUndefined();
    expect(normalisePhone('0000000000', 'IN')).toBeUndefined();
  });

  it('search form folds Latin accents and case but keeps Indic marks', () => {
    expect(searchForm('  José  MÜLLER-Smith ')).toBe('jose muller smith');
    expect(searchForm('राम कुमार')).toBe('राम कुमार');
    expect(searchForm('முருகன்')).toBe('முருகன்');
    expect(searchForm("D'Souza")).toBe('d souza');
  });

  it('name parts accept any script and reject digits and symbols', () => {
    for (const ok of ['Ravi', 'राम', 'முருகன்', 'José', "D'Souza", 'Anne-Marie', 'St. John', 'ശ്രീ\u200d']) {
      expect(NAME_PART.test(ok)).toBe(true);
    }
    for (const bad of ['R2D2', '<script>', '-Ravi', ' Ravi', '😀', 'Ravi;drop'])
      expect(NAME_PART.test(bad)).toBe(false);
  });
});

describe('cursors', () => {
  it('a cursor round-trips and is bound to its search', () => {
    const fp = termsHash({ name: 'ravi' });
    const pos = { score: 0.6153846383094788, id: '3f1e7c1a-6a0b-4c55-9d2e-8c1f2a3b4c5d' };
    expect(decodeSearchCursor(encodeSearchCursor(pos, fp), fp)).toEqual(pos);
    expect(() => decodeSearchCursor(encodeSearchCursor(pos, fp), termsHash({ name: 'sita' }))).toThrow(
      expect.objectContaining({ kind: 'validation' }),
    );
    expect(() => decodeSearchCursor('garbage!', fp)).toThrow(expect.objectContaining({ kind: 'validation' }));
  });

  it('the terms hash ignores key order and empty terms', () => {
    expect(termsHash({ a: '1', b: 2, c: undefined })).toBe(termsHash({ b: 2, a: '1', d: '' }));
    expect(termsHash({ a: '1' })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('identifier value objects (one rule for DTOs, service and the ABDM bridge)', () => {
  it('AbhaNumber keeps digits and shows them as ABDM does', () => {
    const n = AbhaNumber.parse(' 12-3456-7890-1234 ');
    expect(n?.digits).toBe('12345678901234');
    expect(n?.formatted()).toBe('12-3456-7890-1234');
    expect(AbhaNumber.parse('1234567890123')).toBeUndefined();
    expect(AbhaNumber.PATTERN.test('12-34567890-1234')).toBe(false);
  });

  it('AbhaAddress lowercases and refuses other domains', () => {
    expect(AbhaAddress.parse('Ravi.Kumar90@ABDM')?.value).toBe('ravi.kumar90@abdm');
    expect(AbhaAddress.parse('ravi.kumar90@gmail')).toBeUndefined();
  });

  it('PhoneNumber reads a local number in the clinic region and keeps E.164', () => {
    expect(PhoneNumber.parse('098765 43210', 'IN')?.e164).toBe('+919876543210');
    expect(PhoneNumber.INPUT.test('+91 (98765) 43210')).toBe(true);
    expect(PhoneNumber.parse('12', 'IN')).toBeUndefined();
  });
});
