import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { PasswordHasher, passwordProblems } from '@hims/auth';
import { OperatorsRepository } from '@hims/platform';

/** The password: one line from stdin when piped, otherwise prompted without echo. */
export async function readPassword(prompt = 'Password: '): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += chunk;
    return data.split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(prompt);
  // Echo nothing of what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return line;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** platform operator create --email E [--name N]: argon2id, the staff password rules. Owner role (the CLI). */
export async function createOperator(
  ds: DataSource,
  args: string[],
  password?: string,
): Promise<{ id: string; email: string } | { error: string }> {
  const email = option(args, 'email')?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email))
    return {
      error:
        'usage: cli platform operator create --email <email> [--name <display name>] (password on stdin or prompted)',
    };
  const displayName = option(args, 'name')?.trim() || email;
  const secret = password ?? (await readPassword());
  const problems = passwordProblems(secret, email);
  if (problems.length) return { error: problems.join('; ') };
  if (await OperatorsRepository.findByEmail(ds, email))
    return { error: `an operator with this email already exists` };
  const id = await OperatorsRepository.create(ds, {
    email,
    displayName,
    passwordHash: await new PasswordHasher().hash(secret),
  });
  return { id, email };
}
