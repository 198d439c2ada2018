import type { ReactElement } from 'react';

/**
 * What the signed-in organisation is, from `GET /v1/me`'s tenant: a partner by its partner type
 * (`indirect_provider`, `indirect_reseller`), a customer, or the platform operator.
 */
export type Audience = 'indirect_provider' | 'indirect_reseller' | 'customer' | 'operator';

/** Every audience, in the order the shell lists them. */
export const AUDIENCES: readonly Audience[] = [
  'indirect_provider',
  'indirect_reseller',
  'customer',
  'operator',
];

/**
 * One page of the portal. `path` is relative to `/portal` (no leading slash: `customers/:id`).
 * With `nav`, the shell's navigation links to it for the listed audiences; `labelKey` is an
 * i18next key with its namespace (`customers:nav.customers`).
 * Pages without `public: true` need a signed-in session (the shell sends others to sign-in, and
 * to the password change while the password is temporary).
 */
export interface PortalRoute {
  path: string;
  element: ReactElement;
  nav?: { labelKey: string; audience: Audience[] };
  /** Reachable without a session (sign-in, forgotten password, emailed links). */
  public?: boolean;
}
