import type { ExecutionContext } from '@nestjs/common';
import { ProblemException } from '@hims/errors';
import { loadAbdmConfig } from './abdm.config';
import { GatewayCallbackGuard } from './gateway-callback.guard';
import { GatewayTokenVerifier } from './gateway-token.verifier';

function contextFor(headers: Record<string, string>): ExecutionContext {
  const req = { headers };
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe('GatewayCallbackGuard', () => {
  it('answers 503 when the bridge is disabled, before looking at the token', async () => {
    const config = { ...loadAbdmConfig({}), enabled: false };
    const verify = jest.fn();
    const guard = new GatewayCallbackGuard({ verify } as unknown as GatewayTokenVerifier, config);
    const err = await guard
      .canActivate(contextFor({ authorization: 'Bearer a.b.c' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemException);
    expect((err as ProblemException).status).toBe(503);
    expect(verify).not.toHaveBeenCalled();
  });

  it('answers 401 for a refused token and 400 with field errors for bad headers', async () => {
    const config = loadAbdmConfig({});
    const refuse = new GatewayCallbackGuard(
      { verify: () => Promise.reject(new Error('x')) } as unknown as GatewayTokenVerifier,
      config,
    );
    await expect(refuse.canActivate(contextFor({}))).rejects.toMatchObject({ status: 401 });
    const accept = new GatewayCallbackGuard(
      { verify: () => Promise.resolve({}) } as unknown as GatewayTokenVerifier,
      config,
    );
    const err = (await accept
      .canActivate(contextFor({ 'request-id': 'nope', timestamp: 'yesterday' }))
      .catch((e: unknown) => e)) as ProblemException;
    expect(err.status).toBe(400);
    expect((err.extensions.errors ?? []).map((e) => e.field)).toEqual([
      'REQUEST-ID',
      'TIMESTAMP',
      'X-HIP-ID',
      'X-CM-ID',
    ]);
  });
});
