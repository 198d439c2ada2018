/**
 * The lifecycle of an access-token signing key, as pure decisions (the service applies them):
 * - `active`: the one key that signs; verifies; published in the JWKS.
 * - `previous`: replaced by a rotation; still verifies and is published until `retireAfter`, when
 *   every token it signed has expired (rotation time + access-token TTL + clock skew).
 * - `retired`: neither; its private half is destroyed.
 */
export type SigningKeyStatus = 'active' | 'previous' | 'retired';

/** Clock skew allowed between identity instances and verifiers, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

/** The fields the decisions read. */
export interface KeyLifecycle {
  status: SigningKeyStatus;
  createdAt: Date;
  retireAfter: Date | null;
}

/**
 * When a key replaced at `rotatedAt` may be retired: after the last token it can have signed has
 * expired. An instance may still sign with it until it notices the rotation (a few seconds), which
 * the skew covers.
 */
export function retireAfterFor(rotatedAt: Date, accessTokenTtlSeconds: number): Date {
  return new Date(rotatedAt.getTime() + (accessTokenTtlSeconds + CLOCK_SKEW_SECONDS) * 1000);
}

/** True while a key verifies tokens and is published: active, or previous before `retireAfter`. */
export function isVerifying(key: KeyLifecycle, now: Date): boolean {
  if (key.status === 'active') return true;
  if (key.status === 'previous') return key.retireAfter !== null && now < key.retireAfter;
  return false;
}

/** True when a previous key has outlived every token it signed and is to be retired. */
export function isDueForRetirement(key: KeyLifecycle, now: Date): boolean {
  return key.status === 'previous' && !isVerifying(key, now);
}

/** True when the active key is `rotationDays` old or older and is to be replaced. */
export function isDueForRotation(key: KeyLifecycle, now: Date, rotationDays: number): boolean {
  return (
    key.status === 'active' && now.getTime() - key.createdAt.getTime() >= rotationDays * 86_400_000
  );
}
