import tseslint from 'typescript-eslint';
import security from 'eslint-plugin-security';
import noUnsanitized from 'eslint-plugin-no-unsanitized';
import regexp from 'eslint-plugin-regexp';

/*
 * Static analysis with security rules (scripts/security/sast.mjs runs it; docs/security.md
 * "Scanners"). Only shipped code: apps/ and libs/ (tests and the bench are not deployed).
 * Why ESLint plugins and not semgrep: semgrep comes from PyPI, which this build cannot reach,
 * and a scanner that cannot run on a fresh clone is no gate. eslint-plugin-security (the
 * eslint-community's Node.js rules: eval, child_process, unsafe regex, timing, Buffer) and
 * Mozilla's eslint-plugin-no-unsanitized (DOM sinks in the console) run on the same parser as
 * the lint, so every finding points at a TypeScript line. ReDoS is judged by
 * eslint-plugin-regexp's no-super-linear-backtracking (an exact analysis of the automaton)
 * rather than security/detect-unsafe-regex (safe-regex's star-height guess, which flags
 * linear patterns such as the base64 check).
 * Severity is sast.mjs's: the rules in HIGH_RULES fail the build, the rest are reported.
 */
export default [
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'apps/web/src/api/schema.gen.ts',
      '**/*.spec.ts',
      '**/*.spec.tsx',
    ],
  },
  {
    files: ['apps/**/*.{ts,tsx}', 'libs/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { security, 'no-unsanitized': noUnsanitized, regexp },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      ...Object.fromEntries(Object.keys(security.rules).map((r) => [`security/${r}`, 'warn'])),
      'security/detect-unsafe-regex': 'off',
      'regexp/no-super-linear-backtracking': 'warn',
      'regexp/no-super-linear-move': 'warn',
      'no-unsanitized/method': 'warn',
      'no-unsanitized/property': 'warn',
      'no-eval': 'warn',
      'no-implied-eval': 'warn',
      'no-new-func': 'warn',
    },
  },
];
