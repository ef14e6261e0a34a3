/** RFC 6750 b64token after a case-insensitive "Bearer" scheme; anything else is no token. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The bearer token of an Authorization header, for every realm's guard. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  return BEARER.exec(authorization)?.[1];
}
