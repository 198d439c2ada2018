import { dbRows } from '../database';
import { expectStatus } from '../http';
import { addActiveUser, enrollPartner, type EnrolledPartner } from '../identity/flows';
import { eventually } from '../poll';
import { tokenOfLink } from './partnerships';
import { acceptRelationship, draftRelationshipRequest } from './relationship-requests';
import { ROLE, createGdap, gdapBody, gdapRequest, type GdapRelationship } from './gdap';
import { addMember, assign, createGroup } from './gdap-access';

/**
 * The GDAP principals of the authorization matrix (issue 10): partner users who call the delegated
 * routes (identity's customer-users and directory-role routes) in the matrix's customer's
 * organisation (`World.providerCustomer`) with their own identity, each refused for one reason.
 * Every partner here has a reseller relationship with that customer **without** delegated admin
 * privileges, and every user is a Helpdesk agent (a role DAP never acts through), so only GDAP can
 * let them in:
 * - `noRelationship`: the Global admin of a partner with no delegated admin relationship with the
 *   customer → 404 `customer.not_found`, as for a customer that exists nowhere;
 * - `expired`: a member of a group whose assignment is on a relationship that reached its
 *   `endDateTime` (the lifecycle job expired it) → 403 `gdap.access_denied`;
 * - `withoutRole`: a member of a group assigned License Administrator only, on an active
 *   relationship (no delegated operation allows it) → 403 `gdap.access_denied`;
 * - `withoutMembership`: a user of the same partner in no group, while another group holds User
 *   Administrator on that relationship → 403 `gdap.access_denied`.
 * `allowed` is the control: a member of that User Administrator group, who lists the users.
 */
export type GdapParty = 'noRelationship' | 'expired' | 'withoutRole' | 'withoutMembership';

export interface GdapParties {
  tokens: Record<GdapParty, string>;
  /** A member of a group assigned User Administrator on the active relationship. */
  allowed: string;
}

/** A reseller relationship of `partner` with the customer (no delegated admin privileges). */
async function relate(
  partner: EnrolledPartner,
  customerAdmin: { token: string; email: string },
): Promise<void> {
  const sent = await draftRelationshipRequest(partner, { email: customerAdmin.email });
  await acceptRelationship(customerAdmin, tokenOfLink(sent.draft.link));
}

/** Created, locked and approved by `customerAdmin`: an active relationship of `partner`. */
async function approved(
  partner: EnrolledPartner,
  customerTenantId: string,
  customerAdmin: { token: string },
  roles: string[],
): Promise<GdapRelationship> {
  const created = await createGdap(
    partner.token,
    gdapBody(customerTenantId, {
      accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    }),
  );
  expectStatus(await gdapRequest(partner.token, created.id, 'lockForApproval'), 201);
  expectStatus(await gdapRequest(customerAdmin.token, created.id, 'approve'), 201);
  return created;
}

/** A new Helpdesk agent of `partner`, member of a new group assigned `roles` on `relationshipId`. */
async function memberWith(
  partner: EnrolledPartner,
  relationshipId: string,
  roles: string[],
): Promise<string> {
  const group = await createGroup(partner.token);
  const user = await addActiveUser(partner.token, ['HelpdeskAgent'], { company: 'fabrikam' });
  expectStatus(await addMember(partner.token, group.id, user.user.id), 204);
  await assign(partner.token, relationshipId, group.id, roles);
  return user.token;
}

/**
 * Builds the parties around the customer `customerTenantId`, whose Global admin `customerAdmin`
 * accepts the reseller relationships and approves the delegated admin relationships.
 */
export async function buildGdapParties(
  customerTenantId: string,
  customerAdmin: { token: string; email: string },
): Promise<GdapParties> {
  const [none, active, ended] = await Promise.all([
    enrollPartner({ partnerType: 'direct', country: 'US' }),
    enrollPartner({ partnerType: 'direct', country: 'US' }),
    enrollPartner({ partnerType: 'direct', country: 'US' }),
  ]);
  for (const partner of [none, active, ended]) await relate(partner, customerAdmin);

  const relationship = await approved(active, customerTenantId, customerAdmin, [
    ROLE.userAdministrator,
    ROLE.licenseAdministrator,
  ]);
  const allowed = await memberWith(active, relationship.id, [ROLE.userAdministrator]);
  const withoutRole = await memberWith(active, relationship.id, [ROLE.licenseAdministrator]);
  const withoutMembership = (
    await addActiveUser(active.token, ['HelpdeskAgent'], { company: 'fabrikam' })
  ).token;

  const ending = await approved(ended, customerTenantId, customerAdmin, [ROLE.userAdministrator]);
  const expired = await memberWith(ended, ending.id, [ROLE.userAdministrator]);
  await dbRows(
    'relationships',
    `update delegated_admin_relationship set end_at = now() - interval '1 second' where id = $1`,
    [ending.id],
  );
  await eventually('the relationship expired by the lifecycle job', async () => {
    const [row] = await dbRows<{ status: string }>(
      'relationships',
      'select status from delegated_admin_relationship where id = $1',
      [ending.id],
    );
    return row?.status === 'expired' ? true : undefined;
  });

  return {
    tokens: { noRelationship: none.token, expired, withoutRole, withoutMembership },
    allowed,
  };
}
