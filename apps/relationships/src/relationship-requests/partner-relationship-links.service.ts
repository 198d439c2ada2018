import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { DomainError } from '@app/platform';
import { Cloud } from '@app/contracts';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import { customerAcceptBase } from '../invitations/invitation-links';
import { assertDelegatedAdminRule } from '../reseller-relationships/relationship-rules';
import { TenantDirectory } from '../tenants/tenant-directory.service';

/** A partner link as the acceptance page carries it: `${partnerId}.${0|1}.${mac}`. */
export interface PartnerLinkToken {
  partnerTenantId: string;
  delegatedAdmin: boolean;
}

/** Partner Center's RelationshipRequest resource. */
export interface RelationshipRequestUrl {
  url: string;
  attributes: { objectType: 'RelationshipRequest' };
}

const TOKEN_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([01])\.([A-Za-z0-9_-]{43})$/;

const invalidLink = () =>
  new DomainError(
    'relationship_request.link_invalid',
    404,
    'This relationship link is not valid: it may have been replaced by a newer one. Ask the partner for its current link.',
  );

/**
 * The partner-wide, reusable reseller relationship link (Partner Center `GET
 * /v1/customers/relationshiprequests`; seed 001 "the partner's invitation link, personalized to the
 * partner"): not bound to a customer or an address, the same on every call, accepted by any
 * customer's Global admin on our acceptance page; `rotate` replaces it and refuses the old one.
 * Two variants: with and without delegated admin privileges (`DAP=true|false`, as in Partner
 * Center's URL). The link is `${customer accept page of the partner's cloud}?invType=
 * ResellerRelationship&partnerId=…&DAP=…&link=…`, `link` = HMAC-SHA-256 (key derived from
 * `LINK_SEALING_KEY`) of partner, variant and generation: nothing secret is stored, and changing
 * `LINK_SEALING_KEY` changes every partner's link.
 */
@Injectable()
export class PartnerRelationshipLinks {
  private readonly key: Buffer;

  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly activityLog: ActivityLogService,
    @Inject(APP_CONFIG) private readonly config: RelationshipsConfig,
  ) {
    this.key = createHash('sha256')
      .update(`partner-relationship-link:${config.LINK_SEALING_KEY}`, 'utf8')
      .digest();
  }

  /**
   * The caller's link. `delegatedAdmin` defaults to false, except for partners in the us-gov and
   * germany clouds, whose requests must include delegated admin privileges (true by default,
   * false refused).
   * @throws 403 `partner.not_active`, 422 `relationship_request.delegated_admin_required`.
   */
  async get(caller: Caller, delegatedAdmin: boolean | undefined): Promise<RelationshipRequestUrl> {
    const partner = await this.tenants.requireActivePartner(caller);
    const dap = delegatedAdmin ?? partner.cloud !== 'public';
    assertDelegatedAdminRule(partner.cloud, dap);
    const generation = await this.generationOf(this.em, caller.tenantId);
    return this.resource(caller.tenantId, partner.cloud, dap, generation);
  }

  /**
   * Replace the caller's link (both variants): the generation increments in one statement (two
   * rotations at once make two generations), one `relationship_request.link_rotated` event.
   * @returns the new link of the variant asked for, as `get`.
   * @throws as `get`.
   */
  async rotate(
    caller: Caller,
    delegatedAdmin: boolean | undefined,
  ): Promise<RelationshipRequestUrl> {
    const partner = await this.tenants.requireActivePartner(caller);
    const dap = delegatedAdmin ?? partner.cloud !== 'public';
    assertDelegatedAdminRule(partner.cloud, dap);
    const generation = await this.em.transactional(async (tx) => {
      const rows = await tx.execute<{ generation: number }[]>(
        `insert into "partner_relationship_link" ("partner_tenant_id", "generation", "rotated_at", "rotated_by")
         values (?, 1, now(), ?)
         on conflict ("partner_tenant_id") do update
           set "generation" = "partner_relationship_link"."generation" + 1,
               "rotated_at" = now(), "rotated_by" = excluded."rotated_by"
         returning "generation"`,
        [caller.tenantId, caller.userId],
      );
      const next = rows[0].generation;
      await this.activityLog.record(tx, {
        type: 'relationship_request.link_rotated',
        actor: caller,
        tenantIds: [caller.tenantId],
        resource: { type: 'partner_relationship_link', id: caller.tenantId },
        before: { generation: next - 1 },
        after: { generation: next },
      });
      return next;
    });
    return this.resource(caller.tenantId, partner.cloud, dap, generation);
  }

  /**
   * Check a link's token (`${partnerId}.${0|1}.${mac}`) against the partner's current generation,
   * in `em` (a transaction re-checks it before it writes).
   * @throws 404 `relationship_request.link_invalid` for a malformed, forged or rotated link.
   */
  async verify(em: EntityManager, token: string): Promise<PartnerLinkToken> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) throw invalidLink();
    const [, partnerTenantId, variant, mac] = match;
    const generation = await this.generationOf(em, partnerTenantId);
    const expected = Buffer.from(this.mac(partnerTenantId, variant === '1', generation), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidLink();
    return { partnerTenantId, delegatedAdmin: variant === '1' };
  }

  /** The page's token of a link's query (`partnerId`, `DAP`, `link`), or null when it is not one. */
  static tokenOfQuery(query: unknown): string | null {
    if (typeof query !== 'object' || query === null) return null;
    const { partnerId, DAP, link } = query as Record<string, unknown>;
    if (typeof partnerId !== 'string' || typeof link !== 'string' || typeof DAP !== 'string') {
      return null;
    }
    return `${partnerId.toLowerCase()}.${DAP === 'true' ? '1' : DAP === 'false' ? '0' : 'x'}.${link}`;
  }

  private async generationOf(em: EntityManager, partnerTenantId: string): Promise<number> {
    const rows = await em.execute<{ generation: number }[]>(
      `select "generation" from "partner_relationship_link" where "partner_tenant_id" = ?`,
      [partnerTenantId],
    );
    return rows[0]?.generation ?? 0;
  }

  private mac(partnerTenantId: string, delegatedAdmin: boolean, generation: number): string {
    return createHmac('sha256', this.key)
      .update(`${partnerTenantId}:${delegatedAdmin ? 1 : 0}:${generation}`, 'utf8')
      .digest('base64url');
  }

  private resource(
    partnerTenantId: string,
    cloud: Cloud,
    delegatedAdmin: boolean,
    generation: number,
  ): RelationshipRequestUrl {
    const url = new URL(customerAcceptBase(this.config, cloud));
    url.searchParams.set('invType', 'ResellerRelationship');
    url.searchParams.set('partnerId', partnerTenantId);
    url.searchParams.set('DAP', String(delegatedAdmin));
    url.searchParams.set('link', this.mac(partnerTenantId, delegatedAdmin, generation));
    return { url: url.toString(), attributes: { objectType: 'RelationshipRequest' } };
  }
}
