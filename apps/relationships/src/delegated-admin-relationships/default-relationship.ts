import { EntityManager } from '@mikro-orm/postgresql';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { DelegatedAdminRelationship } from './delegated-admin-relationship.entity';
import { addGdapDuration, parseGdapDuration } from './gdap-duration';

/**
 * The roles of the default GDAP relationship, from Partner Center's default role set for new
 * customers (Directory Readers, Directory Writers, Global Reader, License Administrator, Service
 * Support Administrator, User Administrator, Privileged Role Administrator, Helpdesk
 * Administrator, Privileged Authentication Administrator, Cloud Application Administrator,
 * Application Administrator) limited to the roles this platform supports (`GDAP_ROLES`):
 * Directory Readers, User Administrator, Helpdesk Administrator, License Administrator. Never
 * Global Administrator.
 */
export const DEFAULT_GDAP_ROLES: readonly string[] = [
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'fe930be7-5e62-47db-91af-98c3a49a38b1',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
];
/** The default relationship's duration: Partner Center's maximum and default, two years. */
export const DEFAULT_GDAP_DURATION = 'P730D';

/** The party fields the default relationship needs. */
export interface DefaultRelationshipParties {
  partner: { id: string; name: string };
  customer: { id: string; companyName: string };
}

/**
 * `enableGDAPByDefault` on `POST /v1/customers` (Partner Center, ../shared/reference/
 * partner-center-api.md §5.3): inside the transaction `tx` that writes the new customer, a default
 * delegated admin relationship between the creating partner and the customer, `active` at once
 * (no approval: the partner created the customer and its Global admin), `displayName`
 * `Default_<customer name>_<first 8 of its id>` (≤ 50 characters, unique among the partner's
 * relationships because of the id), `duration` P730D from now, `DEFAULT_GDAP_ROLES`,
 * `autoExtendDuration` PT0S (the partner may PATCH it to P180D). As in Partner Center, it gives
 * nobody access until the partner assigns security groups to it. One activity-log entry
 * (`delegated_admin_relationship.created`, `after.reason` `enableGDAPByDefault`) read by both.
 */
export async function createDefaultGdapRelationship(
  tx: EntityManager,
  activityLog: ActivityLogService,
  parties: DefaultRelationshipParties,
): Promise<DelegatedAdminRelationship> {
  const now = new Date();
  const suffix = `_${parties.customer.id.slice(0, 8)}`;
  const row = Object.assign(new DelegatedAdminRelationship(), {
    partnerTenantId: parties.partner.id,
    partnerName: parties.partner.name,
    customerTenantId: parties.customer.id,
    customerName: parties.customer.companyName,
    displayName: `Default_${parties.customer.companyName.slice(0, 50 - 8 - suffix.length)}${suffix}`,
    duration: DEFAULT_GDAP_DURATION,
    roles: [...DEFAULT_GDAP_ROLES],
    autoExtendDuration: 'PT0S',
    status: 'active' as const,
    createdAt: now,
    updatedAt: now,
    activatedAt: now,
    endAt: addGdapDuration(now, parseGdapDuration(DEFAULT_GDAP_DURATION)!),
  });
  tx.persist(row);
  await activityLog.record(tx, {
    type: 'delegated_admin_relationship.created',
    tenantIds: [parties.partner.id, parties.customer.id],
    customerId: parties.customer.id,
    resource: { type: 'delegated_admin_relationship', id: row.id },
    after: {
      displayName: row.displayName,
      duration: row.duration,
      customerTenantId: row.customerTenantId,
      roles: row.roles,
      autoExtendDuration: row.autoExtendDuration,
      status: row.status,
      endDateTime: row.endAt.toISOString(),
      reason: 'enableGDAPByDefault',
    },
  });
  return row;
}
