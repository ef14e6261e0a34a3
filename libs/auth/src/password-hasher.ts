import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id through @node-rs/argon2 (prebuilt binaries, no compiler needed).
 * Parameters follow OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
 */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  /** A real hash of a random secret, verified against when the user does not exist. */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    // Unknown users and SSO-only users take the same time as a wrong password.
    const target =
      passwordHash ?? (await (this.dummyHash ??= hash('no-such-user-' + Math.random(), OPTIONS)));
    try {
      const ok = await verify(target, password);
      return ok && !!passwordHash;
    } catch {
      return false;
    }
  }
}
