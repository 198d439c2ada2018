import { uniqueEmail } from '../data';
import { expectStatus } from '../http';
import { api, bearer } from '../system';
import { addUser } from './flows';
import type { AddedUser } from './types';

/**
 * Users beyond a tenant's own (`/v1/users`): a disabled user, a user a partner adds to a customer
 * through delegated admin privileges, and the administrator access a partnership grants a provider
 * in its reseller's organisation.
 */

/** `addUser`, then `POST /v1/users/{id}/disable` by the same admin; 200. */
export async function addDisabledUser(
  admin: { token: string },
  options: { company?: string } = {},
): Promise<AddedUser> {
  const added = await addUser(admin.token, ['SalesAgent'], options);
  const user = expectStatus<AddedUser['user']>(
    await api('identity').post(`/v1/users/${added.user.id}/disable`).set(bearer(admin.token)),
    200,
  );
  if (!user.disabled) throw new Error(`The user ${user.id} was not disabled.`);
  return { ...added, user };
}

/** The body of `POST /v1/customers/{customerTenantId}/users`: a unique Billing admin by default. */
export function newCustomerUserBody(roles: string[] = ['BillingAdmin']) {
  return { firstName: 'Bea', lastName: 'Billing', email: uniqueEmail('bea', 'adatum'), roles };
}

/**
 * `POST /v1/customers/{customerTenantId}/users` as `partner`, which holds delegated admin
 * privileges for the customer (a customer it created has them); 201.
 */
export async function addCustomerUser(
  partner: { token: string },
  customerTenantId: string,
  roles: string[] = ['BillingAdmin'],
): Promise<AddedUser> {
  return expectStatus<AddedUser>(
    await api('identity')
      .post(`/v1/customers/${customerTenantId}/users`)
      .set(bearer(partner.token))
      .send(newCustomerUserBody(roles)),
    201,
  );
}

/** A customer user `partner` added and then deleted (soft: restorable), as `addCustomerUser`. */
export async function deletedCustomerUser(
  partner: { token: string },
  customerTenantId: string,
  roles: string[] = ['BillingAdmin'],
): Promise<AddedUser> {
  const added = await addCustomerUser(partner, customerTenantId, roles);
  expectStatus(
    await api('identity')
      .delete(`/v1/customers/${customerTenantId}/users/${added.user.id}`)
      .set(bearer(partner.token)),
    204,
  );
  return added;
}

/**
 * Bounded poll until `provider` may manage `resellerTenantId`'s users (the grant travels from
 * relationships to identity through the queue).
 * @throws Error when it does not arrive within `timeoutMs`.
 */
export async function waitForAdminAccess(
  provider: { token: string },
  resellerTenantId: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api('identity')
      .get(`/v1/organizations/${resellerTenantId}/users`)
      .set(bearer(provider.token));
    if (response.status === 200) return;
    if (Date.now() >= deadline) {
      throw new Error(`No administrator access after ${timeoutMs} ms: ${response.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
