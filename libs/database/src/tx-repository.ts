import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { DbTx, TxHost } from './tx';

/**
 * The base of a repository whose SQL runs in the current transaction (the
 * request's tenant transaction, or a job's TenantScope.run): RLS scopes every
 * query to the tenant. Subclasses without their own constructor inherit the
 * injection of TransactionHost.
 */
@Injectable()
export abstract class TxRepository {
  constructor(protected readonly txHost: TransactionHost) {}

  /** The current transaction. */
  protected get tx(): DbTx {
    return (this.txHost as TxHost).tx;
  }

  /** The rows of one query, typed by the caller (the SQL's aliases must match T). */
  protected async rows<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.tx.query(sql, params)) as T[];
  }
}
