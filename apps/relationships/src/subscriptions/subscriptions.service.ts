import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { Collection, cursorCollection, DomainError, timestampCursorAfter } from '@app/platform';
import { TenantSnapshot } from '@app/contracts';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { PartnershipsService } from '../partnerships/partnerships.service';
import { requireActiveRelationship } from '../reseller-relationships/customer-access';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import {
  OrderSubscriptionDto,
  SubscriptionResponse,
  UpdateSubscriptionDto,
} from './dto/subscription.dto';
import { toSubscriptionResponse } from './dto/subscription.response';
import { Offer, assertQuantity, requireOffer } from './offer-catalog';
import { ownedBy, readableBy } from './subscription-ownership';
import { Subscription } from './subscription.entity';

/** How many of the subscriptions that block a relationship's removal its 409 lists. */
const ACTIVE_SUBSCRIPTIONS_LISTED = 50;

/** The associated reseller of a subscription: it earns the incentives (seed 002). */
interface AssociatedReseller {
  tenantId: string;
  mpnId: string;
}

/** The designated support contact of a subscription (seed 002): one of the provider's resellers. */
interface SupportContact {
  id: string;
  name: string;
  mpnId: string | null;
}

/** An order that passed every check and only needs to be written. */
export interface PreparedOrder {
  offer: Offer;
  quantity: number;
  associatedReseller: AssociatedReseller | null;
  supportContact: SupportContact | null;
}

/**
 * Subscriptions of customers (seed 002 "Add new subscriptions to customer accounts", "Designated
 * support contact"): ordered by a partner with an active reseller relationship with the customer,
 * changed only by that partner and read by it and its associated indirect reseller
 * (`subscription-ownership.ts`).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly partnerships: PartnershipsService,
    private readonly activityLog: ActivityLogService,
  ) {}

  /**
   * The customer's subscriptions the caller may read (`readableBy`: the ones it ordered and, for
   * an indirect reseller, the orders of the indirect providers that associate it; never another
   * partner's), oldest first, keyset paginated on (createdAt, id) by `em.findByCursor` (without its
   * count query).
   * @throws 404 `customer.not_found` without an active relationship of the caller;
   *   400 `request.invalid_cursor`.
   */
  async list(
    caller: Caller,
    customerId: string,
    page: { size: number; seek?: string },
  ): Promise<Collection<SubscriptionResponse>> {
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const after = timestampCursorAfter(page.seek);
    const rows = await this.em.findByCursor(
      Subscription,
      await readableBy(this.em, caller.tenantId, customerId),
      { first: page.size, after, orderBy: { createdAt: 'asc', id: 'asc' }, includeCount: false },
    );
    return cursorCollection(
      rows,
      toSubscriptionResponse,
      (seek) => `/v1/customers/${customerId}/subscriptions?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Order a subscription for a customer.
   * @throws 403 `partner.not_active`; 404 `customer.not_found`; 400 `subscription.unknown_offer`,
   *   400 `subscription.invalid_quantity`; 422 `subscription.invalid_associated_reseller`,
   *   422 `subscription.invalid_support_contact`.
   */
  async order(
    caller: Caller,
    customerId: string,
    dto: OrderSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    const partner = await this.tenants.requireActivePartner(caller);
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const prepared = await this.prepareOrder(partner, dto);
    const subscription = await this.em.transactional(async (tx) => {
      await requireActiveRelationship(tx, caller.tenantId, customerId, true);
      const added = this.addPrepared(tx, caller, customerId, prepared);
      await this.activityLog.record(tx, {
        type: 'subscription.created',
        actor: caller,
        tenantIds: this.tenantsConcerned(customerId, added),
        resource: { type: 'subscription', id: added.id },
        customerId,
        after: toSubscriptionResponse(added),
      });
      return added;
    });
    return toSubscriptionResponse(subscription);
  }

  /**
   * Change a subscription the caller ordered (`ownedBy`): quantity (within the offer's range),
   * associated reseller and designated support contact (`null` clears), status (`active` /
   * `suspended`).
   * @throws 404 `customer.not_found`, 404 `subscription.not_found` (unknown, or ordered by another
   *   partner: the same answer), and the checks of `order`.
   */
  async update(
    caller: Caller,
    customerId: string,
    subscriptionId: string,
    dto: UpdateSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    const partner = await this.tenants.requireActivePartner(caller);
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const associatedReseller =
      dto.associatedResellerMpnId === undefined || dto.associatedResellerMpnId === null
        ? dto.associatedResellerMpnId
        : await this.resolveAssociatedReseller(partner, dto.associatedResellerMpnId);
    const supportContact =
      dto.designatedSupportContactId === undefined || dto.designatedSupportContactId === null
        ? dto.designatedSupportContactId
        : await this.resolveSupportContact(partner, dto.designatedSupportContactId);

    const subscription = await this.em.transactional(async (tx) => {
      await requireActiveRelationship(tx, caller.tenantId, customerId, true);
      // Only the partner that ordered it changes it: another partner's subscription answers as
      // one that exists nowhere.
      const row = await tx.findOne(
        Subscription,
        { id: subscriptionId, ...ownedBy(caller.tenantId, customerId) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row)
        throw new DomainError('subscription.not_found', 404, 'The subscription was not found.');
      const before = toSubscriptionResponse(row);
      if (dto.quantity !== undefined) {
        assertQuantity(requireOffer(row.offerId), dto.quantity);
        row.quantity = dto.quantity;
      }
      if (associatedReseller !== undefined) {
        row.associatedResellerMpnId = associatedReseller?.mpnId ?? null;
        row.associatedResellerTenantId = associatedReseller?.tenantId ?? null;
      }
      if (supportContact !== undefined) {
        row.designatedSupportContactId = supportContact?.id ?? null;
        row.designatedSupportContactName = supportContact?.name ?? null;
        row.designatedSupportContactMpnId = supportContact?.mpnId ?? null;
      }
      if (dto.status !== undefined) row.status = dto.status;
      row.updatedAt = new Date();
      await this.activityLog.record(tx, {
        type: 'subscription.updated',
        actor: caller,
        tenantIds: this.tenantsConcerned(customerId, row),
        resource: { type: 'subscription', id: row.id },
        customerId,
        before: withoutFormerParties(before, toSubscriptionResponse(row)),
        after: toSubscriptionResponse(row),
      });
      return row;
    });
    return toSubscriptionResponse(subscription);
  }

  /**
   * Check an order without writing anything: the offer exists, the quantity is in range, the
   * associated reseller and the designated support contact are indirect resellers with an active
   * partnership with the ordering indirect provider.
   */
  async prepareOrder(partner: TenantSnapshot, dto: OrderSubscriptionDto): Promise<PreparedOrder> {
    const offer = requireOffer(dto.offerId);
    assertQuantity(offer, dto.quantity);
    const associatedReseller = dto.associatedResellerMpnId
      ? await this.resolveAssociatedReseller(partner, dto.associatedResellerMpnId)
      : null;
    const supportContact = dto.designatedSupportContactId
      ? await this.resolveSupportContact(partner, dto.designatedSupportContactId)
      : null;
    return { offer, quantity: dto.quantity, associatedReseller, supportContact };
  }

  /**
   * Persist a prepared order in the caller's transaction (`tx`). The caller has checked the
   * relationship, and records the change's one activity log event (`subscription.created`, or the
   * `customer.created` of a new customer with its initial subscriptions).
   */
  addPrepared(
    tx: EntityManager,
    caller: Caller,
    customerId: string,
    prepared: PreparedOrder,
  ): Subscription {
    const now = new Date();
    const subscription = Object.assign(new Subscription(), {
      customerId,
      partnerTenantId: caller.tenantId,
      offerId: prepared.offer.id,
      quantity: prepared.quantity,
      status: 'active',
      associatedResellerMpnId: prepared.associatedReseller?.mpnId ?? null,
      associatedResellerTenantId: prepared.associatedReseller?.tenantId ?? null,
      designatedSupportContactId: prepared.supportContact?.id ?? null,
      designatedSupportContactName: prepared.supportContact?.name ?? null,
      designatedSupportContactMpnId: prepared.supportContact?.mpnId ?? null,
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<Subscription>);
    tx.persist(subscription);
    return subscription;
  }

  /**
   * A partner whose reseller relationship with a customer ends must leave no active subscription
   * it ordered behind (Partner Center: suspend or cancel them first): once the relationship is
   * gone nobody could suspend them. Only the partner's own orders count (`ownedBy`): an indirect
   * provider's orders that name the removing reseller stay managed by the provider, and a
   * suspended subscription does not block. Call it in the removal's transaction after locking the
   * relationship row (ordering and reactivating lock it too, so none slips in meanwhile).
   * @throws 409 `customer.active_subscriptions` with `data: [{ id, offerId, offerName, status }]`
   *   (the first 50; the description gives the total).
   */
  async assertNoActiveSubscriptions(
    tx: EntityManager,
    partnerTenantId: string,
    customerId: string,
  ): Promise<void> {
    const where = { ...ownedBy(partnerTenantId, customerId), status: 'active' as const };
    const [rows, totalCount] = await tx.findAndCount(Subscription, where, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: ACTIVE_SUBSCRIPTIONS_LISTED,
    });
    if (totalCount === 0) return;
    throw new DomainError(
      'customer.active_subscriptions',
      409,
      `You have ${totalCount} active subscription(s) for this customer: suspend them before removing the relationship.`,
      rows.map((row) => {
        const { id, offerId, offerName, status } = toSubscriptionResponse(row);
        return { id, offerId, offerName, status };
      }),
    );
  }

  /**
   * The organisations a subscription concerns (who read its activity log events): the customer,
   * the ordering partner, and the resellers named on the subscription.
   */
  tenantsConcerned(customerId: string, subscription: Subscription): string[] {
    return [
      customerId,
      subscription.partnerTenantId,
      ...(subscription.associatedResellerTenantId ? [subscription.associatedResellerTenantId] : []),
      ...(subscription.designatedSupportContactId ? [subscription.designatedSupportContactId] : []),
    ];
  }

  /**
   * The associated reseller, by Partner ID (MPN ID): an indirect reseller with an active
   * partnership with the ordering indirect provider (seed 002 "Reseller (MPN ID) field").
   * @throws 422 `subscription.invalid_associated_reseller`.
   */
  private async resolveAssociatedReseller(
    partner: TenantSnapshot,
    mpnId: string,
  ): Promise<AssociatedReseller> {
    if (partner.partner?.partnerType !== 'indirect_provider') {
      throw new DomainError(
        'subscription.invalid_associated_reseller',
        422,
        'Only an indirect provider associates an indirect reseller with a subscription.',
        { mpnId },
      );
    }
    const partnership = await this.partnerships.findActiveResellerByMpnId(partner.id, mpnId);
    if (!partnership) {
      throw new DomainError(
        'subscription.invalid_associated_reseller',
        422,
        `No indirect reseller with Partner ID ${mpnId} has an active partnership with you.`,
        { mpnId },
      );
    }
    return { tenantId: partnership.resellerTenantId, mpnId };
  }

  /**
   * The designated support contact: one of the ordering indirect provider's indirect resellers
   * (seed 002 "Designated support contact list").
   * @throws 422 `subscription.invalid_support_contact`.
   */
  private async resolveSupportContact(
    partner: TenantSnapshot,
    resellerTenantId: string,
  ): Promise<SupportContact> {
    const invalid = (description: string) =>
      new DomainError('subscription.invalid_support_contact', 422, description, {
        designatedSupportContactId: resellerTenantId,
      });
    if (partner.partner?.partnerType !== 'indirect_provider') {
      throw invalid('Only an indirect provider designates a support contact for a subscription.');
    }
    if (!(await this.partnerships.isActive(partner.id, resellerTenantId))) {
      throw invalid('The designated support contact must be one of your indirect resellers.');
    }
    const reseller = (await this.tenants.getMany([resellerTenantId])).get(resellerTenantId);
    if (!reseller) throw invalid('The designated support contact was not found.');
    return { id: reseller.id, name: reseller.name, mpnId: reseller.partner?.mpnId ?? null };
  }
}

/**
 * `before` of a `subscription.updated` event as every reader of the event may see it: the event
 * goes to the parties of the subscription after the change (`tenantsConcerned`), so an associated
 * reseller or designated support contact that was replaced is withheld (`formerPartiesWithheld`)
 * instead of being shown to its successor, a co-partner of the same customer.
 */
export function withoutFormerParties(
  before: SubscriptionResponse,
  after: SubscriptionResponse,
): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...before };
  const withheld: string[] = [];
  if (before.associatedResellerMpnId !== after.associatedResellerMpnId) {
    delete shown.associatedResellerMpnId;
    withheld.push('associatedResellerMpnId');
  }
  if (before.designatedSupportContact?.id !== after.designatedSupportContact?.id) {
    delete shown.designatedSupportContact;
    withheld.push('designatedSupportContact');
  }
  if (withheld.length > 0) shown.formerPartiesWithheld = withheld;
  return shown;
}
