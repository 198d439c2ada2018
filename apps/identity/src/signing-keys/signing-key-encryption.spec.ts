import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import { decryptPrivateJwk, encryptPrivateJwk } from './signing-key-encryption';

describe('signing key encryption at rest', () => {
  it('round-trips a private JWK as a compact JWE (dir, A256GCM) naming the kid', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const key = new Uint8Array(randomBytes(32));
    const jwe = await encryptPrivateJwk(jwk, 'kid-1', key);
    expect(jwe.split('.')).toHaveLength(5);
    const header = JSON.parse(Buffer.from(jwe.split('.')[0], 'base64url').toString('utf8')) as {
      alg: string;
      enc: string;
      kid: string;
    };
    expect(header).toMatchObject({ alg: 'dir', enc: 'A256GCM', kid: 'kid-1' });
    expect(jwe).not.toContain(String(jwk.d));
    await expect(decryptPrivateJwk(jwe, 'kid-1', key)).resolves.toEqual(jwk);
  });

  it('refuses another deployment key, an altered ciphertext and another key row, naming the key', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const key = new Uint8Array(randomBytes(32));
    const jwe = await encryptPrivateJwk(await exportJWK(privateKey), 'kid-1', key);
    await expect(decryptPrivateJwk(jwe, 'kid-1', new Uint8Array(randomBytes(32)))).rejects.toThrow(
      /signing key kid-1 .*SIGNING_KEY_ENCRYPTION_KEY/,
    );
    const parts = jwe.split('.');
    parts[3] = `${parts[3][0] === 'A' ? 'B' : 'A'}${parts[3].slice(1)}`;
    await expect(decryptPrivateJwk(parts.join('.'), 'kid-1', key)).rejects.toThrow(/kid-1/);
    await expect(decryptPrivateJwk(jwe, 'kid-2', key)).rejects.toThrow(/belongs to key kid-1/);
  });
});
