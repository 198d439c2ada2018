import { SetMetadata } from '@nestjs/common';

export const AUDITED_KEY = 'pcp:audited';
export const AUDIT_EXEMPT_KEY = 'pcp:audit-exempt';

/**
 * Declares the audit event types a state-changing route writes (issue 14: every state-changing
 * route writes exactly one audit event of a documented type; a test walks the route table and fails
 * for a POST, PUT, PATCH or DELETE route without this or {@link AuditExempt}). Several types when
 * the route writes one of them depending on its input (e.g. accept or decline).
 */
export const Audited = (...types: string[]) => SetMetadata(AUDITED_KEY, types);

/**
 * Declares that a POST, PUT, PATCH or DELETE route changes no state (e.g. rendering a preview)
 * and so writes no audit event; `reason` says why, for the reader and the route-walk test.
 */
export const AuditExempt = (reason: string) => SetMetadata(AUDIT_EXEMPT_KEY, reason);
