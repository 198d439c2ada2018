import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Cloud, Locale } from '@app/contracts';
import { randomUUID } from 'node:crypto';

/** What an invitation asks for: a partnership (seed 002) or a reseller relationship (seeds 000/001). */
export const INVITATION_KINDS = ['partnership', 'reseller-relationship'] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];

/**
 * `pending` until accepted, revoked by the inviting partner, or expired. A pending invitation past
 * its `expiresAt` is reported (and treated) as `expired`.
 */
export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * An invitation link sent by email (DESIGN.md "Invitation link"): the token (256 random bits) is
 * stored only as its SHA-256 hash, is single use, expires, and can be revoked or resent (a resend
 * replaces the token, so the old link dies). The requests an organisation received are read by
 * recipient address (`invitation_email_kind_idx`) and by accepting organisation (the partial
 * `invitation_accepted_by_idx` of Migration20261209300000).
 */
@Entity({ tableName: 'invitation' })
@Index({
  name: 'invitation_partner_kind_created_idx',
  properties: ['partnerTenantId', 'kind', 'createdAt', 'id'],
})
@Index({
  name: 'invitation_email_kind_idx',
  properties: ['email', 'kind', 'createdAt', 'id'],
})
export class Invitation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  kind!: InvitationKind;

  /** The inviting partner's tenant (the indirect provider of a partnership request). */
  @Property({ type: 'uuid' })
  partnerTenantId!: string;

  /** The inviting partner's cloud: chooses the customer's acceptance page (seed 001). */
  @Property({ type: 'text' })
  cloud!: Cloud;

  /** Recipient email address (lower case). */
  @Property({ type: 'text' })
  email!: string;

  /** Language of the emails to the recipient. */
  @Property({ type: 'text' })
  locale!: Locale;

  @Unique({ name: 'invitation_token_hash_unique' })
  @Property({ type: 'text' })
  tokenHash!: string;

  @Property({ type: 'text' })
  status: InvitationStatus = 'pending';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'uuid' })
  inviterUserId!: string;

  @Property({ type: 'text' })
  inviterName!: string;

  @Property({ type: 'text' })
  inviterEmail!: string;

  /** The inviter's own words, rendered by the template beside (never instead of) the link. */
  @Property({ type: 'text', nullable: true })
  customMessage: string | null = null;

  /** A reseller relationship request that includes delegated admin privileges (seed 001). */
  @Property({ type: 'boolean' })
  delegatedAdmin: boolean = false;

  /** For a joint request (seed 000): the indirect provider that the customer accepts too. */
  @Property({ type: 'uuid', nullable: true })
  jointProviderTenantId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acceptedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  acceptedByTenantId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  acceptedByUserId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /**
   * The outbox row id (the delivery's idempotency key) of the latest email that carries this
   * invitation's link; `null` when none is queued (draft only, or cancelled). Revoking or resending
   * the invitation cancels that email.
   */
  @Property({ type: 'uuid', nullable: true })
  lastEmailKey: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
