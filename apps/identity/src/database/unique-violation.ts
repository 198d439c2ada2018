import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '@app/platform';

/** Unique constraints of the identity schema and the conflict each one means to the caller. */
const CONFLICTS: Record<string, () => DomainError> = {
  user_account_email_unique: () =>
    new DomainError('user.email_taken', 409, 'A user with this email address already exists.'),
  tenant_mpn_id_unique: () =>
    new DomainError(
      'enrollment.mpn_id_taken',
      409,
      'This Partner ID (MPN ID) is already enrolled.',
    ),
  tenant_domain_unique: () =>
    new DomainError('customer.domain_taken', 409, 'This default domain is already taken.'),
};

/**
 * Turn a unique-constraint violation that lost a race (two requests checked, both found nothing,
 * both inserted) into the same 409 the check would have answered; rethrow anything else.
 */
export function rethrowUniqueViolation(error: unknown): never {
  if (error instanceof UniqueConstraintViolationException) {
    const constraint = (error as unknown as { constraint?: string }).constraint ?? '';
    const map = CONFLICTS[constraint];
    if (map) throw map();
  }
  throw error;
}
