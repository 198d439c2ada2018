import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id parameters: OWASP Password Storage Cheat Sheet, "Argon2id": "a minimum configuration of
 * 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism"
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id).
 */
export const ARGON2_MEMORY_COST_KIB = 19_456;
/** OWASP: iteration count 2 (see `ARGON2_MEMORY_COST_KIB`). */
export const ARGON2_TIME_COST = 2;
/** OWASP: 1 degree of parallelism (see `ARGON2_MEMORY_COST_KIB`). */
export const ARGON2_PARALLELISM = 1;

/** The options every new hash is made with (argon2id, version 0x13, 32-byte output). */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: ARGON2_MEMORY_COST_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
} as const;

/**
 * argon2id password hashing with the OWASP parameters. `verifyOrBurn` runs a verification against
 * a dummy hash of the same parameters when there is no user, so that sign-in costs as much for an
 * unknown email as for a wrong password. `needsRehash` says when a stored hash was made with other
 * parameters (or another variant), so that sign-in can upgrade it while it holds the password.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  /** A PHC string `$argon2id$v=19$m=19456,p=1,t=2$<salt>$<hash>`. */
  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /** True when `password` matches `hash`; a malformed hash is a mismatch. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Verify against `hash`, or burn the same time against a dummy hash and answer false. */
  async verifyOrBurn(hash: string | undefined, password: string): Promise<boolean> {
    if (hash === undefined) {
      await this.verify(this.dummyHash, password);
      return false;
    }
    return this.verify(hash, password);
  }

  /**
   * True when `hash` is not an argon2id hash with the current parameters (another variant, other
   * memory/time/parallelism or version), or cannot be parsed.
   */
  needsRehash(hash: string): boolean {
    if (!hash.startsWith('$argon2id$')) return true;
    try {
      return argon2.needsRehash(hash, ARGON2_OPTIONS);
    } catch {
      return true;
    }
  }
}
