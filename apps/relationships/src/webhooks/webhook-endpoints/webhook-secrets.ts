import { openLink, sealLink } from '@app/platform';
import { randomBytes } from 'node:crypto';

/** Random bytes of a signing secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 32;

/**
 * A new endpoint signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random
 * bytes (what the `standardwebhooks` package's `Webhook` takes, prefix included).
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/**
 * The key a secret is sealed under: the deployment's `LINK_SEALING_KEY`, under a label of its own
 * so that a sealed secret and a sealed invitation link can never be swapped for each other.
 */
function keyOf(sealingKey: string): string {
  return `webhook-endpoint-secret\u0000${sealingKey}`;
}

/** `secret` sealed with AES-256-GCM (`sealLink`, `@app/platform`) for storage at rest. */
export function sealWebhookSecret(secret: string, sealingKey: string): string {
  return sealLink(secret, keyOf(sealingKey));
}

/** The secret `sealWebhookSecret` sealed. @throws Error when sealed under another key. */
export function openWebhookSecret(sealed: string, sealingKey: string): string {
  return openLink(sealed, keyOf(sealingKey));
}
