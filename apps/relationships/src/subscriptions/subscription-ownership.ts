import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { ResellerRelationship } from '../reseller-relationships/reseller-relationship.entity';
import { Subscription } from './subscription.entity';

/**
 * Who may see and change a customer's subscription (DESIGN.md "Subscription"; issue "Trust between
 * partners who share a customer"). A subscription belongs to the partner that ordered it: only
 * that partner changes it. It is read:
 * - by the ordering partner;
 * - for an indirect provider's order, by the associated indirect reseller: the one named on the
 *   subscription (`associatedResellerMpnId`, seed 002 "Reseller (MPN ID)") or the one the
 *   provider's relationship with the customer is associated with (a new customer created on the
 *   reseller's behalf, a joint request). Read only.
 * Another partner of the same customer sees none of them, and changing one answers exactly as an id
 * that exists nowhere (404 `subscription.not_found`). Every caller also needs its own active
 * relationship with the customer (`requireActiveRelationship`). The customer's own admins read all
 * of them (`customer-subscriptions.service.ts`).
 */

/** The subscriptions of `customerId` that `partnerTenantId` may change: the ones it ordered. */
export function ownedBy(
  partnerTenantId: string,
  customerId: string,
): { customerId: string; partnerTenantId: string } {
  return { customerId, partnerTenantId };
}

/**
 * The subscriptions of `customerId` that `partnerTenantId` may read: its own orders, and the
 * orders of the indirect providers whose order or relationship with the customer associates it.
 */
export async function readableBy(
  em: EntityManager,
  partnerTenantId: string,
  customerId: string,
): Promise<FilterQuery<Subscription>> {
  const providers = await em.find(ResellerRelationship, {
    customerId,
    indirectResellerId: partnerTenantId,
    partnerType: 'indirect_provider',
    status: 'active',
  });
  const or: FilterQuery<Subscription>[] = [
    { partnerTenantId },
    { associatedResellerTenantId: partnerTenantId },
  ];
  if (providers.length > 0) {
    or.push({ partnerTenantId: { $in: providers.map((row) => row.partnerTenantId) } });
  }
  return { customerId, $or: or };
}
