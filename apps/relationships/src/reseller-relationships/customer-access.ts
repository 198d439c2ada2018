import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { DomainError } from '@app/platform';
import { ResellerRelationship } from './reseller-relationship.entity';

/**
 * The caller's active reseller relationship with a customer: what lets a partner see the customer,
 * its subscriptions, and order for it (DESIGN.md "Subscription": only a partner with an active
 * relationship with the customer may order). Another partner's customer answers 404, as an
 * unknown one does.
 * @throws 404 `customer.not_found`.
 */
export async function requireActiveRelationship(
  em: EntityManager,
  partnerTenantId: string,
  customerId: string,
  lock = false,
): Promise<ResellerRelationship> {
  const relationship = await em.findOne(
    ResellerRelationship,
    { partnerTenantId, customerId, status: 'active' },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
  if (!relationship)
    throw new DomainError('customer.not_found', 404, 'The customer was not found.');
  return relationship;
}
