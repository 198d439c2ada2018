import { expectStatus } from './http';
import { activateUser, enrollPartner, type EnrolledPartner } from './identity/flows';
import { OFFER_ID } from './relationships/customers';
import { partner } from './relationships/partnerships';
import {
  acceptRelationship,
  draftRelationshipRequest,
} from './relationships/relationship-requests';
import { tokenOfLink } from './relationships/partnerships';
import type { Subscription } from './relationships/types';
import { api, bearer } from './system';
import type { World } from './world';

/** The GDAP relationships route (Graph's) and the User Administrator role template id. */
const GDAP_PATH = '/v1/tenantRelationships/delegatedAdminRelationships';
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

/**
 * The harder parties of a channel, for the authorization matrix (issue 9): beside the stranger
 * tenant of `World.other`, partners that share the world's customer, and principals whose grant
 * has ended. All of them hold every partner permission (each is a partner's Global admin), so the
 * guard lets them through and only the rule of the route can refuse them.
 */

/** Who calls a route in the place of the world's own provider or reseller. */
export type SharedParty = 'coPartner' | 'formerPartner' | 'formerProvider';

export interface SharedCustomerWorld {
  /**
   * An indirect provider with its own reseller relationship (and delegated admin privileges) with
   * the customer the world's provider created (`providerCustomer`), and its own subscription on it:
   * the customer's second partner, a competitor of the world's provider and reseller.
   */
  coPartner: EnrolledPartner;
  /** The co-partner's subscription on the shared customer (the world's partners must not reach it). */
  coPartnerSubscription: Subscription;
  /**
   * A direct partner that had a reseller relationship with delegated admin privileges with the
   * same customer; the customer revoked the privileges and the partner removed the relationship.
   */
  formerPartner: EnrolledPartner;
  /**
   * An indirect provider that had a partnership with the world's reseller (and administrator access
   * to its organisation, and an active delegated admin relationship with it, issue 10); the
   * reseller withdrew the access and removed the partnership, which terminated the relationship.
   */
  formerProvider: EnrolledPartner;
  /** The shared customer's Global admin (signed in: it accepts and approves for the customer). */
  customerAdmin: { token: string; email: string };
}

/**
 * The routes where a party that shares the customer legitimately succeeds with the same call as
 * the world's provider or reseller, and why. Every other call naming the customer or its partners'
 * resources must be refused exactly as for ids that exist nowhere. An allowed call's answer must
 * still carry nothing of the world's partners (their tenant ids, subscriptions, users).
 */
export const SHARED_CUSTOMER_ALLOWED: Record<string, Partial<Record<SharedParty, string>>> = {
  'GET /v1/customers/:id': {
    coPartner: 'its own reseller relationship with the same customer: it reads the customer',
  },
  'GET /v1/customers/:id/profiles/company': {
    coPartner: 'its own reseller relationship with the same customer: it reads its company profile',
  },
  'GET /v1/customers/:id/profiles/billing': {
    coPartner: 'its own reseller relationship with the same customer: it reads its billing profile',
  },
  'PUT /v1/customers/:id/profiles/billing': {
    coPartner:
      "its own reseller relationship: the customer's one billing profile is shared by its partners, as in Partner Center (the etag keeps them from overwriting each other)",
  },
  'GET /v1/customers/:id/agreements': {
    coPartner:
      "its own confirmations and the customer's own acceptance of the Customer Agreement, never the world's partners' confirmations",
  },
  'POST /v1/customers/:id/agreements': {
    coPartner:
      "its own reseller relationship with the same customer: it confirms the customer's acceptance for its own orders",
  },
  'GET /v1/customers/:id/relationships': {
    coPartner:
      "the customer's indirect resellers it partners with: none here (the world's reseller is not its partner)",
  },
  'GET /v1/customers/:customerId/subscriptions': {
    coPartner: 'its own subscriptions on the shared customer, not the ones the world ordered',
  },
  'POST /v1/customers/:customerId/subscriptions': {
    coPartner: 'it orders its own subscription for a customer it has a relationship with',
  },
  'GET /v1/customers/:customerTenantId/users': {
    coPartner:
      "its own delegated admin privileges for the customer: it manages the customer's users (seeds 000/004)",
  },
  'POST /v1/tenantRelationships/delegatedAdminRelationships': {
    coPartner:
      'its own reseller relationship with the shared customer: it asks for its own delegated admin relationship',
  },
  'POST /v1/customers/:customerTenantId/users': {
    coPartner: 'its own delegated admin privileges for the customer',
  },
  'POST /v1/customers/:customerTenantId/users/:userId/password-reset': {
    coPartner:
      "its own delegated admin privileges: a delegated manager resets the customer's non-admin users",
  },
  'GET /v1/customers/:customerTenantId/users/:userId': {
    coPartner: "its own delegated admin privileges: it reads the customer's users",
  },
  'DELETE /v1/customers/:customerTenantId/users/:userId': {
    coPartner:
      "its own delegated admin privileges: a delegated manager deletes the customer's non-admin users",
  },
  'PATCH /v1/customers/:customerTenantId/users/:userId': {
    coPartner: "its own delegated admin privileges: it restores the customer's deleted users",
  },
  'GET /v1/customers/:customerTenantId/users/:userId/directoryroles': {
    coPartner: "its own delegated admin privileges: it reads the customer's users' roles",
  },
  'GET /v1/customers/:customerTenantId/directoryroles': {
    coPartner: "its own delegated admin privileges: it reads the customer's directory roles",
  },
  'GET /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers': {
    coPartner: "its own delegated admin privileges: it reads the customer's role members",
  },
  'POST /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers': {
    coPartner:
      'its own delegated admin privileges: it grants the roles a delegated manager may grant',
  },
  'DELETE /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers/:userId': {
    coPartner:
      'its own delegated admin privileges: it takes the roles a delegated manager may grant',
  },
};

/** `POST /v1/customers/relationship-requests` as `partner`, accepted by the customer's admin. */
async function relationshipWith(
  partnerCaller: EnrolledPartner,
  customerAdmin: { token: string; email: string },
): Promise<void> {
  const sent = await draftRelationshipRequest(partnerCaller, {
    email: customerAdmin.email,
    delegatedAdmin: true,
  });
  await acceptRelationship(customerAdmin, tokenOfLink(sent.draft.link));
}

/** Builds the co-partner and the two ended grants around `world` (through the API only). */
export async function buildSharedCustomerWorld(world: World): Promise<SharedCustomerWorld> {
  const customerId = world.providerCustomer.id;
  const adminEmail = world.providerCustomer.userCredentials.userName;
  const [coPartner, formerPartner, formerProvider, admin] = await Promise.all([
    enrollPartner({ partnerType: 'indirect_provider', country: 'US' }),
    enrollPartner({ partnerType: 'direct', country: 'US' }),
    enrollPartner({ partnerType: 'indirect_provider', country: 'US' }),
    activateUser(adminEmail, world.providerCustomer.userCredentials.password),
  ]);
  const customerAdmin = { token: admin.token, email: adminEmail };
  await relationshipWith(coPartner, customerAdmin);
  await relationshipWith(formerPartner, customerAdmin);
  const coPartnerSubscription = expectStatus<Subscription>(
    await api('relationships')
      .post(`/v1/customers/${customerId}/subscriptions`)
      .set(bearer(coPartner.token))
      .send({ offerId: OFFER_ID, quantity: 4 }),
    201,
  );

  // The customer revokes the former partner's delegated admin privileges; the partner then
  // removes its relationship.
  expectStatus(
    await api('relationships')
      .delete(`/v1/partners/${formerPartner.tenantId}/delegated-admin`)
      .set(bearer(customerAdmin.token)),
    200,
  );
  expectStatus(
    await api('relationships')
      .patch(`/v1/customers/${customerId}`)
      .set(bearer(formerPartner.token))
      .send({ relationshipToPartner: 'none' }),
    200,
  );

  // The former provider also held a delegated admin relationship with the reseller (issue 10),
  // approved by the reseller's Global admin; the partnership's removal below terminates it.
  await partner(formerProvider, world.reseller);
  const gdap = expectStatus<{ id: string }>(
    await api('relationships')
      .post(GDAP_PATH)
      .set(bearer(formerProvider.token))
      .send({
        displayName: `Former provider ${formerProvider.tenantId.slice(0, 8)}`,
        duration: 'P30D',
        customer: { tenantId: world.reseller.tenantId },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: USER_ADMINISTRATOR }] },
      }),
    201,
  );
  for (const [token, action] of [
    [formerProvider.token, 'lockForApproval'],
    [world.reseller.token, 'approve'],
  ] as const) {
    expectStatus(
      await api('relationships')
        .post(`${GDAP_PATH}/${gdap.id}/requests`)
        .set(bearer(token))
        .send({ action }),
      201,
    );
  }
  // The reseller withdraws the former provider's administrator access, then the partnership.
  expectStatus(
    await api('identity')
      .delete(`/v1/admin-access/${formerProvider.tenantId}`)
      .set(bearer(world.reseller.token)),
    204,
  );
  expectStatus(
    await api('relationships')
      .delete(`/v1/relationships/${formerProvider.tenantId}`)
      .set(bearer(world.reseller.token))
      .send({ confirm: true }),
    204,
  );
  const ended = expectStatus<{ status: string }>(
    await api('relationships').get(`${GDAP_PATH}/${gdap.id}`).set(bearer(formerProvider.token)),
    200,
  );
  if (ended.status !== 'terminated') {
    throw new Error(`The former provider's relationship is ${ended.status}, not terminated.`);
  }
  return { coPartner, coPartnerSubscription, formerPartner, formerProvider, customerAdmin };
}
