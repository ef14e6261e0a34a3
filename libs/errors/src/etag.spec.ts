import { etagOf, parseIfMatch } from './etag';

describe('parseIfMatch: one behaviour on every resource', () => {
  it('reads a strong or weak tag', () => {
    expect(parseIfMatch(etagOf(3))).toBe(3);
    expect(parseIfMatch('W/"12"', false)).toBe(12);
  });

  it('missing: 428 when required, undefined when optional', () => {
    expect(() => parseIfMatch(undefined)).toThrow(expect.objectContaining({ kind: 'preconditionRequired' }));
    expect(() => parseIfMatch('', true)).toThrow(expect.objectContaining({ kind: 'preconditionRequired' }));
    expect(parseIfMatch(undefined, false)).toBeUndefined();
  });

  it('`*` is 428 whether the header is required or optional', () => {
    expect(() => parseIfMatch('*')).toThrow(expect.objectContaining({ kind: 'preconditionRequired' }));
    expect(() => parseIfMatch(' * ', false)).toThrow(expect.objectContaining({ kind: 'preconditionRequired' }));
  });

  it('a list or garbage is 400 with a field error', () => {
    expect(() => parseIfMatch('"1", "2"')).toThrow(expect.objectContaining({ kind: 'badRequest' }));
    expect(() => parseIfMatch(['"1"', '"2"'], false)).toThrow(expect.objectContaining({ kind: 'badRequest' }));
    expect(() => parseIfMatch('3')).toThrow(expect.objectContaining({ kind: 'badRequest' }));
  });
});
