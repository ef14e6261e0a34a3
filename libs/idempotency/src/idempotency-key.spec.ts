import { ProblemException } from '@hims/errors';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key';

const problemKind = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ProblemException ? err.kind : 'other';
  }
  return 'none';
};

describe('parseIdempotencyKey', () => {
  it('reads an RFC 8941 sf-string, with its escapes', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"a \\"b\\" \\\\c"')).toBe('a "b" \\c');
  });

  it('accepts a bare token of visible characters', () => {
    expect(parseIdempotencyKey('order-42:retry')).toBe('order-42:retry');
  });

  it('no header is no key', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['empty string', '""'],
    ['unterminated', '"abc'],
    ['text after the closing quote', '"abc"x'],
    ['bad escape', '"a\\nb"'],
    ['non-ASCII', '"ключ"'],
    ['a list', 'a, b'],
    ['too long', `"${'k'.repeat(256)}"`],
  ])('%s is a 400 idempotency-key-invalid', (_label, value) => {
    expect(problemKind(() => parseIdempotencyKey(value))).toBe('idempotencyKeyInvalid');
  });

  it('255 characters is the longest key', () => {
    expect(parseIdempotencyKey(`"${'k'.repeat(255)}"`)).toHaveLength(255);
  });

  it('the header sent twice is a 400', () => {
    expect(problemKind(() => parseIdempotencyKey(['"a"', '"b"']))).toBe('idempotencyKeyInvalid');
  });
});

describe('requestFingerprint', () => {
  it('ignores object key order but not values, method or path', () => {
    const base = requestFingerprint('POST', '/api/v1/patients', { a: 1, b: { c: [1, 2] } });
    expect(requestFingerprint('post', '/api/v1/patients', { b: { c: [1, 2] }, a: 1 })).toBe(base);
    expect(requestFingerprint('POST', '/api/v1/patients', { a: 1, b: { c: [2, 1] } })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/users', { a: 1, b: { c: [1, 2] } })).not.toBe(base);
    expect(requestFingerprint('PUT', '/api/v1/patients', { a: 1, b: { c: [1, 2] } })).not.toBe(base);
  });
});
