import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { layersPlugin } from './eslint/layers.mjs';

/*
 * Module boundaries (docs/architecture rules in README "Layout"): a module's public face is
 * libs/<name>/src/index.ts, reached as '@hims/<name>'. A lib never reaches into another lib's
 * files, an app, or migrations/; an app reaches libs only through '@hims/<name>' and never into
 * another app (it may import migrations/: the CLI runs them). Relative imports stay inside their
 * own lib's or app's src/. ESLint's own no-restricted-imports, one config per directory depth,
 * because "climbs out of src/" is a number of '../' that depends on where the file sits.
 */
const MAX_DEPTH = 6;

const deepAlias = {
  regex: '^@hims/[^/]+/.+',
  message: "Import another module only through its public face '@hims/<name>' (libs/<name>/src/index.ts).",
};
const intoLibs = {
  regex: '(^|/)libs(/|$)',
  message: "Reach a lib only through '@hims/<name>', never by path.",
};
const intoApps = {
  regex: '(^|/)apps(/|$)',
  message: 'Apps only wire modules: nothing imports an app.',
};
const intoMigrations = {
  regex: '(^|/)migrations(/|$)',
  message: 'A lib does not import migrations/ (the CLI and the tests pass them to createDataSource).',
};

/** A relative import with more '../' than the file's depth below src/ leaves its module. */
const climbsOut = (depth, allowMigrations, allowTestSupport = false) => ({
  regex: `^(\\.\\./){${depth + 1},}(?!\\.\\./)${allowMigrations ? '(?!migrations(/index)?$)' : ''}${allowTestSupport ? '(?!test/support/)' : ''}`,
  message: "A relative import leaves this module's src/: use '@hims/<name>' (libs) or move the code.",
});

const boundaries = [];
for (let depth = 0; depth <= MAX_DEPTH; depth++) {
  const below = '*/'.repeat(depth);
  boundaries.push(
    {
      files: [`libs/*/src/${below}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [deepAlias, intoLibs, intoApps, intoMigrations, climbsOut(depth, false)] },
        ],
      },
    },
    // A lib's unit tests may share the test helpers under test/support/ (never shipped).
    {
      files: [`libs/*/src/${below}*.spec.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [deepAlias, intoLibs, intoApps, intoMigrations, climbsOut(depth, false, true)] },
        ],
      },
    },
    {
      files: [`apps/*/src/${below}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [deepAlias, intoLibs, intoApps, climbsOut(depth, true)] },
        ],
      },
    },
  );
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'apps/web/src/api/schema.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  {
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.{ts,tsx}'],
    ignores: ['**/*.spec.ts'],
    plugins: { hims: layersPlugin },
    rules: { 'hims/lib-layers': 'error', 'hims/no-import-cycle': 'error' },
  },
);
