import { Email, SingleLine } from '@app/contracts';
import { PageQuerySchema, collectionSchema } from '@app/platform';
import { z } from 'zod';
import { CUSTOMER_AGREEMENT_TYPE } from '../customer-agreement-template';

/** How far ahead of this server's clock a `dateAgreed` may be (clock skew of the caller). */
export const DATE_AGREED_SKEW_MS = 10 * 60 * 1000;

/** Partner Center's `agreementType` (query) and `type` (body) values we serve. */
export const AgreementType = z.literal(CUSTOMER_AGREEMENT_TYPE);

/** The customer's contact who accepted (Partner Center's `primaryContact`). */
export const PrimaryContactSchema = z.strictObject({
  firstName: SingleLine(100),
  lastName: SingleLine(100),
  email: Email,
  phoneNumber: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{4,30}$/, 'a phone number of digits, spaces and + ( ) . / -')
    .optional(),
});

/**
 * `POST /v1/customers/{id}/agreements` (Partner Center "Confirm customer acceptance of the
 * Microsoft Customer Agreement"): the customer's contact who accepted, when (ISO 8601, not in the
 * future), the template id from `GET /v1/agreements` and the type. Also the `customerAgreement`
 * of a new customer with initial subscriptions.
 */
export const ConfirmCustomerAgreementSchema = z.strictObject({
  primaryContact: PrimaryContactSchema,
  dateAgreed: z.iso
    .datetime({ offset: true })
    .refine((v) => Date.parse(v) <= Date.now() + DATE_AGREED_SKEW_MS, 'must not be in the future'),
  templateId: z.string().trim().min(1).max(100),
  type: AgreementType,
});
export type ConfirmCustomerAgreementDto = z.infer<typeof ConfirmCustomerAgreementSchema>;

/** `GET /v1/agreements?agreementType=`: optional, checked by the service (400 naming it). */
export const AgreementMetadataQuerySchema = z.strictObject({
  agreementType: z.string().max(100).optional(),
});

/** `GET /v1/customers/{id}/agreements?agreementType=&size=&seek=`. */
export const CustomerAgreementListQuerySchema = PageQuerySchema.extend({
  agreementType: z.string().max(100).optional(),
});
export type CustomerAgreementListQuery = z.infer<typeof CustomerAgreementListQuerySchema>;

/** Partner Center's AgreementMetaData. */
export const AgreementMetadataSchema = z.object({
  templateId: z.string(),
  agreementType: AgreementType,
  /** The URL of the template's text (served by `GET /agreements/customer-agreement/{version}`). */
  agreementLink: z.url(),
  versionRank: z.number().int().min(1),
  /** The version of the text (ours; Partner Center has only the rank). */
  version: z.string(),
  attributes: z.object({ objectType: z.literal('AgreementMetaData') }),
});
export type AgreementMetadataResponse = z.infer<typeof AgreementMetadataSchema>;
export const AgreementMetadataCollectionSchema = collectionSchema(AgreementMetadataSchema);

/**
 * Partner Center's Agreement: one acceptance of the Customer Agreement, confirmed by the caller
 * (`source: partner_confirmation`) or accepted by the customer itself on a relationship request
 * (`customer_acceptance`). `userId`: the confirming partner user or the accepting customer admin;
 * `primaryContact` omitted for an acceptance recorded before its contact was kept.
 */
export const AgreementSchema = z.object({
  id: z.uuid(),
  userId: z.uuid().optional(),
  primaryContact: z
    .object({
      firstName: z.string(),
      lastName: z.string(),
      email: z.string(),
      phoneNumber: z.string().optional(),
    })
    .optional(),
  dateAgreed: z.iso.datetime(),
  templateId: z.string(),
  type: AgreementType,
  version: z.string(),
  agreementLink: z.url(),
  source: z.enum(['partner_confirmation', 'customer_acceptance']),
  attributes: z.object({ objectType: z.literal('Agreement') }),
});
export type AgreementResponse = z.infer<typeof AgreementSchema>;
export const AgreementCollectionSchema = collectionSchema(AgreementSchema);
