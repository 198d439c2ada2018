import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Cloud, EnrollmentStatus, Locale, PartnerType, TenantKind } from '@app/contracts';
import { randomUUID } from 'node:crypto';

/** A contact person of a partner's legal business profile (primary contact, support contact). */
export interface StoredContact {
  name: string;
  email: string;
  phone: string | null;
  /** The support contact's website (`https:`), absent on older rows and other contacts. */
  website?: string | null;
}

/** A company address; the country lives on the tenant (`Tenant.country`). */
export interface StoredAddress {
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  state: string | null;
  postalCode: string;
}

/**
 * An organisation (DESIGN.md "Tenant"): a partner (with its enrollment status and legal business
 * profile), a customer (with its default domain and Customer Agreement acceptance), or the
 * platform operator's own tenant. Partner columns are null for customers and vice versa.
 * `version` grows on every change.
 */
@Entity({ tableName: 'tenant' })
export class Tenant {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  kind!: TenantKind;

  /** Partner: the legal business name. Customer: the company name. */
  @Property({ type: 'text' })
  name!: string;

  /** ISO 3166-1 alpha-2. */
  @Property({ type: 'text' })
  country!: string;

  @Property({ type: 'text' })
  cloud!: Cloud;

  @Property({ type: 'text' })
  locale!: Locale;

  @Property({ type: 'integer' })
  version: number = 1;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'json', nullable: true })
  address: StoredAddress | null = null;

  @Property({ type: 'text', nullable: true })
  partnerType: PartnerType | null = null;

  /** Partner ID (MPN ID), unique among partners. */
  @Property({ type: 'text', nullable: true })
  mpnId: string | null = null;

  /** Enrollment status of a partner. */
  @Property({ type: 'text', nullable: true })
  partnerStatus: EnrollmentStatus | null = null;

  @Property({ type: 'json', nullable: true })
  primaryContact: StoredContact | null = null;

  /**
   * A new primary contact email waiting for its verification link to be followed; the current
   * primary contact stays until then.
   */
  @Property({ type: 'text', nullable: true })
  pendingPrimaryContactEmail: string | null = null;

  @Property({ type: 'json', nullable: true })
  supportContact: StoredContact | null = null;

  /** Customer default domain `<prefix>.<CUSTOMER_DOMAIN_SUFFIX>`, unique. */
  @Property({ type: 'text', nullable: true })
  domain: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  customerAgreementAcceptedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  customerAgreementAcceptedBy: string | null = null;

  /** The partner tenant that created this customer (null for a self sign-up). */
  @Property({ type: 'uuid', nullable: true })
  createdByTenantId: string | null = null;
}
