/*
 * Layering as lint (docs: README "Layout", libs/README.md). Two rules, no dependency:
 *
 * hims/lib-layers: the libs stand on floors; a lib imports '@hims/<x>' only from a LOWER
 *   floor. Same-floor and upward imports are errors, so no cycle between libs can form.
 *   A lib missing from the table is treated as the top floor (it may import every listed
 *   lib, none may import it) and gets a warning asking to place it.
 * hims/no-import-cycle: no cycle of relative imports inside a lib or an app (type-only
 *   imports count: they are the same knot for a reader, and the next edit makes them real).
 *
 * Why not dependency-cruiser or eslint-plugin-import: both would be a new dependency for
 * two checks of ~100 lines, and eslint already runs on every file in `npm run lint`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';

/** The floors as they are (measured when the rule was written): lowest first. */
export const LIB_FLOORS = [
  ['config', 'errors', 'fidelius', 'printing', 'tracing'],
  ['database', 'health-information'],
  ['tenancy'],
  ['events', 'idempotency', 'observability'],
  ['auth'],
  ['audit', 'analytics', 'platform'],
  ['patients', 'billing'],
  ['visits', 'search', 'abha'],
  ['queue'],
  ['abdm', 'scheduling'],
];

const floorOf = new Map(LIB_FLOORS.flatMap((libs, floor) => libs.map((lib) => [lib, floor])));
const TOP = LIB_FLOORS.length;
const libOfFile = (file) => /(?:^|[\\/])libs[\\/]([^\\/]+)[\\/]src[\\/]/.exec(file)?.[1];

const libLayers = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const lib = libOfFile(context.filename);
    if (!lib) return {};
    const mine = floorOf.get(lib) ?? TOP;
    let warned = false;
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('@hims/')) return;
      if (!floorOf.has(lib) && !warned) {
        warned = true;
        context.report({ node, message: `libs/${lib} has no floor yet: add it to LIB_FLOORS in eslint/layers.mjs.` });
      }
      const target = source.split('/')[1];
      if (target === lib) return;
      const theirs = floorOf.get(target) ?? TOP;
      if (theirs >= mine) {
        context.report({
          node,
          message: `@hims/${lib} (floor ${mine}) may not import @hims/${target} (floor ${theirs}): a lib imports only from lower floors (eslint/layers.mjs).`,
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

/** Relative imports of a file, read from disk (cached by mtime for one lint run). */
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]*)['"]|import\s+['"](\.[^'"]*)['"]/g;
const cache = new Map();
function relativeImports(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.deps;
  const text = readFileSync(file, 'utf8');
  const deps = [];
  for (const m of text.matchAll(IMPORT)) {
    const base = resolve(dirname(file), m[1] ?? m[2]);
    const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c));
    if (target) deps.push(target);
  }
  cache.set(file, { mtime, deps });
  return deps;
}

const noImportCycle = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const start = resolve(context.filename);
    if (!/[\\/](libs|apps)[\\/]/.test(start)) return {};
    return {
      'Program:exit'(program) {
        // Depth-first from this file; a path back to it is a cycle through it.
        const seen = new Set();
        const path = [];
        const visit = (file) => {
          for (const next of relativeImports(file)) {
            if (next === start) return [...path, next];
            if (seen.has(next)) continue;
            seen.add(next);
            path.push(next);
            const found = visit(next);
            if (found) return found;
            path.pop();
          }
          return undefined;
        };
        const cycle = visit(start);
        if (cycle) {
          const names = [start, ...cycle].map((f) => relative(process.cwd(), f).split(sep).join('/'));
          context.report({ node: program, message: `Import cycle: ${names.join(' -> ')}` });
        }
      },
    };
  },
};

export const layersPlugin = { rules: { 'lib-layers': libLayers, 'no-import-cycle': noImportCycle } };
