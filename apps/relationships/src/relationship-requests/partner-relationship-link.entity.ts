import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The generation of a partner's reusable reseller relationship link (Partner Center's
 * RelationshipRequest URL, "Request a reseller relationship"). No row means generation 0: the link
 * exists from the partner's first day, without a write. A rotation increments the generation,
 * which changes the link (an HMAC of partner, variant and generation) and refuses the old one.
 * The link itself is never stored.
 */
@Entity({ tableName: 'partner_relationship_link' })
export class PartnerRelationshipLink {
  @PrimaryKey({ type: 'uuid' })
  partnerTenantId!: string;

  @Property({ type: 'integer' })
  generation: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  rotatedAt: Date | null = null;

  /** The partner user who rotated it last. */
  @Property({ type: 'uuid', nullable: true })
  rotatedBy: string | null = null;
}
