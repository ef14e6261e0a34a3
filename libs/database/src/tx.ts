import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { EntityManager } from 'typeorm';

/** The transaction host repositories inject: `txHost.tx.query(sql, params)`. */
export type TxHost = TransactionHost<TransactionalAdapterTypeOrm>;
export type DbTx = EntityManager;
