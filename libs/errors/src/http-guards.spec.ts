import { PassThrough } from 'node:stream';
import { answerClientError, jsonDepth } from './http-guards';

describe('jsonDepth', () => {
  it('counts nesting of arrays and objects', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: 2 }] })).toBe(3);
  });

  it('measures a 100 000-level array without overflowing the stack, stopping past the limit', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(jsonDepth(deep, 32)).toBe(33);
  });
});

describe('answerClientError', () => {
  it('answers a header overflow with a 431 problem', () => {
    const socket = new PassThrough();
    let written = '';
    socket.on('data', (chunk: Buffer) => (written += chunk.toString()));
    answerClientError(Object.assign(new Error('overflow'), { code: 'HPE_HEADER_OVERFLOW' }), socket);
    expect(written).toMatch(/^HTTP\/1\.1 431 /);
    expect(written).toContain('Content-Type: application/problem+json');
    const body = JSON.parse(written.split('\r\n\r\n')[1]);
    expect(body).toMatchObject({ type: 'urn:hims:problem:request-header-too-large', status: 431 });
  });
});
