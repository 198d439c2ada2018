import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Invitation links carry the raw token, so they never rest in the clear: the producer seals the
 * link with AES-256-GCM under the deployment's `LINK_SEALING_KEY` before it goes into the outbox and
 * the queue, and the notifications worker opens it just before rendering.
 * Format: base64url(iv[12] | tag[16] | ciphertext).
 */
function keyFrom(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function sealLink(link: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secret), iv);
  const body = Buffer.concat([cipher.update(link, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** @throws Error when the sealed value was not produced with the same key (tampered or wrong key). */
export function openLink(sealed: string, secret: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
