import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The console's API types are generated from contracts/openapi.json (npm run
 * web:client) and committed; like the OpenAPI export check, this fails when the
 * contract changed and the generated file was not regenerated.
 */
describe('console API client types', () => {
  it('are current with contracts/openapi.json', () => {
    const root = resolve(__dirname, '../../../..');
    const out = join(mkdtempSync(join(tmpdir(), 'hims-web-client-')), 'schema.gen.ts');
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/openapi-typescript/bin/cli.js'),
        join(root, 'contracts/openapi.json'),
        '--default-non-nullable=false',
        '-o',
        out,
      ],
      { stdio: 'pipe' },
    );
    const committed = readFileSync(join(root, 'apps/web/src/api/schema.gen.ts'), 'utf8');
    expect(readFileSync(out, 'utf8')).toBe(committed);
  });
});
