import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { BoundedLane } from './bounded-lane';

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

/** The bound of the public routes' hashing (`PUBLIC_HASHING_CONCURRENCY`, `PUBLIC_HASHING_QUEUE`). */
export type PublicHashingConfig = Pick<
  IdentityConfig,
  'PUBLIC_HASHING_CONCURRENCY' | 'PUBLIC_HASHING_QUEUE'
>;

/**
 * argon2id password hashing with the OWASP parameters. `verifyOrBurn` runs a verification against
 * a dummy hash of the same parameters when there is no user, so that sign-in costs as much for an
 * unknown email as for a wrong password. `needsRehash` says when a stored hash was made with other
 * parameters (or another variant), so that sign-in can upgrade it while it holds the password.
 *
 * Public routes that hash a password anyone can send (enrollment, customer sign-up, password
 * reset) call `hashForPublicRoute`, never `hash`: their hashes run in a lane of their own,
 * `PUBLIC_HASHING_CONCURRENCY` at once (default 1) with at most `PUBLIC_HASHING_QUEUE` waiting
 * (default 16; one more is 503 `service.busy` with `Retry-After`), so a flood of sign-ups takes
 * a bounded share of the CPU and of libuv's four threads and sign-in (`verify`, not in the lane)
 * keeps its speed. Call it before opening a transaction: a request waiting for its turn must not
 * hold a database connection.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';
  private readonly publicLane: BoundedLane;

  constructor(@Optional() @Inject(APP_CONFIG) config?: PublicHashingConfig) {
    this.publicLane = new BoundedLane(
      config?.PUBLIC_HASHING_CONCURRENCY ?? 1,
      config?.PUBLIC_HASHING_QUEUE ?? 16,
    );
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  /** A PHC string `$argon2id$v=19$m=19456,p=1,t=2$<salt>$<hash>`. */
  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /**
   * `hash`, in the public routes' bounded lane (see the class): waits for a slot.
   * @throws 503 `service.busy` when `PUBLIC_HASHING_QUEUE` hashes wait already.
   */
  hashForPublicRoute(password: string): Promise<string> {
    return this.publicLane.run(() => this.hash(password));
  }

  /** Hashes of the public routes running and waiting now. */
  get publicLoad(): { active: number; waiting: number } {
    return this.publicLane.load;
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
