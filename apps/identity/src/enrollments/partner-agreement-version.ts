/**
 * The version of the Partner Agreement a partner accepts by submitting its enrollment (Partner
 * Center's Microsoft Partner Agreement); a new text is a new version, and each enrollment keeps
 * the one it accepted.
 */
export const PARTNER_AGREEMENT_VERSION = '2026-12';
