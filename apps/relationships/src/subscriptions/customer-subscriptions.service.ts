import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { Collection, cursorCollection, timestampCursorAfter } from '@app/platform';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { CustomerSubscriptionResponse } from './dto/subscription.dto';
import { toCustomerSubscriptionResponse } from './dto/subscription.response';
import { Subscription } from './subscription.entity';

/**
 * The customer's side of its subscriptions: every subscription of the caller's own organisation,
 * whichever partner ordered it, with that partner and the designated support contact (read only).
 */
@Injectable()
export class CustomerSubscriptionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
  ) {}

  /**
   * The caller customer's subscriptions, oldest first, keyset paginated on (createdAt, id) by
   * `em.findByCursor` (without its count query); each with its partner `{ id, name, mpnId }`.
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    caller: Caller,
    page: { size: number; seek?: string },
  ): Promise<Collection<CustomerSubscriptionResponse>> {
    const rows = await this.em.findByCursor(
      Subscription,
      { customerId: caller.tenantId },
      {
        first: page.size,
        after: timestampCursorAfter(page.seek),
        orderBy: { createdAt: 'asc', id: 'asc' },
        includeCount: false,
      },
    );
    const partners = await this.tenants.getMany(rows.items.map((row) => row.partnerTenantId));
    return cursorCollection(
      rows,
      (row) => toCustomerSubscriptionResponse(row, partners.get(row.partnerTenantId)),
      (seek) => `/v1/customer-subscriptions?size=${page.size}&seek=${seek}`,
    );
  }
}
