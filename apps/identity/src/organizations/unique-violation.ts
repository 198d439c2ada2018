import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '@app/platform';

/** Unique constraints of one table, by name, and the conflict each one means to the caller. */
export type UniqueConflicts = Readonly<Record<string, () => DomainError>>;

/** Unique constraints of the `tenant` table (see `tenant.entity.ts`). */
export const TENANT_CONFLICTS: UniqueConflicts = {
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
 * A `.catch` handler for a transaction that writes the tables of `conflicts` (e.g.
 * `TENANT_CONFLICTS`, `USER_CONFLICTS`): it turns a unique-constraint violation that lost a race
 * (two requests checked, both found nothing, both inserted) into the same 409 the check would have
 * answered, and rethrows anything else.
 */
export function rethrowUniqueViolation(...conflicts: UniqueConflicts[]): (error: unknown) => never {
  const byConstraint: UniqueConflicts = Object.fromEntries(
    conflicts.flatMap((c) => Object.entries(c)),
  );
  return (error: unknown): never => {
    if (error instanceof UniqueConstraintViolationException) {
      const constraint = (error as unknown as { constraint?: string }).constraint ?? '';
      const map = byConstraint[constraint];
      if (map) throw map();
    }
    throw error;
  };
}
