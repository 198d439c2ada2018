import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import {
  Collection,
  cursorCollection,
  decodeCursor,
  DomainError,
  newTemporaryPassword,
  parseKeysetCursor,
  RpcClient,
  timestampCursorAfter,
  toCollection,
} from '@app/platform';
import { PATTERNS, TenantSnapshot } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { createDefaultGdapRelationship } from '../delegated-admin-relationships/default-relationship';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { PartnershipsService } from '../partnerships/partnerships.service';
import { SubscriptionResponse } from '../subscriptions/dto/subscription.dto';
import { toSubscriptionResponse } from '../subscriptions/dto/subscription.response';
import { PreparedOrder, SubscriptionsService } from '../subscriptions/subscriptions.service';
import { requireActiveRelationship } from '../reseller-relationships/customer-access';
import { assertNewCustomerRules } from '../reseller-relationships/relationship-rules';
import {
  DelegatedAdminStatus,
  ResellerRelationship,
} from '../reseller-relationships/reseller-relationship.entity';
import {
  ResellerRelationshipsService,
  relationshipSnapshot,
} from '../reseller-relationships/reseller-relationships.service';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { CustomerSnapshots } from './customer-snapshots.service';
import { Customer } from './customer.entity';
import {
  CreateCustomerDto,
  CreatedCustomerResponse,
  CustomerListQuery,
  CustomerResponse,
  PartnerRelationshipResponse,
} from './dto/customer.dto';
import { toCustomerResponse, toPartnerRelationshipResponse } from './dto/customer.response';

/** A row of the customer list query (snake_case, as PostgreSQL answers). */
interface CustomerListRow {
  customer_id: string;
  customer_name: string;
  indirect_reseller_id: string | null;
  delegated_admin_status: DelegatedAdminStatus;
  company_name: string;
  domain: string;
  country: string;
}

/**
 * A partner's customers (seed 000 "Customers" page, seed 002 "Add new customers and associate
 * them with indirect resellers", seed 003 "Customer accounts"): listed, read, created, and the
 * partner's reseller relationship removed.
 */
@Injectable()
export class CustomersService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly partnerships: PartnershipsService,
    private readonly snapshots: CustomerSnapshots,
    private readonly relationships: ResellerRelationshipsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly activityLog: ActivityLogService,
    private readonly rpc: RpcClient,
  ) {}

  /**
   * The caller's customers with an active reseller relationship, by company name then id (keyset
   * on the partial index (partner, [indirect reseller,] customer name, customer id)), optionally
   * only those associated with one indirect reseller (`indirect_reseller_id`, an indirect
   * provider's filter), or only those the caller shares with one indirect provider
   * (`indirect_provider_id`, an indirect reseller's "View customers", seed 004 "Connect with an
   * indirect provider" step 5): customers where the provider also holds an active relationship
   * associated with the caller, while their partnership is active. A provider the caller has no
   * active partnership with (ended, never, unknown id, another partner's provider) answers an
   * empty list, exactly as an id that exists nowhere: the filter reveals nothing of other
   * partners' customers.
   *
   * One SQL statement, read as plain rows: the page of relationships joined to their customers by
   * primary key. The list is read-only, so it skips the ORM's entity hydration, identity map and
   * change-tracking snapshots: with them a page of 100 cost this service 12.6 ms of CPU, without
   * them 1.9 ms (`npm run bench -- --only read --profile`, 100,000 customers).
   *
   * Our own cursor stays here rather than MikroORM's `em.findByCursor`, which can only answer
   * entities: a version with it (the relationships by cursor, `includeCount: false`, then their
   * customers by id) answered 57 and 107 requests/s from 50 connections against 385 to 479 for this
   * one, p99 from one client 24 to 39 ms against 12 to 20 ms, 9.8 to 11.4 ms of this service's CPU
   * per request against 1.4 to 1.5 ms (same bench, two runs each on 2 shared cores, load 1.5 to
   * 5); partial loading (`fields`, `disableIdentityMap`) did not close the gap (96 and 65
   * requests/s). Its SQL was as fast (an index scan of 101 entries); the cost is hydration. And its
   * cursor would break on a company name that starts like an ISO timestamp (`Cursor.decode` makes
   * it a `Date`).
   */
  async list(caller: Caller, query: CustomerListQuery): Promise<Collection<CustomerResponse>> {
    const cursor = parseKeysetCursor(decodeCursor(query.seek), 'text');
    const params: unknown[] = [caller.tenantId];
    let filters = '';
    if (query.indirect_reseller_id) {
      filters += ' and r.indirect_reseller_id = ?';
      params.push(query.indirect_reseller_id);
    }
    if (query.indirect_provider_id) {
      // "View customers" (seed 004 step 5): the provider holds an active relationship with the
      // customer associated with the caller, and its partnership with the caller is active.
      filters += ` and exists (select 1 from reseller_relationship p
                                where p.partner_tenant_id = ? and p.customer_id = r.customer_id
                                  and p.status = 'active'
                                  and p.indirect_reseller_id = r.partner_tenant_id)
                   and exists (select 1 from partnership s
                                where s.provider_tenant_id = ? and s.reseller_tenant_id = ?
                                  and s.status = 'active')`;
      params.push(query.indirect_provider_id, query.indirect_provider_id, caller.tenantId);
    }
    if (cursor) {
      filters += ' and (r.customer_name, r.customer_id) > (?, ?::uuid)';
      params.push(cursor.key, cursor.id);
    }
    params.push(query.size + 1);
    // The left join keeps a relationship whose customer row would be missing (a foreign key holds it)
    // on the page, with the name the relationship repeats.
    const rows = await this.em.execute<CustomerListRow[]>(
      `select r.customer_id, r.customer_name, r.indirect_reseller_id, r.delegated_admin_status,
              coalesce(c.company_name, r.customer_name) as company_name,
              coalesce(c.domain, '') as domain, coalesce(c.country, '') as country
         from reseller_relationship r
         left join customer c on c.id = r.customer_id
        where r.partner_tenant_id = ? and r.status = 'active'${filters}
        order by r.customer_name asc, r.customer_id asc
        limit ?`,
      params,
    );
    return toCollection(
      rows,
      query.size,
      (row) =>
        toCustomerResponse(
          {
            id: row.customer_id,
            companyName: row.company_name,
            domain: row.domain,
            country: row.country,
          },
          {
            status: 'active',
            delegatedAdminStatus: row.delegated_admin_status,
            indirectResellerId: row.indirect_reseller_id,
          },
        ),
      (row) => ({ k: row.customer_name, id: row.customer_id }),
      (seek) => {
        const params = new URLSearchParams({ size: String(query.size), seek });
        if (query.indirect_reseller_id) {
          params.set('indirect_reseller_id', query.indirect_reseller_id);
        }
        if (query.indirect_provider_id) {
          params.set('indirect_provider_id', query.indirect_provider_id);
        }
        return `/v1/customers?${params.toString()}`;
      },
    );
  }

  /** One customer of the caller. @throws 404 `customer.not_found` without an active relationship. */
  async get(caller: Caller, customerId: string): Promise<CustomerResponse> {
    const relationship = await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const customer = await this.em.findOneOrFail(Customer, { id: customerId });
    return toCustomerResponse(customer, relationship);
  }

  /**
   * Partner Center's "indirect resellers of a customer": the indirect resellers with an active
   * relationship with the customer (`relationshipType: IsIndirectResellerOf`), oldest first, keyset
   * paginated on (createdAt, id) by `em.findByCursor` (without its count query). Visible to a
   * partner with an active relationship with the customer, and scoped to it: a customer usually has
   * several competing partners, so the caller sees only itself (an indirect reseller) and the
   * indirect resellers it holds an active partnership with (an indirect provider); a co-partner's
   * resellers, and a reseller whose partnership with the caller ended, are not listed (issue 9
   * "Partners who share a customer").
   * @throws 404 `customer.not_found`, 400 `request.invalid_cursor`.
   */
  async indirectResellers(
    caller: Caller,
    customerId: string,
    page: { size: number; seek?: string },
  ): Promise<Collection<PartnerRelationshipResponse>> {
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    // Who is an indirect reseller is the partner's type now, not the type its relationship row
    // recorded when established: a direct partner that added the indirect reseller role (seed 004)
    // keeps its customers, now as an indirect reseller. The caller is listed when it is one; the
    // partners with an active partnership with the caller (as their provider) are indirect resellers.
    const self = await this.tenants.get(caller.tenantId);
    const others = await this.em.find(
      ResellerRelationship,
      { customerId, status: 'active', partnerTenantId: { $ne: caller.tenantId } },
      { fields: ['partnerTenantId'] },
    );
    const partners = await this.partnerships.activeResellersOfProvider(
      caller.tenantId,
      others.map((row) => row.partnerTenantId),
    );
    const listed = [
      ...(self.partner?.partnerType === 'indirect_reseller' ? [caller.tenantId] : []),
      ...partners,
    ];
    const where: FilterQuery<ResellerRelationship> = {
      customerId,
      status: 'active',
      partnerTenantId: { $in: listed },
    };
    const rows = await this.em.findByCursor(ResellerRelationship, where, {
      first: page.size,
      after: timestampCursorAfter(page.seek),
      orderBy: { createdAt: 'asc', id: 'asc' },
      includeCount: false,
    });
    const tenants = await this.tenants.getMany(rows.items.map((r) => r.partnerTenantId));
    return cursorCollection(
      rows,
      (row) => toPartnerRelationshipResponse(row, tenants.get(row.partnerTenantId)),
      (seek) => `/v1/customers/${customerId}/relationships?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Remove the caller's reseller relationship with a customer (seed 000 "Remove a relationship
   * with a customer"): the customer leaves the caller's list, delegated admin privileges stay
   * unchanged, and no notice is sent. Not while the caller has active subscriptions for the
   * customer (Partner Center: suspend or cancel them first; `assertNoActiveSubscriptions`): 409
   * listing them, nothing changed.
   * @throws 404 `customer.not_found`, 409 `customer.active_subscriptions`.
   */
  async removeRelationship(caller: Caller, customerId: string): Promise<CustomerResponse> {
    const { customer, relationship } = await this.em.transactional(async (tx) => {
      await requireActiveRelationship(tx, caller.tenantId, customerId, true);
      await this.subscriptions.assertNoActiveSubscriptions(tx, caller.tenantId, customerId);
      const row = await this.relationships.remove(tx, customerId, caller);
      return {
        customer: await tx.findOneOrFail(Customer, { id: customerId }),
        relationship: row,
      };
    });
    return toCustomerResponse(customer, relationship);
  }

  /**
   * Create a new customer (seed 002 "Add new customers and associate them with indirect
   * resellers"). Everything is checked first (active partner, the indirect reseller's active
   * partnership, the creating partner and the indirect reseller both in the customer's cloud and
   * market with the delegated admin rule (`assertNewCustomerRules`), offers, quantities, associated
   * resellers, support contacts); then identity creates the tenant and its Global admin (a taken
   * default domain answers 409 `customer.domain_taken` and nothing is written anywhere); then one
   * transaction writes the customer, the relationships (the creating partner's and the indirect
   * reseller's with delegated admin privileges, the provider's associated with the reseller), the
   * initial subscriptions and the activity log. The temporary password is returned once.
   * @throws 403 `partner.not_active`, 403 `relationship_request.region_mismatch` /
   *   `relationship_request.cloud_mismatch`, 422 `customer.indirect_reseller_not_allowed`, 422
   *   `partnership.required`, the subscription errors, 409 `customer.domain_taken`, 503
   *   `dependency.unavailable`.
   */
  async create(
    caller: Caller,
    dto: CreateCustomerDto,
  ): Promise<CreatedCustomerResponse<SubscriptionResponse>> {
    const partner = await this.tenants.requireActivePartner(caller);
    let reseller: TenantSnapshot | null = null;
    if (dto.indirectResellerId) {
      if (partner.partner?.partnerType !== 'indirect_provider') {
        throw new DomainError(
          'customer.indirect_reseller_not_allowed',
          422,
          'Only an indirect provider creates a customer on behalf of an indirect reseller.',
        );
      }
      await this.partnerships.requireActivePartnership(caller.tenantId, dto.indirectResellerId);
      reseller = await this.tenants.get(dto.indirectResellerId);
    }
    // The customer is created in the creating partner's cloud, in the address's country.
    assertNewCustomerRules({ cloud: partner.cloud, country: dto.address.country }, [
      { partner, delegatedAdmin: true },
      ...(reseller ? [{ partner: reseller, delegatedAdmin: true }] : []),
    ]);
    const orders: PreparedOrder[] = [];
    for (const order of dto.subscriptions) {
      orders.push(await this.subscriptions.prepareOrder(partner, order));
    }

    const temporaryPassword = newTemporaryPassword();
    const created = await this.rpc.send(PATTERNS.createCustomerTenant, {
      requestId: randomUUID(),
      companyName: dto.companyProfile.companyName,
      domainPrefix: dto.companyProfile.domainPrefix,
      country: dto.address.country,
      cloud: partner.cloud,
      locale: dto.locale ?? caller.locale,
      address: dto.address,
      admin: { ...dto.admin, temporaryPassword },
      createdByTenantId: caller.tenantId,
    });

    const result = await this.em.transactional(async (tx) => {
      const customer = await this.snapshots.upsert(tx, created.tenant);
      const own = await this.relationships.establish(tx, {
        partner,
        customer,
        delegatedAdmin: true,
        indirectResellerId: reseller?.id ?? null,
      });
      const resellers = reseller
        ? [
            await this.relationships.establish(tx, {
              partner: reseller,
              customer,
              delegatedAdmin: true,
            }),
          ]
        : [];
      const subscriptions = orders.map((order) =>
        this.subscriptions.addPrepared(tx, caller, customer.id, order),
      );
      if (dto.enableGDAPByDefault)
        await createDefaultGdapRelationship(tx, this.activityLog, { partner, customer });
      // One event for the whole creation (issue 14: one event per change).
      await this.activityLog.record(tx, {
        type: 'customer.created',
        actor: caller,
        // The parties of the relationships it establishes only: a designated support contact or
        // another associated reseller of an initial subscription must not read the customer's
        // relationships (each reads its subscription, not this event).
        tenantIds: [caller.tenantId, customer.id, ...(reseller ? [reseller.id] : [])],
        resource: { type: 'customer', id: customer.id },
        customerId: customer.id,
        after: {
          companyName: customer.companyName,
          domain: customer.domain,
          country: customer.country,
          cloud: customer.cloud,
          adminUserPrincipalName: created.admin.userPrincipalName,
          relationships: [own, ...resellers].map(({ relationship }) =>
            relationshipSnapshot(relationship),
          ),
          subscriptions: subscriptions.map(toSubscriptionResponse),
        },
      });
      return { customer, own: own.relationship, subscriptions };
    });
    return {
      customer: toCustomerResponse(result.customer, result.own),
      adminUser: { userPrincipalName: created.admin.userPrincipalName, temporaryPassword },
      subscriptions: result.subscriptions.map(toSubscriptionResponse),
    };
  }
}
