import { resolve } from 'node:path';
import { AppConfig } from '@hims/config';
import { createDataSource, describeConnectionError } from '@hims/database';
import { describeVerification, verifyAuditChain } from '@hims/audit';
import { rotateSigningKey } from '@hims/auth';
import { isUuid } from '@hims/tenancy';
import { analyticsCommand } from './analytics-rebuild.command';
import { backupCommand } from './backup/backup.command';
import { exportOpenApi } from './openapi-export';
import { pipelineCommand } from './pipeline/pipeline.command';
import { createOperator } from './platform-operator';
import { seedDemo } from './seed-demo';
import { ALL_MIGRATIONS } from '../../../migrations';

type Command = (config: AppConfig, args: string[]) => Promise<number>;

async function withOwner<T>(config: AppConfig, fn: (ds: ReturnType<typeof createDataSource>) => Promise<T>) {
  const ds = createDataSource(config.databaseOwnerUrl, 2, 'hims-cli', ALL_MIGRATIONS);
  try {
    await ds.initialize();
  } catch (err) {
    throw new Error(describeConnectionError('DATABASE_OWNER_URL', err), { cause: err });
  }
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

export const commands: Record<string, Command> = {
  /** migrate up | down [steps] */
  async migrate(config, [direction = 'up', steps = '1']) {
    return withOwner(config, async (ds) => {
      if (direction === 'up') {
        const ran = await ds.runMigrations({ transaction: 'each' });
        process.stdout.write(
          `migrations applied: ${ran.length ? ran.map((m) => m.name).join(', ') : 'none pending'}\n`,
        );
      } else {
        for (let i = 0; i < Number(steps); i++) await ds.undoLastMigration({ transaction: 'each' });
        process.stdout.write(`migrations reverted: ${steps}\n`);
      }
      return 0;
    });
  },

  /** seed-demo: a demo tenant and admin user; prints their credentials. */
  async 'seed-demo'(config) {
    return withOwner(config, async (ds) => {
      const out = await seedDemo(ds, config);
      process.stdout.write(`${JSON.stringify(out)}\n`);

      return 0;
    });
  },

  /**
   * keys rotate: a new JWT signing key in AUTH_KEY_DIR signs from the next API start on; the
   * old public key stays published until its last token expires (docs/auth.md "Key rotation").
   */
  async keys(config, [action]) {
    if (action !== 'rotate') {
      process.stderr.write('usage: cli keys rotate\n');
      return 2;
    }
    const { kid, retired } = rotateSigningKey(config.auth.keyDir, config.auth.accessTokenTtlSeconds);
    process.stdout.write(`${JSON.stringify({ kid, retired })}\n`);
    return 0;
  },

  /** audit-verify <tenantId>: checks the tenant's audit hash chain; exit 0 if intact, 1 at the first broken link. */
  async 'audit-verify'(config, [tenantId]) {
    if (!isUuid(tenantId)) {
      process.stderr.write('usage: cli audit-verify <tenantId (uuid)>\n');
      return 2;
    }
    return withOwner(config, async (ds) => {
      const result = await verifyAuditChain(ds, tenantId.toLowerCase());
      (result.ok ? process.stdout : process.stderr).write(`${describeVerification(result)}\n`);
      return result.ok ? 0 : 1;
    });
  },

  /** pipeline setup|status|reindex <tenantId...>|--all|purge-outbox [seconds]|teardown (docs/pipeline.md) */
  async pipeline(config, args) {
    return pipelineCommand(config, args, withOwner);
  },

  /** analytics rebuild <tenantId...> | --all: projections recomputed from the audit trail */
  async analytics(config, args) {
    return analyticsCommand(config, args, withOwner);
  },

  /** backup now [full|diff|incr] | list [--json] | verify | restore --to <time> --target-dir <dir> --port <port> (docs/operations.md) */
  async backup(_config, args) {
    return backupCommand(args);
  },

  /** platform operator create --email <email> [--name <name>]: password on stdin (one line) or prompted. */
  async platform(config, args) {
    if (args[0] !== 'operator' || args[1] !== 'create') {
      process.stderr.write('usage: cli platform operator create --email <email> [--name <display name>]\n');
      return 2;
    }
    return withOwner(config, async (ds) => {
      const out = await createOperator(ds, args.slice(2));
      if ('error' in out) {
        process.stderr.write(`${out.error}\n`);
        return 1;
      }
      process.stdout.write(`${JSON.stringify({ operatorId: out.id, email: out.email })}\n`);
      return 0;
    });
  },

  /** openapi export [file]: writes the OpenAPI document (contracts/openapi.json by default). */
  async openapi(_config, [, file = 'contracts/openapi.json']) {
    await exportOpenApi(resolve(file));
    process.stdout.write(`OpenAPI written to ${file}\n`);
    return 0;
  },
};
