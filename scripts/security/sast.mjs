#!/usr/bin/env node
// Static analysis with security rules over the shipped code (apps/, libs/): runs
// eslint.security.config.mjs, prints every finding with its severity, writes
// dist/security/sast.json for the security report, and exits 1 on any high finding.
// Inline eslint-disable comments are ignored here (--no-inline-config semantics), so a
// high finding can only be fixed, never silenced in place.
import { ESLint } from 'eslint';
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Rules whose finding is exploitable as written: code execution, DOM injection, ReDoS, weak randomness. */
export const HIGH_RULES = new Set([
  'security/detect-eval-with-expression',
  'security/detect-child-process',
  'security/detect-non-literal-require',
  'security/detect-pseudoRandomBytes',
  'security/detect-buffer-noassert',
  'security/detect-new-buffer',
  'security/detect-no-csrf-before-method-override',
  'security/detect-disable-mustache-escape',
  'security/detect-bidi-characters',
  'security/detect-possible-timing-attacks',
  'regexp/no-super-linear-backtracking',
  'regexp/no-super-linear-move',
  'no-unsanitized/method',
  'no-unsanitized/property',
  'no-eval',
  'no-implied-eval',
  'no-new-func',
]);

const eslint = new ESLint({
  overrideConfigFile: 'scripts/security/eslint.security.config.mjs',
  allowInlineConfig: false,
});
const results = await eslint.lintFiles(['apps/**/*.{ts,tsx}', 'libs/**/*.{ts,tsx}']);
const findings = results.flatMap((r) =>
  r.messages.map((m) => ({
    severity: m.ruleId && HIGH_RULES.has(m.ruleId) ? 'high' : m.fatal ? 'high' : 'medium',
    rule: m.ruleId ?? 'parse-error',
    file: relative(process.cwd(), r.filePath),
    line: m.line,
    message: m.message,
  })),
);
const byRule = {};
for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
const high = findings.filter((f) => f.severity === 'high');
const summary = {
  tool: 'eslint-plugin-security + eslint-plugin-no-unsanitized + eslint-plugin-regexp',
  files: results.length,
  high: high.length,
  medium: findings.length - high.length,
  byRule,
  findings,
  at: new Date().toISOString(),
};
mkdirSync('dist/security', { recursive: true });
writeFileSync('dist/security/sast.json', JSON.stringify(summary, null, 2));
for (const f of high) console.log(`HIGH  ${f.file}:${f.line}  ${f.rule}  ${f.message}`);
console.log(
  `SAST: ${results.length} files, ${high.length} high, ${summary.medium} medium (reported, not failing: ` +
    `${
      Object.entries(byRule)
        .filter(([r]) => !HIGH_RULES.has(r))
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'none'
    })`,
);
process.exit(high.length > 0 ? 1 : 0);
