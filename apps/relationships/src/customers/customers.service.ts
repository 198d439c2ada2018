import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import {
  Collection,
  cursorCollection,
  decodeCursor,
  DomainError,
  IdempotentCall,
  newTemporaryPassword,
  parseKeysetCursor,
  requireIfMatch,
  RpcClient,
  timestampCursorAfter,
  toCollection,
} from '@app/platform';
import { Locale, PATTERNS, TenantSnapshot } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { createDefaultGdapRelationship } from '../delegated-admin-relationships/default-relationship';
import { ActivityLogService } from '../activity-log/activity-log.service';
import {
  assertCurrentTemplate,
  recordPartnerConfirmation,
} from '../customer-agreements/customer-agreement-records';
import { PartnershipsService } from '../partnerships/partnerships.service';
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
  BillingProfileInput,
  BillingProfileResponse,
  CompanyProfileResponse,
  StoredBillingProfile,
} from './dto/customer-profiles.dto';
import {
  CreateCustomerDto,
  CreatedCustomerResponse,
  CustomerListQuery,
  CustomerResponse,
  FullCustomerResponse,
  PartnerRelationshipResponse,
  UpdateCustomerDto,
} from './dto/customer.dto';
import {
  billingProfileEtag,
  billingProfileIdOf,
  toBillingProfileResponse,
  toCompanyProfileResponse,
  toCustomerResponse,
  toFullCustomerResponse,
  toPartnerRelationshipResponse,
} from './dto/customer.response';
import { customerFilterParameter, parseCustomerFilter, prefixPattern } from './dto/customer-filter';

/** A row of the customer list query (snake_case, as PostgreSQL answers). */
interface CustomerListRow {
  customer_id: string;
  /** The key of the page's order: the company name, or a lower-cased name or domain. */
  sort_key: string;
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
   * filtered as Partner Center's `filter` says (`parseCustomerFilter`): company name or default
   * domain starting with a text, ignoring case (then in the order of that key lower-cased, on the
   * partial indexes (partner, lower(name or domain) collate "C", customer id)); `IndirectReseller`: those associated with one indirect reseller (an
   * indirect provider's filter); `IndirectCloudSolutionProvider`: those the caller shares with one
   * indirect provider (an indirect reseller's "View customers", seed 004 "Connect with an
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
   * @throws 400 `customer.filter_invalid` (names the property, field, operator or value),
   *   400 `request.invalid_cursor`.
   */
  async list(caller: Caller, query: CustomerListQuery): Promise<Collection<CustomerResponse>> {
    const filter = query.filter === undefined ? undefined : parseCustomerFilter(query.filter);
    const cursor = parseKeysetCursor(decodeCursor(query.seek), 'text');
    // A page filtered by a name or domain prefix is in the order of that key, lower-cased, byte
    // by byte (the order of its index); the others by company name, then id.
    const sortKey =
      filter?.field === 'CompanyName'
        ? 'lower(r.customer_name) collate "C"'
        : filter?.field === 'Domain'
          ? 'lower(r.customer_domain) collate "C"'
          : 'r.customer_name';
    const params: unknown[] = [caller.tenantId];
    let filters = '';
    switch (filter?.field) {
      case undefined:
        break;
      case 'CompanyName':
      case 'Domain':
        // The prefix and the page's order on one partial index (partner, lower(name or domain)
        // collate "C", customer id): `like 'x%'` is a range of it.
        filters += ` and ${sortKey} like ? escape '\\'`;
        params.push(prefixPattern(filter.value));
        break;
      case 'IndirectReseller':
        filters += ' and r.indirect_reseller_id = ?';
        params.push(filter.value);
        break;
      case 'IndirectCloudSolutionProvider':
        // "View customers" (seed 004 step 5): the provider holds an active relationship with the
        // customer associated with the caller, and its partnership with the caller is active.
        filters += ` and exists (select 1 from reseller_relationship p
                                  where p.partner_tenant_id = ? and p.customer_id = r.customer_id
                                    and p.status = 'active'
                                    and p.indirect_reseller_id = r.partner_tenant_id)
                     and exists (select 1 from partnership s
                                  where s.provider_tenant_id = ? and s.reseller_tenant_id = ?
                                    and s.status = 'active')`;
        params.push(filter.value, filter.value, caller.tenantId);
        break;
    }
    if (cursor) {
      filters += ` and (${sortKey}, r.customer_id) > (?, ?::uuid)`;
      params.push(cursor.key, cursor.id);
    }
    params.push(query.size + 1);
    // The left join keeps a relationship whose customer row would be missing (a foreign key holds it)
    // on the page, with the name the relationship repeats.
    const rows = await this.em.execute<CustomerListRow[]>(
      `select r.customer_id, ${sortKey} as sort_key, r.indirect_reseller_id, r.delegated_admin_status,
              coalesce(c.company_name, r.customer_name) as company_name,
              coalesce(c.domain, '') as domain, coalesce(c.country, '') as country
         from reseller_relationship r
         left join customer c on c.id = r.customer_id
        where r.partner_tenant_id = ? and r.status = 'active'${filters}
        order by ${sortKey} asc, r.customer_id asc
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
      (row) => ({ k: row.sort_key, id: row.customer_id }),
      (seek) => {
        const params = new URLSearchParams({ size: String(query.size), seek });
        if (filter) params.set('filter', customerFilterParameter(filter));
        return `/v1/customers?${params.toString()}`;
      },
    );
  }

  /**
   * One customer of the caller in full (Partner Center "Get a customer by ID"): company profile
   * (with address and email while the caller holds delegated admin privileges), billing profile,
   * relationship, delegated access, associated indirect reseller.
   * @throws 404 `customer.not_found` without an active relationship (a stranger, an ended one).
   */
  async get(caller: Caller, customerId: string): Promise<FullCustomerResponse> {
    const relationship = await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const customer = await this.em.findOneOrFail(Customer, { id: customerId });
    return toFullCustomerResponse(customer, relationship);
  }

  /**
   * The customer's CustomerCompanyProfile (Partner Center "Get a customer's company profile").
   * @throws 404 `customer.not_found` without an active relationship.
   */
  async companyProfile(caller: Caller, customerId: string): Promise<CompanyProfileResponse> {
    const relationship = await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const customer = await this.em.findOneOrFail(Customer, { id: customerId });
    return toCompanyProfileResponse(customer, relationship.delegatedAdminStatus === 'active');
  }

  /**
   * The customer's CustomerBillingProfile with its etag (Partner Center "Get a customer's billing
   * profile"). @throws 404 `customer.not_found` without an active relationship.
   */
  async billingProfile(caller: Caller, customerId: string): Promise<BillingProfileResponse> {
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const customer = await this.em.findOneOrFail(Customer, { id: customerId });
    return toBillingProfileResponse(customer);
  }

  /**
   * Replace the customer's billing profile (Partner Center "Update a customer's billing profile",
   * `If-Match` required). Any partner with an active reseller relationship with the customer may
   * (one profile per customer, as in Partner Center; co-partners are kept from overwriting each
   * other by the etag). The company name on the company profile and in the partners' lists is
   * identity's and stays. Records `customer.billing_profile_updated`.
   * @throws 404 `customer.not_found`, 428 `request.precondition_required`, 412
   *   `request.etag_mismatch`.
   */
  async updateBillingProfile(
    caller: Caller,
    customerId: string,
    ifMatch: string | string[] | undefined,
    input: BillingProfileInput,
  ): Promise<BillingProfileResponse> {
    const customer = await this.em.transactional(async (tx) => {
      await requireActiveRelationship(tx, caller.tenantId, customerId);
      const row = await tx.findOneOrFail(
        Customer,
        { id: customerId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      requireIfMatch(ifMatch, billingProfileEtag(row));
      const before = row.billingProfile;
      row.billingProfile = storedBillingProfile(customerId, input);
      row.billingProfileVersion += 1;
      row.updatedAt = new Date();
      await this.activityLog.record(tx, {
        type: 'customer.billing_profile_updated',
        actor: caller,
        tenantIds: [caller.tenantId, customerId],
        resource: { type: 'customer', id: customerId },
        customerId,
        before: { billingProfile: before },
        after: { billingProfile: row.billingProfile },
      });
      return row;
    });
    return toBillingProfileResponse(customer);
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
   * `PATCH /v1/customers/{id}` (Partner Center "Remove a reseller relationship", "Remove DAP"):
   *
   * - `relationshipToPartner: 'none'`: remove the caller's reseller relationship (seed 000 "Remove
   *   a relationship with a customer"): the customer leaves the caller's list, and with it the
   *   caller's delegated admin privileges end (`delegated-admin.ended`). Not while the caller has
   *   active subscriptions for the customer (Partner Center: suspend or cancel them first): 409
   *   listing them, nothing changed.
   * - `allowDelegatedAccess: false`: the caller gives up its own delegated admin privileges; the
   *   relationship stays; identity disables the users the caller created in the customer under
   *   them (the same `delegated-admin.ended` flow as a customer's revocation). Giving up privileges
   *   the caller does not hold changes nothing and records nothing.
   *
   * @returns the Customer as the caller now sees it (`relationshipToPartner: 'none'`, or
   *   `allowDelegatedAccess: false`).
   * @throws 404 `customer.not_found` without an active relationship, 409
   *   `customer.active_subscriptions`.
   */
  async update(
    caller: Caller,
    customerId: string,
    dto: UpdateCustomerDto,
  ): Promise<FullCustomerResponse> {
    const { customer, relationship } = await this.em.transactional(async (tx) => {
      const current = await requireActiveRelationship(tx, caller.tenantId, customerId, true);
      let row: ResellerRelationship;
      if (dto.relationshipToPartner === 'none') {
        await this.subscriptions.assertNoActiveSubscriptions(tx, caller.tenantId, customerId);
        row = await this.relationships.remove(tx, customerId, caller);
      } else {
        row = await this.relationships.giveUpDelegatedAdmin(tx, current, caller);
      }
      return {
        customer: await tx.findOneOrFail(Customer, { id: customerId }),
        relationship: row,
      };
    });
    return toFullCustomerResponse(customer, relationship);
  }

  /**
   * Create a new customer with Partner Center's body (Partner Center "Create a customer", "Create a
   * customer for an indirect reseller"; seed 002 "Add new customers and associate them with
   * indirect resellers"). Everything is checked first (active partner, the indirect reseller's
   * active partnership, the creating partner and the indirect reseller both in the customer's cloud
   * and market with the delegated admin rule (`assertNewCustomerRules`), offers, quantities,
   * associated resellers, support contacts); then identity creates the tenant and its Global admin
   * (the billing contact: `defaultAddress.firstName`/`lastName`, `billingProfile.email`; a taken
   * default domain answers 409 `customer.domain_taken` and nothing is written anywhere); then one
   * transaction writes the customer with its billing profile, the relationships (the creating
   * partner's and the indirect reseller's with delegated admin privileges, the provider's
   * associated with the reseller), the initial subscriptions and the activity log.
   *
   * With an `MS-RequestId` (`call`), a retry completes a create that failed half-way: the
   * temporary password is sealed in the request's idempotency record before identity sees it, and
   * identity is asked with a request id derived from the caller's, so its processed-request record
   * answers the tenant it already created (no orphan tenant, the same credentials).
   * Initial subscriptions need `customerAgreement` (the partner's confirmation of the customer's
   * acceptance, recorded in the same transaction; Partner Center 13605).
   * @throws 403 `customer_agreement.confirmation_required`, 400
   *   `customer_agreement.template_unknown`, 403 `partner.not_active`, 403
   *   `relationship_request.region_mismatch` /
   *   `relationship_request.cloud_mismatch`, 422 `customer.indirect_reseller_not_allowed`, 422
   *   `partnership.required`, the subscription errors, 400 `customer.domain_invalid`, 409
   *   `customer.domain_taken`, 503 `dependency.unavailable`.
   */
  async create(
    caller: Caller,
    dto: CreateCustomerDto,
    call: IdempotentCall | null,
  ): Promise<CreatedCustomerResponse> {
    const partner = await this.tenants.requireActivePartner(caller);
    const address = dto.billingProfile.defaultAddress;
    let reseller: TenantSnapshot | null = null;
    if (dto.associatedPartnerId) {
      if (partner.partner?.partnerType !== 'indirect_provider') {
        throw new DomainError(
          'customer.indirect_reseller_not_allowed',
          422,
          'Only an indirect provider creates a customer on behalf of an indirect reseller.',
        );
      }
      await this.partnerships.requireActivePartnership(caller.tenantId, dto.associatedPartnerId);
      reseller = await this.tenants.get(dto.associatedPartnerId);
    }
    // The customer is created in the creating partner's cloud, in the address's country.
    assertNewCustomerRules({ cloud: partner.cloud, country: address.country }, [
      { partner, delegatedAdmin: true },
      ...(reseller ? [{ partner: reseller, delegatedAdmin: true }] : []),
    ]);
    // Partner Center 13605: no purchase before the partner confirms the customer's acceptance.
    if (dto.customerAgreement) assertCurrentTemplate(dto.customerAgreement.templateId);
    else if ((dto.subscriptions?.length ?? 0) > 0) {
      throw new DomainError(
        'customer_agreement.confirmation_required',
        403,
        'Partner confirmation of customer acceptance of the Customer Agreement is required before purchase: send customerAgreement with the initial subscriptions.',
      );
    }
    const orders: PreparedOrder[] = [];
    for (const order of dto.subscriptions ?? []) {
      orders.push(await this.subscriptions.prepareOrder(partner, order));
    }

    let temporaryPassword = call?.checkpoint ?? null;
    if (!temporaryPassword) {
      temporaryPassword = newTemporaryPassword();
      await call?.saveCheckpoint(temporaryPassword);
    }
    const language = Locale.safeParse(dto.billingProfile.language);
    const created = await this.rpc.send(PATTERNS.createCustomerTenant, {
      requestId: call?.derivedId(PATTERNS.createCustomerTenant) ?? randomUUID(),
      companyName: dto.billingProfile.companyName,
      domainPrefix: dto.companyProfile.domain.prefix,
      domainSuffix: dto.companyProfile.domain.suffix,
      country: address.country,
      cloud: partner.cloud,
      locale: language.success ? language.data : caller.locale,
      address: {
        addressLine1: address.addressLine1,
        addressLine2: address.addressLine2,
        city: address.city,
        state: address.state ?? address.region,
        postalCode: address.postalCode,
        country: address.country,
      },
      admin: {
        firstName: address.firstName,
        lastName: address.lastName,
        email: dto.billingProfile.email,
        temporaryPassword,
      },
      createdByTenantId: caller.tenantId,
    });

    const result = await this.em.transactional(async (tx) => {
      const customer = await this.snapshots.upsert(tx, created.tenant);
      customer.billingProfile = storedBillingProfile(customer.id, dto.billingProfile);
      customer.billingProfileVersion += 1;
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
      const agreement = dto.customerAgreement
        ? recordPartnerConfirmation(tx, caller, customer.id, dto.customerAgreement)
        : null;
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
          billingProfile: customer.billingProfile,
          adminUserPrincipalName: created.admin.userPrincipalName,
          relationships: [own, ...resellers].map(({ relationship }) =>
            relationshipSnapshot(relationship),
          ),
          subscriptions: subscriptions.map(toSubscriptionResponse),
          customerAgreement: agreement
            ? {
                templateId: agreement.templateId,
                version: agreement.version,
                dateAgreed: agreement.dateAgreed.toISOString(),
                primaryContact: dto.customerAgreement?.primaryContact,
              }
            : null,
        },
      });
      return { customer, own: own.relationship, subscriptions };
    });
    return {
      ...toFullCustomerResponse(result.customer, result.own),
      userCredentials: { userName: created.admin.userPrincipalName, password: temporaryPassword },
      ...(dto.subscriptions !== undefined
        ? { subscriptions: result.subscriptions.map(toSubscriptionResponse) }
        : {}),
    };
  }
}

/** The billing profile as the customer row stores it (`id` derived from the customer's). */
function storedBillingProfile(
  customerId: string,
  input: BillingProfileInput,
): StoredBillingProfile {
  return {
    id: billingProfileIdOf(customerId),
    email: input.email,
    culture: input.culture,
    language: input.language,
    companyName: input.companyName,
    defaultAddress: input.defaultAddress,
  };
}
