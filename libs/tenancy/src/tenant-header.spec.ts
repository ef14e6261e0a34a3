import { ProblemException } from '@hims/errors';
import { parseTenantHeader } from './tenant-header';

describe('parseTenantHeader', () => {
  const id = '3f1e7c1a-6a0b-4c55-9d2e-8c1f2a3b4c5d';

  it('accepts a UUID in any case and normalises it', () => {
    expect(parseTenantHeader(id.toUpperCase())).toBe(id);
  });

  it.each([
    [undefined, 'tenantHeaderMissing'],
    ['', 'tenantHeaderMissing'],
    ['not-a-uuid', 'tenantHeaderInvalid'],
    [[id, id], 'tenantHeaderInvalid'],
    ["' or 1=1 --", 'tenantHeaderInvalid'],
  ])('rejects %p as %s', (value, kind) => {
    try {
      parseTenantHeader(value as string);
      throw new Error('expected a ProblemException');
    } catch (err) {
      expect(err).toBeInstanceOf(ProblemException);
      expect((err as ProblemException).kind).toBe(kind);
      expect((err as ProblemException).status).toBe(400);
    }
  });
});
