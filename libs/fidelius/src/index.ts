export {
  ABDM_KEY_MATERIAL,
  decrypt,
  decryptBytes,
  encrypt,
  generateKeyMaterial,
  normalisePublicKey,
  publicKeyOf,
  type FideliusKeyMaterial,
  type OwnKeys,
} from './fidelius';
export { FideliusError, type FideliusErrorCode } from './errors';
