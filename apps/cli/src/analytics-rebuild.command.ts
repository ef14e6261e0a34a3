import type { DataSource } from 'typeorm';
import type { AppConfig } from '@hims/config';
import { rebuildAnalytics } from '@hims/analytics';

type WithOwner = <T>(config: AppConfig, fn: (ds: DataSource) => Promise<T>) => Promise<T>;

/** `analytics rebuild <tenantId...> | --all`: the projections recomputed from the audit trail (docs/operations.md). */
export async function analyticsCommand(config: AppConfig, args: string[], withOwner: WithOwner): Promise<number> {
  const [sub, ...rest] = args;
  const all = rest.includes('--all');
  const tenants = rest.filter((a) => !a.startsWith('--'));
  if (sub !== 'rebuild' || all === tenants.length > 0 || tenants.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) {
    process.stderr.write('usage: analytics rebuild <tenantId...> | --all\n');
    return 2;
  }
  const results = await withOwner(config, (ds) => rebuildAnalytics(ds, all ? undefined : tenants.map((t) => t.toLowerCase())));
  for (const r of results) process.stdout.write(`tenant ${r.tenantId}: rebuilt from ${r.events} event(s) in the audit trail\n`);
  return 0;
}
