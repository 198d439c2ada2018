import { DomainError } from '@app/platform';
import type { UniqueConflicts } from '../organizations/unique-violation';

/**
 * Unique constraints of the `user_account` table (see `user.entity.ts`). An email is unique within
 * its organisation only (issue 9 point 9): the conflict names the caller's own organisation, whose
 * users it can list anyway, and says nothing about any other.
 */
export const USER_CONFLICTS: UniqueConflicts = {
  user_account_tenant_email_unique: () => emailTakenInOrganization(),
};

/** 409 `user.email_taken`: a user of the same organisation already signs in with this address. */
export function emailTakenInOrganization(): DomainError {
  return new DomainError(
    'user.email_taken',
    409,
    'A user of this organization already signs in with this email address.',
  );
}
