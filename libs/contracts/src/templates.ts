import { z } from 'zod';

/**
 * Email templates: the id names a template folder of the render step
 * (`libs/email-rendering/src/templates/<id>/<locale>.{subject,html,text}.hbs`), and the schema is
 * the data it renders. Links never travel inside `data`: they travel beside it (a plain `link` for a
 * draft preview, a sealed link in a queued job) so they can be redacted and sealed in one place.
 */
const Text = z.string().max(2000);
/**
 * The inviter's own words in an invitation email: plain text, at most
 * {@link CUSTOM_MESSAGE_MAX_LENGTH} characters as new requests take it (`CustomMessageText`); the
 * template still renders the 4,000 that requests created before that limit may hold.
 */
const CustomMessage = z.string().max(4000).optional();

/** How long the custom message of a new invitation may be, in characters. */
export const CUSTOM_MESSAGE_MAX_LENGTH = 1000;

/**
 * The custom message an inviter types (partnership and relationship requests): plain text, trimmed,
 * at most {@link CUSTOM_MESSAGE_MAX_LENGTH} characters, no control characters but line breaks and
 * tabs. The templates escape it and never make a link of it.
 */
export const CustomMessageText = z
  .string()
  .trim()
  .max(CUSTOM_MESSAGE_MAX_LENGTH)
  .regex(
    // eslint-disable-next-line no-control-regex
    /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/,
    'must be plain text: no control characters',
  );

export const TEMPLATE_DATA = {
  /** Seed 004: "we'll email your primary contact to verify". Needs a link. */
  'enrollment-verification': z.object({
    legalName: Text,
    contactName: Text,
    expiresAt: z.iso.datetime(),
  }),
  /**
   * Seed 004: "We'll email enrollment status updates to the primary contact." No link. `reason`:
   * the operator's reason for the decision (always given for `rejected`, optional for `active`).
   */
  'enrollment-status': z.object({
    legalName: Text,
    contactName: Text,
    status: z.enum(['in_review', 'active', 'rejected']),
    reason: Text.optional(),
  }),
  /**
   * A partner changed its primary contact email: the new address verifies it before it becomes the
   * primary contact (seed 004 step 8: "this email address belongs to your organization"). Needs a
   * link.
   */
  'primary-contact-verification': z.object({
    legalName: Text,
    contactName: Text,
    expiresAt: z.iso.datetime(),
  }),
  /**
   * Issue 9 point 7: every new user proves its sign-in address before its first sign-in (the
   * Global admin of an enrollment or a customer sign-up, a user an admin or a partner adds). Names
   * the organization the account belongs to. Needs a link.
   */
  'sign-in-email-verification': z.object({
    organizationName: Text,
    firstName: Text,
    expiresAt: z.iso.datetime(),
  }),
  /**
   * Issue 9 point 8: someone asked to reset the password of the account with this sign-in name in
   * `organizationName` (one email per account). Needs a link.
   */
  'password-reset': z.object({
    organizationName: Text,
    firstName: Text,
    expiresAt: z.iso.datetime(),
  }),
  /**
   * Someone enrolled a partner or signed a customer up with an address that already has an
   * account: the public answer looks the same as for a new address (no way to tell whether an
   * email has an account), and the address's owner is told instead. No link, and nothing the
   * requester typed (it could carry a phishing text). No longer queued since sign-in names are per
   * organisation (issue 9 point 9: such a request now creates its own organisation); kept so that
   * emails queued before that change still render. Remove it, with the column
   * `user_account.account_notice_sent_at`, in a later release.
   */
  'account-exists-notice': z.object({
    attempt: z.enum(['partner-enrollment', 'customer-signup']),
    attemptedAt: z.iso.datetime(),
  }),
  /** Seed 002 "Request a partnership": the indirect provider invites an indirect reseller. Needs a link. */
  'partnership-request': z.object({
    providerName: Text,
    providerMpnId: Text,
    inviterName: Text,
    customMessage: CustomMessage,
    expiresAt: z.iso.datetime(),
  }),
  /**
   * Seeds 000/001 "Request a reseller relationship", with or without delegated admin privileges.
   * Needs a link.
   */
  'reseller-relationship-request': z.object({
    partnerName: Text,
    partnerMpnId: Text,
    inviterName: Text,
    delegatedAdmin: z.boolean(),
    customMessage: CustomMessage,
    expiresAt: z.iso.datetime(),
  }),
  /** Seeds 000/004 "Invite new customers": joint request for a reseller and its indirect provider. */
  'joint-reseller-relationship-request': z.object({
    resellerName: Text,
    resellerMpnId: Text,
    providerName: Text,
    providerMpnId: Text,
    inviterName: Text,
    delegatedAdmin: z.boolean(),
    customMessage: CustomMessage,
    expiresAt: z.iso.datetime(),
  }),
  /** A note to the inviter once an invitation has been accepted. No link. */
  'invitation-accepted': z.object({
    inviterName: Text,
    invitationKind: z.enum(['partnership', 'reseller-relationship']),
    acceptedByOrganization: Text,
    acceptedAt: z.iso.datetime(),
  }),
  /**
   * Issue 14 "Signed events": an endpoint of the organisation failed every delivery for
   * `failingHours` hours and was disabled; its admins are told so they fix and re-enable it (failed
   * deliveries can then be replayed). No link: the URL is shown as text, never as a link.
   */
  'webhook-endpoint-disabled': z.object({
    organizationName: Text,
    endpointUrl: Text,
    endpointId: z.string().max(100),
    failingSince: z.iso.datetime(),
    failingHours: z.number().int().min(0),
    lastError: Text.optional(),
  }),
  /**
   * Issue 10 (GDAP): a partner asks the customer's Global admins to approve a delegated admin
   * relationship; each role in plain words, in the recipient's language. Needs a link (the approval
   * page).
   */
  'gdap-approval-request': z.object({
    partnerName: Text,
    relationshipName: Text,
    duration: Text,
    roles: z
      .array(z.object({ name: Text, description: Text }))
      .min(1)
      .max(10),
    expiresAt: z.iso.datetime(),
  }),
  /** Issue 10: the customer approved a delegated admin relationship (to the partner's Admin agents). No link. */
  'gdap-approved': z.object({
    customerName: Text,
    relationshipName: Text,
    approvedAt: z.iso.datetime(),
    endDateTime: z.iso.datetime(),
  }),
  /** Issue 10: the customer rejected a delegated admin relationship (to the partner's Admin agents). No link. */
  'gdap-rejected': z.object({
    customerName: Text,
    relationshipName: Text,
    rejectedAt: z.iso.datetime(),
  }),
  /**
   * Issue 10: a delegated admin relationship ends in `daysAhead` days (30, 7, 1), to the partner's
   * Admin agents and the customer's Global admins. No link.
   */
  'gdap-expiry-notice': z.object({
    partnerName: Text,
    customerName: Text,
    relationshipName: Text,
    endDateTime: z.iso.datetime(),
    daysAhead: z.union([z.literal(30), z.literal(7), z.literal(1)]),
  }),
  /**
   * Issue 10: a delegated admin relationship was terminated (by `terminatedBy`), to the partner's
   * Admin agents and the customer's Global admins. No link.
   */
  'gdap-terminated': z.object({
    partnerName: Text,
    customerName: Text,
    relationshipName: Text,
    terminatedAt: z.iso.datetime(),
    terminatedBy: z.enum(['partner', 'customer']),
  }),
} as const;

export type TemplateId = keyof typeof TEMPLATE_DATA;
export const TEMPLATE_IDS = Object.keys(TEMPLATE_DATA) as TemplateId[];
export const TemplateIdSchema = z.enum(TEMPLATE_IDS as [TemplateId, ...TemplateId[]]);
export type TemplateData<T extends TemplateId> = z.infer<(typeof TEMPLATE_DATA)[T]>;

/** Templates whose email must carry a link (the render step refuses them without one). */
export const TEMPLATES_WITH_LINK: ReadonlySet<TemplateId> = new Set<TemplateId>([
  'enrollment-verification',
  'primary-contact-verification',
  'sign-in-email-verification',
  'password-reset',
  'partnership-request',
  'reseller-relationship-request',
  'joint-reseller-relationship-request',
  'gdap-approval-request',
]);

/** A rendered email: what the draft preview shows and what the worker sends. */
export const RenderedEmailSchema = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  locale: z.enum(['en', 'ja']),
});
export type RenderedEmail = z.infer<typeof RenderedEmailSchema>;
