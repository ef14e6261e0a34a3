export { PlatformModule } from './platform.module';
export { OperatorsRepository } from './operators.repository';
export { SagaRunner } from './saga-runner';
export { SagaResumer } from './saga-resumer';
export { PROVISIONING_STEPS, STEP_NAMES } from './provisioning-steps';
export { FAULT_ENV } from './saga-faults';
export { provisionWithSaga, OfflineProvisioning } from './provision-offline';
