import { Email, SingleLine } from '@app/contracts';
import { z } from 'zod';
import { StoredContact, Tenant } from '../tenant.entity';

/** A phone number as people write it: digits, spaces, `+ ( ) . / -`. */
export const Phone = z
  .string()
  .trim()
  .regex(/^[+0-9][0-9 ()./-]{2,39}$/, 'must be a phone number such as +1 425 555 0100');

/** A contact person: name, email, optional phone. */
export const ContactInputSchema = z.strictObject({
  name: SingleLine(200),
  email: Email,
  phone: Phone.optional(),
});

/** A contact as the API shows it. */
export function contactView(contact: StoredContact | null) {
  return {
    name: contact?.name ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? null,
  };
}

/**
 * A new primary contact email waiting for verification (the current primary contact stays until
 * the new address follows its link), or null.
 */
export function pendingContactView(
  tenant: Tenant,
): { email: string; verificationPending: true } | null {
  return tenant.pendingPrimaryContactEmail
    ? { email: tenant.pendingPrimaryContactEmail, verificationPending: true }
    : null;
}

/** A contact as the API shows it (`contactView`). */
export const ContactViewSchema = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
});

/** A primary contact change waiting for the new address's verification (`pendingContactView`). */
export const PendingContactViewSchema = z
  .object({ email: z.string(), verificationPending: z.literal(true) })
  .nullable();

/** An organisation's address as the API shows it (`addressView`). */
export const AddressViewSchema = z.object({
  addressLine1: z.string(),
  addressLine2: z.string().nullable(),
  city: z.string(),
  state: z.string().nullable(),
  postalCode: z.string(),
  country: z.string(),
});
