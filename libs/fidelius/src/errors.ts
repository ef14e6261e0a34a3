/** Why a Fidelius operation refused its input. Messages never quote keys, nonces or data. */
export type FideliusErrorCode =
  'invalid-public-key' | 'invalid-private-key' | 'invalid-nonce' | 'decryption-failed';

export class FideliusError extends Error {
  constructor(
    readonly code: FideliusErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FideliusError';
  }
}
