import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id password hashing. `verifyOrBurn` runs a verification against a dummy hash when there is
 * no user, so that sign-in takes as long for an unknown email as for a wrong password.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
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
}
