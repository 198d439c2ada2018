import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** Who recorded an acceptance of the Customer Agreement. */
export type CustomerAgreementSource = 'partner_confirmation' | 'customer_acceptance';

/**
 * One acceptance of the Customer Agreement by a customer (Partner Center's Agreement resource,
 * "Confirm customer acceptance of the Microsoft Customer Agreement"): either a partner's
 * confirmation that the customer accepted (`partner_confirmation`, `partnerTenantId` set: `POST
 * /v1/customers/{id}/agreements`, or a new customer's creation) or the customer's own acceptance on
 * a relationship request (`customer_acceptance`, `partnerTenantId` null: our invitation page or
 * `POST …/relationship-requests/accept`). Rows are never changed nor deleted.
 */
@Entity({ tableName: 'customer_agreement' })
@Index({ properties: ['customerId', 'partnerTenantId', 'createdAt'] })
export class CustomerAgreement {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  customerId!: string;

  /** The confirming partner; null for the customer's own acceptance. */
  @Property({ type: 'uuid', nullable: true })
  partnerTenantId: string | null = null;

  @Property({ type: 'text' })
  source!: CustomerAgreementSource;

  /** `MicrosoftCustomerAgreement`, the one agreement type served. */
  @Property({ type: 'text' })
  type!: 'MicrosoftCustomerAgreement';

  @Property({ type: 'text' })
  templateId!: string;

  /** The version of the text accepted (the one shown on the page, or the template's). */
  @Property({ type: 'text' })
  version!: string;

  /** The partner user who confirmed, or the customer's Global admin who accepted; null when unknown. */
  @Property({ type: 'uuid', nullable: true })
  userId: string | null = null;

  /** The customer's contact who accepted; null only for acceptances recorded before issue 11. */
  @Property({ type: 'text', nullable: true })
  primaryContactFirstName: string | null = null;

  @Property({ type: 'text', nullable: true })
  primaryContactLastName: string | null = null;

  @Property({ type: 'text', nullable: true })
  primaryContactEmail: string | null = null;

  @Property({ type: 'text', nullable: true })
  primaryContactPhoneNumber: string | null = null;

  /** When the customer agreed (as the partner states it, or the instant of the acceptance here). */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  dateAgreed!: Date;

  /** The relationship request accepted with it, for a customer's acceptance. */
  @Property({ type: 'uuid', nullable: true })
  invitationId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
