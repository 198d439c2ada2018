import { CompactEncrypt, JWK, compactDecrypt } from 'jose';

/**
 * The private half of a signing key at rest: a compact JWE (`alg: dir`, `enc: A256GCM`) under the
 * deployment key `SIGNING_KEY_ENCRYPTION_KEY`, its protected header naming the key's `kid`, so a
 * ciphertext copied onto another key's row does not decrypt as that key.
 */
const ALG = 'dir';
const ENC = 'A256GCM';

/** Encrypt a private JWK of key `kid` under the 32-byte `encryptionKey`. */
export function encryptPrivateJwk(
  privateJwk: JWK,
  kid: string,
  encryptionKey: Uint8Array,
): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(privateJwk)))
    .setProtectedHeader({ alg: ALG, enc: ENC, kid, cty: 'jwk+json' })
    .encrypt(encryptionKey);
}

/**
 * Decrypt the private JWK of key `kid`.
 * @throws Error naming the key when the deployment key differs from the one that encrypted it,
 * the ciphertext was altered, or it belongs to another key.
 */
export async function decryptPrivateJwk(
  jwe: string,
  kid: string,
  encryptionKey: Uint8Array,
): Promise<JWK> {
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, encryptionKey, {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
    });
    if (protectedHeader.kid !== kid) throw new Error(`it belongs to key ${protectedHeader.kid}`);
    return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
  } catch (error) {
    throw new Error(
      `cannot decrypt the private half of signing key ${kid} (is SIGNING_KEY_ENCRYPTION_KEY the one it was encrypted with?): ${(error as Error).message}`,
    );
  }
}
