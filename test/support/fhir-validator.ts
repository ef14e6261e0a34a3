/**
 * The FHIR document validator of the tests: HAPI FHIR's validator (HL7 org.hl7.fhir.validation
 * engine, R4 core from hapi-fhir-validation-resources-r4) with the NRCeS `ndhm.in` 2.0.1
 * conformance resources from a local package (test/fixtures/fhir/ndhm.in-2.0.1, sources in its
 * README.md). Installed from Maven Central by infra/scripts/fhir-validator.sh into the state
 * directory, outside the repo; runs offline. One JVM per call: validate every document of a test
 * file in one call (JVM start and snapshot generation cost a few seconds).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NRCES_IG_PACKAGE = resolve(__dirname, '../fixtures/fhir/ndhm.in-2.0.1');
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
export function validateFhir(resources: Record<string, unknown>): Record<string, ValidationIssue[]> {
  const classpath = run('bash', ['infra/scripts/fhir-validator.sh', 'classpath']).trim();
  const dir = mkdtempSync(join(tmpdir(), 'fhir-validate-'));
  try {
    const names = Object.keys(resources);
    const files = names.map((name, i) => {
      const file = join(dir, `${i}.json`);
      writeFileSync(file, JSON.stringify(resources[name]));
      return file;
    });
    // A short run: the C1 compiler alone and the serial collector start faster and use less CPU.
    const jvm = ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', classpath];
    const out = run('java', [...jvm, 'ValidateDocuments', NRCES_IG_PACKAGE, ...files]);
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
