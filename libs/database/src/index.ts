export { DatabaseModule } from './database.module';
export { createDataSource, dataSourceOptions, describeConnectionError } from './data-source';
export type { DbTx, TxHost } from './tx';
export { checkDatabase, startupFailureLine } from './preflight';
export { asOwnerInTenant, setTransactionTenant } from './owner-tenant';
export { TxRepository } from './tx-repository';
