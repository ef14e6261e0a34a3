import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The API renders its own contract (apps/api/src/openapi-main.ts); the CLI runs that entry
 * point of the built API in a child process instead of importing another app's code.
 */
export async function exportOpenApi(file: string): Promise<void> {
  execFileSync(process.execPath, [resolve(__dirname, '../../api/src/openapi-main.js'), file], {
    stdio: 'inherit',
  });
}
