// Must stay the first import (instrumentation patches modules as they load).
import './tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@hims/config';
import { shutdownTracing, traced } from '@hims/tracing';
import { commands } from './commands';

/**
 * Operator commands: `node dist/apps/cli/main.js <command> [args]`.
 * They connect as the owner role (migrations) or set a tenant like the API does.
 */
async function main(argv: string[]): Promise<number> {
  // Commands print machine-readable results on stdout (stack.sh parses seed-demo's JSON):
  // library logs (the provisioning saga's) go to stderr, errors only.
  Logger.overrideLogger(['error']);
  const [name, ...args] = argv;
  const command = commands[name as keyof typeof commands];
  if (!command) {
    process.stderr.write(`usage: cli <${Object.keys(commands).join('|')}> [args]\n`);
    return 2;
  }
  // One root span per command, so its statements and Elasticsearch calls form one trace.
  return traced(`cli ${name}`, {}, () => command(loadConfig(), args));
}

main(process.argv.slice(2))
  .then(
    (code) => code,
    (err: unknown) => {
      process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`);
      return 1;
    },
  )
  // Export the command's spans (a no-op when tracing is off) before exiting.
  .then((code) => shutdownTracing().then(() => process.exit(code)));
