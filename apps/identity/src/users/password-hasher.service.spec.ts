import * as argon2 from 'argon2';
import { PasswordHasher } from './password-hasher.service';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();
  beforeAll(() => hasher.onModuleInit());

  it('hashes with argon2id and the OWASP parameters (m=19456 KiB, t=2, p=1)', async () => {
    const hash = await hasher.hash('Correct Horse Battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(hasher.verify(hash, 'Correct Horse Battery')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'Correct Horse Battery!')).resolves.toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it('asks for a rehash of hashes made with other parameters or another variant', async () => {
    const older = await argon2.hash('pw', { type: argon2.argon2id, memoryCost: 8192, timeCost: 3 });
    const argon2i = await argon2.hash('pw', {
      type: argon2.argon2i,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(hasher.needsRehash(older)).toBe(true);
    expect(hasher.needsRehash(argon2i)).toBe(true);
    expect(hasher.needsRehash('not a hash')).toBe(true);
  });

  it('answers false for a malformed hash and for no user at all', async () => {
    await expect(hasher.verify('garbage', 'pw')).resolves.toBe(false);
    await expect(hasher.verifyOrBurn(undefined, 'pw')).resolves.toBe(false);
  });

  it('hashes for public routes one at a time by default, beside sign-in, refusing beyond its queue', async () => {
    const bounded = new PasswordHasher({ PUBLIC_HASHING_CONCURRENCY: 1, PUBLIC_HASHING_QUEUE: 2 });
    await bounded.onModuleInit();
    const stored = await bounded.hash('Sign-in password 1');
    const hashes = [1, 2, 3].map((i) => bounded.hashForPublicRoute(`Public password ${i}`));
    expect(bounded.publicLoad).toEqual({ active: 1, waiting: 2 });
    await expect(bounded.hashForPublicRoute('one too many')).rejects.toMatchObject({
      code: 'service.busy',
      status: 503,
    });
    // Sign-in's verification does not wait in the public lane.
    await expect(bounded.verify(stored, 'Sign-in password 1')).resolves.toBe(true);
    const done = await Promise.all(hashes);
    await expect(bounded.verify(done[2], 'Public password 3')).resolves.toBe(true);
    expect(bounded.publicLoad).toEqual({ active: 0, waiting: 0 });
  });
});
