/**
 * The FHIR document validator of the tests: HAPI FHIR's validator (HL7 org.hl7.fhir.validation
 * engine, R4 core from hapi-fhir-validation-resources-r4), installed from Maven Central by
 * infra/scripts/fhir-validator.sh into the state directory, outside the repo; runs offline.
 * One JVM per call: validate every document of a test file in one call.
 *
 * Profiles: with no implementation-guide package (`igDir` null) the resources are checked
 * against R4 core with their `meta.profile` claims set aside (an unknown profile would be an
 * error). The NRCeS `ndhm.in` package is not on a registry this project reaches and may not be
 * committed, so the NRCeS profile check runs where an operator has the package
 * (HIMS_NRCES_IG_DIR; test/measure/nrces-profiles.measure-spec.ts, docs/fhir-documents.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A local copy of the NRCeS `ndhm.in` package, where an operator has one (never in the repo). */
export const NRCES_IG_PACKAGE: string | null = process.env.HIMS_NRCES_IG_DIR || null;

/** A deep copy without any `meta.profile` claim (for a check against R4 core alone). */
export function withoutProfiles<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && 'profile' in v && key === 'meta') {
      const rest = { ...(v as Record<string, unknown>) };
      delete rest.profile;
      return Object.keys(rest).length ? rest : undefined;
    }
    return v;
  }) as T;
}
const REPO = resolve(__dirname, '../..');

export interface ValidationIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  location: string;
  messageId: string | null;
  message: string;
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} exited with ${result.status}: ${result.stderr.slice(-3000)}`);
  return result.stdout;
}

/** Validates each named resource; answers the validator's issues per name. */
export function validateFhir(
  resources: Record<string, unknown>,
  igDir: string | null = null,
): Record<string, ValidationIssue[]> {
  const classpath = run('bash', ['infra/scripts/fhir-validator.sh', 'classpath']).trim();
  const dir = mkdtempSync(join(tmpdir(), 'fhir-validate-'));
  const packageDir = igDir ?? mkdtempSync(join(dir, 'no-ig-'));
  try {
    const names = Object.keys(resources);
    const files = names.map((name, i) => {
      const file = join(dir, `${i}.json`);
      writeFileSync(file, JSON.stringify(igDir ? resources[name] : withoutProfiles(resources[name])));
      return file;
    });
    // A short run: the C1 compiler alone and the serial collector start faster and use less CPU.
    const jvm = ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', classpath];
    const out = run('java', [...jvm, 'ValidateDocuments', packageDir, ...files]);
    const byFile = new Map<string, ValidationIssue[]>();
    for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
      const parsed = JSON.parse(line) as { file: string; issues: ValidationIssue[] };
      byFile.set(parsed.file, parsed.issues);
    }
    return Object.fromEntries(
      names.map((name, i) => {
        const issues = byFile.get(files[i]);
        if (!issues) throw new Error(`the validator said nothing about ${name}`);
        return [name, issues];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One readable line per issue. */
export function issueLines(issues: ValidationIssue[], severities: ValidationIssue['severity'][]): string[] {
  return issues
    .filter((i) => severities.includes(i.severity))
    .map((i) => `${i.severity} ${i.location}: ${i.message}`);
}
