import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import {
  Collection,
  cursorCollection,
  DomainError,
  requireIfMatch,
  timestampCursorAfter,
} from '@app/platform';
import { TenantSnapshot } from '@app/contracts';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { assertCustomerAgreementConfirmed } from '../customer-agreements/customer-agreement-records';
import { PartnershipsService } from '../partnerships/partnerships.service';
import { requireActiveRelationship } from '../reseller-relationships/customer-access';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import {
  OrderSubscriptionDto,
  PutSupportContactDto,
  SubscriptionResponse,
  SupportContactResponse,
  UpdateSubscriptionDto,
} from './dto/subscription.dto';
import {
  subscriptionTag,
  toSubscriptionResponse,
  toSupportContactResponse,
} from './dto/subscription.response';
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
  /** The partner's name for the subscription; null: the offer's name. */
  friendlyName: string | null;
  /** The ordering partner's Partner ID (MPN ID). */
  partnerMpnId: string | null;
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
    page: { size: number; seek?: string; mpn_id?: string },
  ): Promise<Collection<SubscriptionResponse>> {
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const after = timestampCursorAfter(page.seek);
    const readable = await readableBy(this.em, caller.tenantId, customerId);
    // `partnerId` is the associated reseller's Partner ID when one is named, else the orderer's.
    const where: FilterQuery<Subscription> = page.mpn_id
      ? {
          $and: [
            readable,
            {
              $or: [
                { associatedResellerMpnId: page.mpn_id },
                { associatedResellerMpnId: null, partnerMpnId: page.mpn_id },
              ],
            },
          ],
        }
      : readable;
    const rows = await this.em.findByCursor(Subscription, where, {
      first: page.size,
      after,
      orderBy: { createdAt: 'asc', id: 'asc' },
      includeCount: false,
    });
    const filter = page.mpn_id ? `&mpn_id=${page.mpn_id}` : '';
    return cursorCollection(
      rows,
      toSubscriptionResponse,
      (seek) => `/v1/customers/${customerId}/subscriptions?size=${page.size}${filter}&seek=${seek}`,
    );
  }

  /**
   * Order a subscription for a customer, once the customer's acceptance of the Customer Agreement
   * stands for the caller (`assertCustomerAgreementConfirmed`).
   * @throws 403 `partner.not_active`; 404 `customer.not_found`; 403
   *   `customer_agreement.confirmation_required` (13605); 400 `subscription.unknown_offer`,
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
    await assertCustomerAgreementConfirmed(this.em, caller.tenantId, customerId);
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
   * One subscription the caller may read (`readableBy`: its own order, or for an indirect reseller
   * an order of an indirect provider that associates it).
   * @throws 404 `customer.not_found` without an active relationship of the caller; 404
   *   `subscription.not_found` (unknown, or another partner's: the same answer).
   */
  async get(caller: Caller, customerId: string, subscriptionId: string): Promise<Subscription> {
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const row = await this.em.findOne(Subscription, {
      $and: [{ id: subscriptionId }, await readableBy(this.em, caller.tenantId, customerId)],
    });
    if (!row) throw subscriptionNotFound();
    return row;
  }

  /** `get` as Partner Center's Subscription. */
  async getOne(
    caller: Caller,
    customerId: string,
    subscriptionId: string,
  ): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.get(caller, customerId, subscriptionId));
  }

  /**
   * Change a subscription the caller ordered (`ownedBy`), under `If-Match` (Partner Center's PATCH
   * subscription): quantity (within the offer's range), friendly name, associated reseller and
   * designated support contact (`null` clears), status (`active` / `suspended`).
   * @throws 404 `customer.not_found`, 404 `subscription.not_found` (unknown, or ordered by another
   *   partner, or an associated reseller's read-only one: the same answer), 428
   *   `request.precondition_required` (no `If-Match`), 412 `request.etag_mismatch` (stale), and
   *   the checks of `order`.
   */
  async update(
    caller: Caller,
    customerId: string,
    subscriptionId: string,
    dto: UpdateSubscriptionDto,
    ifMatch: string | string[] | undefined,
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
    const row = await this.change(caller, customerId, subscriptionId, ifMatch, (row) => {
      if (dto.quantity !== undefined) {
        assertQuantity(requireOffer(row.offerId), dto.quantity);
        row.quantity = dto.quantity;
      }
      if (dto.friendlyName !== undefined) row.friendlyName = dto.friendlyName;
      if (associatedReseller !== undefined) {
        row.associatedResellerMpnId = associatedReseller?.mpnId ?? null;
        row.associatedResellerTenantId = associatedReseller?.tenantId ?? null;
      }
      if (supportContact !== undefined) setSupportContact(row, supportContact);
      if (dto.status !== undefined) row.status = dto.status;
    });
    return toSubscriptionResponse(row);
  }

  /**
   * Partner Center's SupportContact of a subscription the caller may read: the designated support
   * contact, or the ordering partner when none is designated (the default).
   * @throws as `get`.
   */
  async getSupportContact(
    caller: Caller,
    customerId: string,
    subscriptionId: string,
  ): Promise<SupportContactResponse> {
    const row = await this.get(caller, customerId, subscriptionId);
    return toSupportContactResponse(row, await this.orderingPartner(row));
  }

  /**
   * Designate the support contact of a subscription the caller ordered (Partner Center's PUT
   * supportcontact; seed 002 "Designated support contact list"): one of the ordering indirect
   * provider's indirect resellers (an active partnership), or the provider itself, which clears
   * the designation (back to the default). `supportMpnId`, when given, must be that partner's.
   * @throws 404 as `update`; 422 `subscription.invalid_support_contact` (not a provider, not one of
   *   its resellers, or a `supportMpnId` that is not the partner's).
   */
  async putSupportContact(
    caller: Caller,
    customerId: string,
    subscriptionId: string,
    dto: PutSupportContactDto,
  ): Promise<SupportContactResponse> {
    const partner = await this.tenants.requireActivePartner(caller);
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const contact =
      dto.supportTenantId === caller.tenantId
        ? null
        : await this.resolveSupportContact(partner, dto.supportTenantId);
    const mpnId = contact ? contact.mpnId : (partner.partner?.mpnId ?? null);
    if (dto.supportMpnId !== undefined && dto.supportMpnId !== null && dto.supportMpnId !== mpnId) {
      throw new DomainError(
        'subscription.invalid_support_contact',
        422,
        `The Partner ID ${dto.supportMpnId} is not the Partner ID of the support contact named by supportTenantId.`,
        { supportTenantId: dto.supportTenantId, supportMpnId: dto.supportMpnId },
      );
    }
    const row = await this.change(caller, customerId, subscriptionId, null, (row) =>
      setSupportContact(row, contact),
    );
    return toSupportContactResponse(row, partner);
  }

  /**
   * Lock a subscription the caller ordered, check `If-Match` (unless `ifMatch` is null: a change
   * Partner Center does not guard), apply `apply`, raise its version and record one
   * `subscription.updated`, in one transaction.
   */
  private async change(
    caller: Caller,
    customerId: string,
    subscriptionId: string,
    ifMatch: string | string[] | undefined | null,
    apply: (row: Subscription) => void,
  ): Promise<Subscription> {
    return this.em.transactional(async (tx) => {
      await requireActiveRelationship(tx, caller.tenantId, customerId, true);
      // Only the partner that ordered it changes it: another partner's subscription answers as
      // one that exists nowhere.
      const row = await tx.findOne(
        Subscription,
        { id: subscriptionId, ...ownedBy(caller.tenantId, customerId) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) throw subscriptionNotFound();
      if (ifMatch !== null) requireIfMatch(ifMatch, subscriptionTag(row));
      const before = toSubscriptionResponse(row);
      apply(row);
      row.version += 1;
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
  }

  /** The ordering partner of `row` (its name and Partner ID), absent if identity forgot it. */
  private async orderingPartner(row: Subscription): Promise<TenantSnapshot | undefined> {
    return (await this.tenants.getMany([row.partnerTenantId])).get(row.partnerTenantId);
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
    return {
      offer,
      quantity: dto.quantity,
      friendlyName: dto.friendlyName ?? null,
      partnerMpnId: partner.partner?.mpnId ?? null,
      associatedReseller,
      supportContact,
    };
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
      friendlyName: prepared.friendlyName,
      partnerMpnId: prepared.partnerMpnId,
      version: 1,
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

/** 404 `subscription.not_found` (Partner Center 20003): unknown, or not the caller's to see. */
function subscriptionNotFound(): DomainError {
  return new DomainError('subscription.not_found', 404, 'The subscription was not found.');
}

/** Designate `contact` as the subscription's support contact (null: none, the default). */
function setSupportContact(row: Subscription, contact: SupportContact | null): void {
  row.designatedSupportContactId = contact?.id ?? null;
  row.designatedSupportContactName = contact?.name ?? null;
  row.designatedSupportContactMpnId = contact?.mpnId ?? null;
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
  // `partnerId` is the associated reseller's Partner ID when one is named.
  if (before.partnerId !== after.partnerId) {
    delete shown.partnerId;
    withheld.push('partnerId');
  }
  if (before.designatedSupportContact?.id !== after.designatedSupportContact?.id) {
    delete shown.designatedSupportContact;
    withheld.push('designatedSupportContact');
  }
  if (withheld.length > 0) shown.formerPartiesWithheld = withheld;
  return shown;
}
