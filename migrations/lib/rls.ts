/**
 * SQL builders shared by migrations. The tenant predicate is wrapped in a
 * scalar sub-select so PostgreSQL evaluates it once per statement (an
 * InitPlan) instead of once per row, and an unset or empty setting yields
 * NULL, which matches no row.
 */
export const CURRENT_TENANT = `(SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid)`;

/** ENABLE + FORCE RLS and one policy per command, all keyed on the tenant column. */
export function tenantIsolation(table: string, column = 'tenant_id'): string[] {
  const policy = (cmd: string) => `${table.replace('.', '_')}_tenant_${cmd.toLowerCase()}`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${policy('SELECT')} ON ${table} FOR SELECT USING (${column} = ${CURRENT_TENANT})`,
    `CREATE POLICY ${policy('INSERT')} ON ${table} FOR INSERT WITH CHECK (${column} = ${CURRENT_TENANT})`,
    `CREATE POLICY ${policy('UPDATE')} ON ${table} FOR UPDATE USING (${column} = ${CURRENT_TENANT}) WITH CHECK (${column} = ${CURRENT_TENANT})`,
    `CREATE POLICY ${policy('DELETE')} ON ${table} FOR DELETE USING (${column} = ${CURRENT_TENANT})`,
  ];
}
