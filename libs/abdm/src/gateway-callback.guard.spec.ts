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
    ]);
  });

  it('accepts the real callback header set, which carries no X-CM-ID (test/fixtures/abdm)', async () => {
    const config = loadAbdmConfig({});
    const guard = new GatewayCallbackGuard(
      { verify: () => Promise.resolve({}) } as unknown as GatewayTokenVerifier,
      config,
    );
    const headers = {
      authorization: 'Bearer a.b.c',
      'request-id': '2f1d0c55-8f37-4c5e-9a52-6f3b1f0e3d11',
      timestamp: new Date().toISOString(),
      'x-hip-id': 'IN2910000123',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    const ctx = contextFor(headers);
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    const req = ctx.switchToHttp().getRequest<{ abdm: { cmId: string; hipId: string } }>();
    expect(req.abdm).toMatchObject({ cmId: 'sbx', hipId: 'IN2910000123' });
  });
});
