import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { renderOpenApi } from './openapi';

/**
 * `node dist/apps/api/src/openapi-main.js <file>`: writes the API's OpenAPI document. The CLI's
 * `openapi export` runs this in a child process, because no app imports another.
 */
renderOpenApi().then(
  (text) => writeFileSync(process.argv[2] ?? 'contracts/openapi.json', text),
  (err: unknown) => {
    process.stderr.write(`openapi export failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
