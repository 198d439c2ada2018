import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  OrganizationAddressesRequestSchema,
  OrganizationAdminsRequestSchema,
  OrganizationHasUserRequestSchema,
  PATTERNS,
  RpcResponse,
} from '@app/contracts';
import { z } from 'zod';

/**
 * Who belongs to an organisation, as other services ask it: relationships binds a per-invitee
 * invitation (a partnership request to a reseller's address, a relationship request to a customer
 * admin's address) to the organisation its invitee belongs to, and asks here whether the accepting
 * organisation holds that address.
 */
@Injectable()
export class OrganizationMembersService {
  constructor(private readonly em: EntityManager) {}

  /**
   * `identity.organizations.has-user` `{ tenantId, email }` → `{ member }`: true when an enabled
   * user of `tenantId` signs in with `email` (compared in lower case) and has proved that address
   * (`email_verified_at`, issue 9 point 7). Read-only; the answer is about that tenant only.
   *
   * Why a proved address: sign-in names are per organisation (issue 9 point 9), so any
   * organisation's admin can create a user of any address inside its own organisation. Without
   * this condition, a stranger holding a forwarded link would add a user of the invitee's address
   * and accept the invitation; it cannot prove an address it does not receive mail at. A person
   * who proved the address in several organisations (a consultant, say) may accept for any of
   * them, as the invitee would.
   */
  async hasUser(
    req: z.infer<typeof OrganizationHasUserRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.organizationHasUser>> {
    const [row] = await this.em.fork().execute<{ member: boolean }[]>(
      `select exists (
           select 1 from "user_account"
            where "tenant_id" = ? and "email" = ? and not "disabled"
              and "email_verified_at" is not null
         ) as "member"`,
      [req.tenantId, req.email.toLowerCase()],
    );
    return { member: row?.member === true };
  }

  /**
   * `identity.organizations.addresses` `{ tenantId }` → `{ emails }`: every sign-in address (stored
   * lower case, unique per tenant, in order) for which `hasUser` answers true: those of the enabled users of
   * `tenantId` who proved them. Relationships matches them against the addresses of the
   * partnership requests to list what the organisation received, under the very rule that decides
   * who may accept one. Read-only; an unknown tenant answers an empty list. One index range of
   * `user_account_tenant_email_unique`.
   */
  async addresses(
    req: z.infer<typeof OrganizationAddressesRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.organizationAddresses>> {
    const rows = await this.em.fork().execute<{ email: string }[]>(
      `select "email" from "user_account"
        where "tenant_id" = ? and not "disabled" and "email_verified_at" is not null
        order by "email"`,
      [req.tenantId],
    );
    return { emails: rows.map((row) => row.email) };
  }

  /**
   * `identity.organizations.admins` `{ tenantId, role? }` → `{ admins: [{ email, firstName, locale }] }`:
   * the enabled Global admins (or, with `role: 'AdminAgent'`, Admin agents: issue 10) of `tenantId` who proved their address, oldest first, at most 50
   * (relationships emails them when a webhook endpoint of the organisation is disabled, issue 14).
   * Users another organisation created through a delegation are not the organisation's admins.
   * Read-only; an unknown tenant answers an empty list.
   */
  async admins(
    req: z.infer<typeof OrganizationAdminsRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.organizationAdmins>> {
    const rows = await this.em
      .fork()
      .execute<{ email: string; first_name: string; locale: string }[]>(
        `select "email", "first_name", "locale" from "user_account"
        where "tenant_id" = ? and not "disabled" and "email_verified_at" is not null
          and "delegated_by_tenant_id" is null and "roles"::jsonb @> jsonb_build_array(?::text)
        order by "created_at", "id" limit 50`,
        [req.tenantId, req.role],
      );
    return {
      admins: rows.map((r) => ({
        email: r.email,
        firstName: r.first_name,
        locale: r.locale === 'ja' ? 'ja' : 'en',
      })),
    };
  }
}
