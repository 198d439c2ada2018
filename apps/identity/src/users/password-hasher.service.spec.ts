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
});
