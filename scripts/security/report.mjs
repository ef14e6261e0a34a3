#!/usr/bin/env node
// npm run security-report: one report for the auditor (dist/security-report.md and .html):
// the ASVS 4.0.3 level-2 table of docs/security-verification.md (every row's evidence checked:
// the file exists and holds the named test), the scanners' results (dist/security/*.json from
// sast.mjs, audit.mjs, sbom.mjs and the DAST e2e test), the SBOM summary, and the latest
// results of the isolation and token tests (dist/security/jest-results.json, written by
// npm test). `--check` only checks the ASVS table and exits 1 if a row points at nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const DOC = 'docs/security-verification.md';
const STATUSES = ['pass', 'fixed', 'doc', 'gap', 'n/a'];

export function parseAsvs(text) {
  const rows = [];
  for (const line of text.split('\n')) {
    const m = /^\| (\d+\.\d+\.\d+) \| (.+?) \| (pass|fixed|doc|gap|n\/a) \| (.+) \|$/.exec(line);
    if (m) rows.push({ id: m[1], requirement: m[2], status: m[3], evidence: m[4] });
  }
  return rows;
}

function problemsOf(row) {
  const refs = [...row.evidence.matchAll(/`([^`]+)`(?: › "([^"]+)")?/g)].map((m) => ({
    file: m[1],
    test: m[2],
  }));
  if (row.status === 'gap' || row.status === 'n/a')
    return row.evidence.trim().length > 10 ? [] : ['no reason given'];
  if (refs.length === 0) return ['no evidence named'];
  const problems = [];
  for (const { file, test } of refs) {
    if (!existsSync(file)) problems.push(`${file} does not exist`);
    else if (test && !readFileSync(file, 'utf8').includes(test))
      problems.push(`${file} has no test "${test}"`);
  }
  return problems;
}

const rows = parseAsvs(readFileSync(DOC, 'utf8'));
const broken = rows.map((r) => ({ ...r, problems: problemsOf(r) })).filter((r) => r.problems.length);
const counts = Object.fromEntries(STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length]));
if (process.argv.includes('--check')) {
  for (const r of broken) console.log(`ASVS ${r.id}: ${r.problems.join('; ')}`);
  console.log(
    `ASVS 4.0.3 L2: ${rows.length} requirements (${STATUSES.map((s) => `${s} ${counts[s]}`).join(', ')}); ${broken.length} rows with broken evidence`,
  );
  process.exit(broken.length || rows.length < 250 ? 1 : 0);
}

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);
const sast = read('dist/security/sast.json');
const audit = read('dist/security/audit.json');
const sbom = read('dist/security/sbom-summary.json');
const dast = read('dist/security/dast.json');
const jest = read('dist/security/jest-results.json');
const baseline = read('security/scanner-baseline.json');

/** Isolation and token tests: their latest outcome per test (from npm test's jest JSON). */
const EVIDENCE_FILES = [
  'test/integration/rls.int-spec.ts',
  'test/e2e/auth.e2e-spec.ts',
  'test/e2e/auth-oidc.e2e-spec.ts',
  'test/e2e/platform-auth.e2e-spec.ts',
  'test/e2e/mfa.e2e-spec.ts',
  'test/e2e/openapi-fuzz.e2e-spec.ts',
  'test/e2e/dast.e2e-spec.ts',
  'test/e2e/no-phi-in-logs.e2e-spec.ts',
  'test/e2e/key-rotation.e2e-spec.ts',
  'test/e2e/tls.e2e-spec.ts',
];
const suites = (jest?.testResults ?? []).filter((s) => EVIDENCE_FILES.some((f) => s.name.endsWith(f)));

const md = [];
md.push(
  `# HIMS security report\n\nGenerated ${new Date().toISOString()} by \`npm run security-report\` (issue #30).\n`,
);
md.push(
  `## OWASP ASVS 4.0.3 level 2\n\n${rows.length} requirements: ${STATUSES.map((s) => `**${s}** ${counts[s]}`).join(', ')}. ` +
    `Evidence checked: ${rows.length - broken.length} rows point at existing tests or documents${broken.length ? `, **${broken.length} do not**` : ''}. ` +
    `Full table with evidence: \`${DOC}\`.\n`,
);
md.push('| Req | Requirement | Status | Evidence or reason |\n| --- | --- | --- | --- |');
for (const r of rows) md.push(`| ${r.id} | ${r.requirement} | ${r.status} | ${r.evidence} |`);

md.push('\n## Scanners (before issue #30 → now)\n');
md.push('| Scanner | Before | Now |\n| --- | --- | --- |');
md.push(
  `| SAST (eslint-plugin-security, no-unsanitized, regexp) | high ${baseline?.sast.high}, medium ${baseline?.sast.medium} | ${sast ? `high ${sast.high}, medium ${sast.medium} (${sast.files} files)` : 'not run'} |`,
);
md.push(
  `| npm audit --omit=dev | ${baseline?.audit.status} | ${audit ? (audit.status === 'unavailable' ? `unavailable: ${audit.reason}` : `${audit.status}: critical ${audit.counts.critical}, high ${audit.counts.high}, moderate ${audit.counts.moderate}, low ${audit.counts.low}; excused ${audit.excused.length}`) : 'not run'} |`,
);
md.push(
  `| CycloneDX SBOM | ${baseline?.sbom.status} | ${sbom ? `${sbom.components} components, CycloneDX ${sbom.specVersion}, ${sbom.problems.length ? `problems: ${sbom.problems.join('; ')}` : 'checked against package-lock.json'}` : 'not generated'} |`,
);
md.push(
  `| DAST (scripted baseline) | ${baseline?.dast.failed} | ${dast ? `${dast.checks} checks, ${dast.failed} failed (${dast.at})` : 'not run'} |`,
);
if (baseline?.sast.highFindings)
  md.push(
    `\nHigh SAST findings before, fixed: ${baseline.sast.highFindings.map((f) => `\n- ${f}`).join('')}`,
  );
if (sast)
  md.push(
    `\nSAST findings by rule now: ${
      Object.entries(sast.byRule)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    } (medium rules are reported, not failing; see docs/security.md "Scanners").`,
  );

md.push('\n## SBOM summary\n');
if (sbom) {
  md.push(
    `\`${sbom.file}\`: ${sbom.components} components (${sbom.productionPackagesInLock} production packages in package-lock.json). Licences:\n`,
  );
  md.push('| Licence | Components |\n| --- | --- |');
  for (const [l, n] of Object.entries(sbom.licences).sort((a, b) => b[1] - a[1])) md.push(`| ${l} | ${n} |`);
} else md.push('Not generated (run `npm run build` or `npm run sbom`).');

md.push('\n## DAST results\n');
if (dast) {
  md.push('| Result | Check | Target | Detail |\n| --- | --- | --- | --- |');
  for (const r of dast.results)
    md.push(`| ${r.pass ? 'PASS' : 'FAIL'} | ${r.check} | ${r.target} | ${r.detail ?? ''} |`);
} else md.push('Not run (test/e2e/dast.e2e-spec.ts writes it).');

md.push('\n## Isolation and token tests (latest npm test run)\n');
if (suites.length) {
  md.push(`From \`dist/security/jest-results.json\` (${new Date(jest.startTime).toISOString()}).\n`);
  md.push('| Test file | Passed | Failed |\n| --- | --- | --- |');
  for (const s of suites) {
    const passed = s.assertionResults.filter((a) => a.status === 'passed').length;
    const failed = s.assertionResults.filter((a) => a.status === 'failed').length;
    md.push(`| ${s.name.slice(s.name.indexOf('test/'))} | ${passed} | ${failed} |`);
  }
} else md.push('No results yet: `npm test` writes dist/security/jest-results.json.');

mkdirSync('dist', { recursive: true });
const markdown = `${md.join('\n')}\n`;
writeFileSync('dist/security-report.md', markdown);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const html = markdown
  .split('\n')
  .map((l) => {
    if (l.startsWith('# ')) return `<h1>${esc(l.slice(2))}</h1>`;
    if (l.startsWith('## ')) return `<h2>${esc(l.slice(3))}</h2>`;
    if (/^\| -/.test(l)) return '';
    if (l.startsWith('| '))
      return `<tr>${l
        .slice(2, -2)
        .split(' | ')
        .map((c) => `<td>${esc(c)}</td>`)
        .join('')}</tr>`;
    return l ? `<p>${esc(l)}</p>` : '';
  })
  .join('\n')
  .replace(/(<tr>[\s\S]*?<\/tr>)(?!\n<tr>)/g, '$1')
  .replace(/((?:<tr>.*<\/tr>\n?)+)/g, '<table>\n$1</table>\n');
writeFileSync(
  'dist/security-report.html',
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>HIMS security report</title>` +
    `<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:.9em}</style>\n${html}</html>\n`,
);
console.log(
  `security report: dist/security-report.md and .html (ASVS ${rows.length}: ${STATUSES.map((s) => `${s} ${counts[s]}`).join(', ')}; ` +
    `${broken.length} broken rows; SAST high ${sast?.high ?? '?'}; audit ${audit?.status ?? '?'}; SBOM ${sbom?.components ?? '?'} components; DAST ${dast ? `${dast.checks - dast.failed}/${dast.checks}` : '?'})`,
);
process.exit(broken.length ? 1 : 0);
