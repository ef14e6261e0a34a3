import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README's two commands run through shell scripts that start built files by path
 * (`node dist/apps/cli/src/main.js …`). A file moved in the source (as the CLI's
 * pipeline.ts once became pipeline/) must not leave a script pointing at nothing: every
 * `dist/<path>.js` a script or package.json names has its source `<path>.ts`.
 */
const ROOT = join(__dirname, '../../..');

function referencedEntryPoints(): { file: string; path: string }[] {
  const files = [
    'package.json',
    '.ci/run',
    ...['scripts', 'infra/scripts', 'infra/postgres'].flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((f) => f.endsWith('.sh'))
        .map((f) => `${dir}/${f}`),
    ),
  ];
  return files.flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\bdist\/([A-Za-z0-9_./-]+)\.js\b/g)].map((m) => ({
      file,
      path: m[1],
    })),
  );
}

/** dist/<outDir-relative>.js → the .ts it is built from (dist/fake-gateway/ is a second tsc project rooted at the repo). */
const sourceOf = (path: string) => join(ROOT, `${path.replace(/^fake-gateway\//, '')}.ts`);

describe('entry points the scripts start', () => {
  it('finds the ones the two commands use', () => {
    const paths = referencedEntryPoints().map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['apps/api/src/main', 'apps/worker/src/main', 'apps/cli/src/main']),
    );
  });

  it('each has its source file', () => {
    const missing = referencedEntryPoints().filter((r) => !existsSync(sourceOf(r.path)));
    expect(missing).toEqual([]);
  });
});
