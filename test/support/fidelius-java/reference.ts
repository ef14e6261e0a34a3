/**
 * Compiles and runs the Java/BouncyCastle reference implementation of the ABDM (Fidelius) scheme
 * (FideliusReference.java, beside this file) for the interoperability tests: one JVM per test
 * file, spoken to over stdin/stdout.
 *
 * Needs a JDK (javac, java) and BouncyCastle's provider jar from Maven Central: taken from the
 * local Maven repository, or fetched into it with `mvn dependency:get` when missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';

export const BOUNCY_CASTLE = 'org.bouncycastle:bcprov-jdk18on:1.78.1';
const JAVA_SOURCE = join(__dirname, 'FideliusReference.java');

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  return result.stdout;
}

/** Path of the BouncyCastle jar in the local Maven repository, fetching it if needed. */
export function bouncyCastleJar(): string {
  const [group, artifact, version] = BOUNCY_CASTLE.split(':');
  const repository = process.env.MAVEN_REPOSITORY ?? join(homedir(), '.m2', 'repository');
  const jar = join(repository, ...group.split('.'), artifact, version, `${artifact}-${version}.jar`);
  if (!existsSync(jar)) {
    run('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${BOUNCY_CASTLE}`]);
    if (!existsSync(jar)) throw new Error(`mvn dependency:get did not produce ${jar}`);
  }
  return jar;
}

export type ReferenceAnswer = { ok: true; values: string[] } | { ok: false; error: string };

/** A compiled reference implementation running in one JVM; `close()` ends it and removes its classes. */
export interface JavaReference {
  /** Sends the requests (one array of fields each); resolves with one answer per request. */
  call(requests: string[][]): Promise<ReferenceAnswer[]>;
  close(): Promise<void>;
}

export function startJavaReference(): JavaReference {
  const jar = bouncyCastleJar();
  const classes = mkdtempSync(join(tmpdir(), 'fidelius-java-'));
  run('javac', ['-encoding', 'UTF-8', '-cp', jar, '-d', classes, JAVA_SOURCE]);
  const jvm = spawn('java', ['-cp', [classes, jar].join(delimiter), 'FideliusReference'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let failure: Error | null = null;
  const waiting: {
    lines: string[];
    count: number;
    resolve: (lines: string[]) => void;
    reject: (e: Error) => void;
  }[] = [];
  const fail = (error: Error) => {
    failure = error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  jvm.on('error', (error) => fail(new Error(`java could not run: ${error.message}`)));
  jvm.on('exit', (code) => fail(new Error(`java exited with ${code}: ${stderr.slice(0, 2000)}`)));
  jvm.stdin.on('error', (error) => fail(new Error(`could not write to java: ${error.message}`)));
  jvm.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: jvm.stdout }).on('line', (line) => {
    const head = waiting[0];
    if (!head) return fail(new Error('unexpected output from the Java reference'));
    head.lines.push(line);
    if (head.lines.length === head.count) {
      waiting.shift();
      head.resolve(head.lines);
    }
  });

  return {
    async call(requests) {
      if (failure) throw failure;
      for (const fields of requests) {
        if (fields.some((field) => /[\t\n\r]/.test(field))) throw new Error('field with a tab or newline');
      }
      const lines = await new Promise<string[]>((resolve, reject) => {
        waiting.push({ lines: [], count: requests.length, resolve, reject });
        jvm.stdin.write(requests.map((fields) => fields.join('\t') + '\n').join(''));
      });
      return lines.map((line) => {
        const [status, ...values] = line.split('\t');
        return status === 'ok' ? { ok: true, values } : { ok: false, error: values[0] ?? 'unknown' };
      });
    },
    async close() {
      if (jvm.exitCode === null) {
        const exited = new Promise((resolve) => jvm.once('exit', resolve));
        jvm.stdin.end();
        await exited;
      }
      rmSync(classes, { recursive: true, force: true });
    },
  };
}
