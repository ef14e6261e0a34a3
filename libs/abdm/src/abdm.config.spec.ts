import { ConfigError } from '@hims/config';
import { loadAbdmConfig } from './abdm.config';

describe('ABDM settings', () => {
  it('have development defaults and derive the JWKS URL from the gateway URL', () => {
    const c = loadAbdmConfig({ ABDM_GATEWAY_URL: 'https://dev.abdm.gov.in/' });
    expect(c.enabled).toBe(true);
    // The public key set (Keycloak realm); the v3 certs path wants a session token and headers.
    expect(c.jwksUrl).toBe(
      'https://dev.abdm.gov.in/auth/realms/central-registry/protocol/openid-connect/certs',
    );
    expect(c.processor).toBe(false);
    expect(loadAbdmConfig({ ABDM_PROCESSOR: 'on' }).processor).toBe(true);
  });

  it('in production are off unless enabled, and then need every credential', () => {
    expect(loadAbdmConfig({ NODE_ENV: 'production' }).enabled).toBe(false);
    expect(() => loadAbdmConfig({ NODE_ENV: 'production', ABDM_ENABLED: 'true' })).toThrow(ConfigError);
    const ok = loadAbdmConfig({
      NODE_ENV: 'production',
      ABDM_ENABLED: 'true',
      ABDM_GATEWAY_URL: 'https://apis.abdm.gov.in',
      ABDM_GATEWAY_ISSUER: 'https://apis.abdm.gov.in/auth',
      ABDM_GATEWAY_CLIENT_ID: 'gateway',
      ABDM_CM_ID: 'abdm',
      ABDM_CLIENT_ID: 'clinic',
      ABDM_CLIENT_SECRET: 'secret',
    });
    expect(ok).toMatchObject({ enabled: true, cmId: 'abdm', clientId: 'clinic' });
    expect(() => loadAbdmConfig({ ABDM_OTP_MAX_ATTEMPTS: '0' })).toThrow(/ABDM_OTP_MAX_ATTEMPTS/);
  });
});
