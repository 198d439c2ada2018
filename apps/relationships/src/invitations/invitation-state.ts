import { DomainError } from '@app/platform';
import type { Invitation, InvitationStatus } from './invitation.entity';

type Stateful = Pick<Invitation, 'status' | 'expiresAt'>;

/** The status an invitation has at `now`: a pending invitation past its expiry is `expired`. */
export function effectiveStatus(invitation: Stateful, now: Date): InvitationStatus {
  if (invitation.status === 'pending' && invitation.expiresAt.getTime() <= now.getTime()) {
    return 'expired';
  }
  return invitation.status;
}

/** When an invitation created (or resent) at `now` expires. */
export function expiryFrom(now: Date, ttlHours: number): Date {
  return new Date(now.getTime() + ttlHours * 3600_000);
}

/**
 * Accepting: only a pending, unexpired invitation can be accepted, once.
 * @throws 409 `invitation.already_accepted`, 410 `invitation.revoked`, 410 `invitation.expired`.
 */
export function assertAcceptable(invitation: Stateful, now: Date): void {
  const status = effectiveStatus(invitation, now);
  switch (status) {
    case 'pending':
      return;
    case 'accepted':
      throw new DomainError(
        'invitation.already_accepted',
        409,
        'This invitation has already been accepted: its link works only once.',
      );
    case 'revoked':
      throw new DomainError('invitation.revoked', 410, 'This invitation was revoked.');
    case 'expired':
      throw new DomainError(
        'invitation.expired',
        410,
        'This invitation has expired. Ask the partner to send it again.',
      );
  }
}

/**
 * Revoking: a pending or expired invitation becomes revoked; revoking a revoked one changes
 * nothing (`false`).
 * @throws 409 `invitation.already_accepted` for an accepted invitation.
 */
export function assertRevocable(invitation: Stateful, now: Date): boolean {
  const status = effectiveStatus(invitation, now);
  switch (status) {
    case 'pending':
    case 'expired':
      return true;
    case 'revoked':
      return false;
    case 'accepted':
      throw new DomainError(
        'invitation.already_accepted',
        409,
        'This invitation has already been accepted and can no longer be revoked.',
      );
  }
}

/**
 * Resending: a pending or expired invitation gets a new token and expiry (the old link dies).
 * @throws 409 `invitation.already_accepted`, 410 `invitation.revoked`.
 */
export function assertResendable(invitation: Stateful, now: Date): void {
  const status = effectiveStatus(invitation, now);
  switch (status) {
    case 'pending':
    case 'expired':
      return;
    case 'accepted':
      throw new DomainError(
        'invitation.already_accepted',
        409,
        'This invitation has already been accepted.',
      );
    case 'revoked':
      throw new DomainError(
        'invitation.revoked',
        410,
        'This invitation was revoked: send a new one instead.',
      );
  }
}
