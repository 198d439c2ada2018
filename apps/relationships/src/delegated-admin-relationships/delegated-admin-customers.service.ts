import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { DomainError } from '@app/platform';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import {
  DelegatedAdminCustomerList,
  DelegatedAdminCustomerResponse,
  ListCustomersQuery,
} from './dto/delegated-admin-customer.dto';

/** The Graph-shaped route of the delegated admin customers. */
export const CUSTOMERS_PATH = '/v1/tenantRelationships/delegatedAdminCustomers';
/** Default `$top`. */
const DEFAULT_TOP = 100;

interface CustomerRow {
  tenant_id: string;
  display_name: string | null;
}

/**
 * The customers of the caller's delegated admin relationships: one per customer tenant named by
 * one of its relationships (whatever the relationship's status, a `created` draft included: each
 * is the caller's own), with the customer's name of the most recently changed of them.
 */
const CUSTOMERS_SQL = `
  select "customer_tenant_id" as "tenant_id",
         (array_agg("customer_name" order by "updated_at" desc, "id"))[1] as "display_name"
    from "delegated_admin_relationship"
   where "partner_tenant_id" = ? and "customer_tenant_id" is not null
     and (?::uuid is null or "customer_tenant_id" = ?::uuid)
   group by "customer_tenant_id"
   order by 2, 1
   limit ? offset ?`;

function toCustomerResponse(row: CustomerRow): DelegatedAdminCustomerResponse {
  return { id: row.tenant_id, tenantId: row.tenant_id, displayName: row.display_name ?? '' };
}

/**
 * Delegated admin customers (GDAP, issue 10; Microsoft Graph
 * `tenantRelationships/delegatedAdminCustomers`): the customers with which the calling partner has
 * at least one delegated admin relationship. Read-only and derived from the relationships: a
 * customer joins the list with the partner's first relationship naming it and stays while one
 * exists (a relationship is never removed once locked for approval; a `created` one deleted takes
 * its customer away when it was the only one).
 *
 * Scoping: only the caller's own relationships count, so a stranger partner and a co-partner of
 * the same customer see only the customers of their own relationships; a customer's users (who
 * hold `gdap.read` for the relationships naming them) are partners of no relationship and get an
 * empty list. A customer the caller has no relationship with answers 404
 * `gdap.delegated_admin_customer_not_found` exactly as a tenant that exists nowhere.
 */
@Injectable()
export class DelegatedAdminCustomersService {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: Pick<RelationshipsConfig, 'PUBLIC_URL'>,
  ) {}

  private url(path: string): string {
    return `${this.config.PUBLIC_URL}${path}`;
  }

  private rows(
    caller: Caller,
    customerTenantId: string | null,
    limit: number,
    offset: number,
  ): Promise<CustomerRow[]> {
    return this.em
      .fork()
      .execute<CustomerRow[]>(CUSTOMERS_SQL, [
        caller.tenantId,
        customerTenantId,
        customerTenantId,
        limit,
        offset,
      ]);
  }

  /**
   * `GET ?$top=&$skipToken=` → `{ "@odata.context", value: [{ id, tenantId, displayName }],
   * "@odata.nextLink"? }`, by display name then tenant id; `$top` 1–300 (default 100).
   */
  async list(caller: Caller, query: ListCustomersQuery): Promise<DelegatedAdminCustomerList> {
    const top = query.$top ?? DEFAULT_TOP;
    const offset = query.$skipToken ?? 0;
    const rows = await this.rows(caller, null, top + 1, offset);
    const result: DelegatedAdminCustomerList = {
      '@odata.context': this.url('/v1/$metadata#tenantRelationships/delegatedAdminCustomers'),
      value: rows.slice(0, top).map(toCustomerResponse),
    };
    if (rows.length > top) {
      const next = new URL(this.url(CUSTOMERS_PATH));
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skipToken', String(offset + top));
      result['@odata.nextLink'] = next.toString();
    }
    return result;
  }

  /**
   * `GET /{id}` (the customer's tenant id) → the customer.
   * @throws 404 `gdap.delegated_admin_customer_not_found` when the caller has no relationship
   *   naming it (another partner's customer and a tenant that exists nowhere alike).
   */
  async get(caller: Caller, customerTenantId: string): Promise<DelegatedAdminCustomerResponse> {
    const [row] = await this.rows(caller, customerTenantId, 1, 0);
    if (!row) {
      throw new DomainError(
        'gdap.delegated_admin_customer_not_found',
        404,
        'The delegated admin customer was not found.',
      );
    }
    return toCustomerResponse(row);
  }
}
