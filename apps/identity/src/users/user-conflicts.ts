import { DomainError } from '@app/platform';
import type { UniqueConflicts } from '../organizations/unique-violation';

/** Unique constraints of the `user_account` table (see `user.entity.ts`). */
export const USER_CONFLICTS: UniqueConflicts = {
  user_account_email_unique: () =>
    new DomainError('user.email_taken', 409, 'A user with this email address already exists.'),
};
