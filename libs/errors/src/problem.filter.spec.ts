import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ProblemException } from './problem';
import { toProblemException } from './problem.filter';

describe('toProblemException', () => {
  it('keeps ProblemExceptions as they are', () => {
    const p = new ProblemException('duplicate', 'x', { candidates: ['a'] });
    expect(toProblemException(p)).toBe(p);
  });

  it('maps body-parser errors to stable problem types', () => {
    expect(toProblemException({ type: 'entity.parse.failed', status: 400 })?.kind).toBe('malformedJson');
    expect(toProblemException({ type: 'entity.too.large', status: 413 })?.kind).toBe('payloadTooLarge');
  });

  it('maps PostgreSQL client-side errors and leaves unknown ones for a 500', () => {
    expect(toProblemException({ code: '23505' })?.status).toBe(409);
    expect(toProblemException({ code: '22P02' })?.status).toBe(400);
    // A NUL in text or jsonb (found by test/e2e/openapi-fuzz.e2e-spec.ts).
    expect(toProblemException({ code: '22021' })?.toProblem().type).toBe('urn:hims:problem:bad-request');
    expect(toProblemException({ code: '22P05' })?.status).toBe(400);
    expect(toProblemException({ code: 'XX000' })).toBeUndefined();
    expect(toProblemException(new Error('boom'))).toBeUndefined();
  });

  it('turns the router 404 into route-not-found', () => {
    expect(toProblemException(new NotFoundException('Cannot GET /nope'))?.kind).toBe('routeNotFound');
    expect(toProblemException(new BadRequestException('bad'))?.toProblem().type).toBe(
      'urn:hims:problem:bad-request',
    );
  });
});
