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
      ABDM_SMS_NOTIFY: 'false',
    });
    expect(ok).toMatchObject({ enabled: true, cmId: 'abdm', clientId: 'clinic' });
    expect(() => loadAbdmConfig({ ABDM_OTP_MAX_ATTEMPTS: '0' })).toThrow(/ABDM_OTP_MAX_ATTEMPTS/);
  });
});

describe('ABDM settings in production refuse every development default', () => {
  const production = {
    NODE_ENV: 'production',
    ABDM_ENABLED: 'true',
    ABDM_GATEWAY_URL: 'https://apis.abdm.gov.in',
    ABDM_GATEWAY_ISSUER: 'https://apis.abdm.gov.in/auth',
    ABDM_GATEWAY_CLIENT_ID: 'gateway',
    ABDM_CM_ID: 'abdm',
    ABDM_CLIENT_ID: 'clinic',
    ABDM_CLIENT_SECRET: 'issued-by-abdm',
    ABDM_SMS_NOTIFY: 'false',
  };

  it('starts with real credentials and no SMS notification', () => {
    expect(loadAbdmConfig(production)).toMatchObject({ clientSecret: 'issued-by-abdm', smsNotify: false });
  });

  it.each([
    ['ABDM_CLIENT_ID', 'hims-dev'],
    ['ABDM_CLIENT_SECRET', 'hims-dev-secret'],
    ['ABDM_CLIENT_SECRET', 'hims_app_dev'],
  ])('refuses %s=%s (the development value)', (name, value) => {
    expect(() => loadAbdmConfig({ ...production, [name]: value })).toThrow(
      new RegExp(`${name} holds a development default`),
    );
  });

  it('refuses the development SMS sink when patients are to be texted', () => {
    expect(() => loadAbdmConfig({ ...production, ABDM_SMS_NOTIFY: 'true' })).toThrow(/ABDM_SMS_PROVIDER/);
    expect(() =>
      loadAbdmConfig({ ...production, ABDM_SMS_NOTIFY: 'true', ABDM_SMS_PROVIDER: 'dev-sink' }),
    ).toThrow(/ABDM_SMS_PROVIDER is the development sink/);
  });
});
