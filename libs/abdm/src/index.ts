/**
 * Public face of the ABDM HIP bridge (docs/abdm.md).
 * - AbdmModule.forApi(): gateway callbacks (/api/v3/hip/...) and staff endpoints; AbdmModule.forWorker(): the processor.
 * - AbdmProcessor: works off the inbox and the on-* queue (start/stop/poke/runOnce).
 * - ABDM_CONFIG / AbdmConfig / loadAbdmConfig: settings (ABDM_* environment variables).
 * - SMS_SENDER / SmsSender: plug a real SMS provider in.
 * - CALLBACK_PATHS / GATEWAY_PATHS: the HIE-CM v3 paths; CONSENT_CALLBACK_PATHS / DATA_FLOW_GATEWAY_PATHS /
 *   DATA_FLOW_ERRORS: those of consents and the health-information transfer.
 */
export { AbdmModule } from './abdm.module';
export { AbdmProcessor } from './processor';
export { ABDM_CONFIG, loadAbdmConfig } from './abdm.config';
export type { AbdmConfig } from './abdm.config';
export { SMS_SENDER } from './sms';
export type { SmsSender } from './sms';
export { CALLBACK_PATHS, GATEWAY_PATHS, HI_TYPE_OP_CONSULTATION, ABDM_ERRORS } from './gateway-paths';
export { GATEWAY_ALGORITHMS, JWKS_REFETCH_COOLDOWN_MS } from './gateway-token.verifier';
export { CONSENT_CALLBACK_PATHS, DATA_FLOW_GATEWAY_PATHS, DATA_FLOW_ERRORS } from './data-flow-paths';
