import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { createDataSource } from '@hims/database';

/** Something that runs SQL: the pool, a transaction's manager or a dedicated connection. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The platform routes' own pool, as hims_platform: a non-owner role that reads
 * the platform schema and every tenant row, and changes tenants only through
 * the controlled functions of migration TenantProvisioning. Tenant routes never
 * use it; it never uses the tenant pool.
 */
@Injectable()
export class PlatformDatabase implements OnModuleInit, OnApplicationShutdown {
  private readonly ds: DataSource;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.ds = createDataSource(
      config.platform.databaseUrl,
      Math.max(2, Math.ceil(config.databasePoolMax / 2)),
      `${config.databaseApplicationName}-platform`,
    );
  }

  async onModuleInit(): Promise<void> {
    if (!this.ds.isInitialized) await this.ds.initialize();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<T = any>(sql: string, params?: unknown[]): Promise<T> {
    return this.ds.query(sql, params);
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** A connection of its own (held for a saga's session-level lock). */
  async connection(): Promise<QueryRunner> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    return runner;
  }
}
