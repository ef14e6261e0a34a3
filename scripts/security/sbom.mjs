#!/usr/bin/env node
// CycloneDX SBOM of the production dependency tree (@cyclonedx/cyclonedx-npm), written to
// dist/sbom.cdx.json on every build, then checked: CycloneDX 1.6 JSON with a serial number,
// our package as the subject, and every production package of package-lock.json present with
// its exact version and a purl (so the SBOM cannot silently drift from what is installed).
// Writes dist/security/sbom-summary.json for the security report.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

mkdirSync('dist/security', { recursive: true });
execFileSync(
  'npx',
  [
    '--no-install',
    'cyclonedx-npm',
    '--omit',
    'dev',
    '--output-format',
    'JSON',
    '--spec-version',
    '1.6',
    '--output-reproducible',
    '--output-file',
    'dist/sbom.cdx.json',
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const bom = JSON.parse(readFileSync('dist/sbom.cdx.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const problems = [];
if (bom.bomFormat !== 'CycloneDX' || bom.specVersion !== '1.6')
  problems.push(`not CycloneDX 1.6 (${bom.bomFormat} ${bom.specVersion})`);
if (bom.metadata?.component?.name !== lock.name) problems.push('the SBOM does not describe this package');
const inBom = new Set();
const walk = (cs) =>
  cs?.forEach((c) => {
    inBom.add(`${c.group ? `${c.group}/` : ''}${c.name}@${c.version}`);
    walk(c.components);
  });
walk(bom.components);
const prod = Object.entries(lock.packages)
  .filter(
    ([path, p]) =>
      path.startsWith('node_modules/') && !p.dev && !p.devOptional && !p.optional && !p.extraneous,
  )
  .map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 13)}@${p.version}`);
const missing = [...new Set(prod)].filter((id) => !inBom.has(id));
if (missing.length)
  problems.push(`${missing.length} production packages missing: ${missing.slice(0, 5).join(', ')}`);
const withoutPurl = bom.components.filter((c) => !c.purl).length;
if (withoutPurl) problems.push(`${withoutPurl} components without a purl`);
const licences = {};
for (const c of bom.components) {
  const ids = (c.licenses ?? []).map((l) => l.license?.id ?? l.license?.name ?? l.expression ?? '?');
  for (const id of ids.length ? ids : ['(none declared)']) licences[id] = (licences[id] ?? 0) + 1;
}
const summary = {
  at: new Date().toISOString(),
  file: 'dist/sbom.cdx.json',
  specVersion: bom.specVersion,
  serialNumber: bom.serialNumber ?? null,
  components: inBom.size,
  productionPackagesInLock: new Set(prod).size,
  licences,
  problems,
};
writeFileSync('dist/security/sbom-summary.json', JSON.stringify(summary, null, 2));
console.log(
  `SBOM: dist/sbom.cdx.json, CycloneDX ${bom.specVersion}, ${inBom.size} components ` +
    `(${summary.productionPackagesInLock} production packages in package-lock.json), ` +
    `${problems.length ? `PROBLEMS: ${problems.join('; ')}` : 'checked'}`,
);
process.exit(problems.length ? 1 : 0);
