import { DomainError } from '@app/platform';
import {
  assertAcceptable,
  assertResendable,
  assertRevocable,
  effectiveStatus,
  expiryFrom,
} from './invitation-state';
import { InvitationStatus } from './invitation.entity';

/** A fake clock: a fixed "now" and an invitation issued then with a 168-hour TTL. */
const issuedAt = new Date('2026-11-23T10:00:00.000Z');
const ttlHours = 168;
const at = (hours: number) => new Date(issuedAt.getTime() + hours * 3600_000);
const invitation = (status: InvitationStatus) => ({
  status,
  expiresAt: expiryFrom(issuedAt, ttlHours),
});

function errorOf(fn: () => unknown): DomainError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return undefined;
}

describe('invitation state', () => {
  it('expires exactly after the TTL', () => {
    expect(expiryFrom(issuedAt, ttlHours).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(effectiveStatus(invitation('pending'), at(167.99))).toBe('pending');
    expect(effectiveStatus(invitation('pending'), at(168))).toBe('expired');
    expect(effectiveStatus(invitation('accepted'), at(500))).toBe('accepted');
    expect(effectiveStatus(invitation('revoked'), at(500))).toBe('revoked');
  });

  it('accepts a pending invitation before it expires', () => {
    expect(errorOf(() => assertAcceptable(invitation('pending'), at(1)))).toBeUndefined();
  });

  it.each([
    ['accepted', 1, 'invitation.already_accepted', 409],
    ['revoked', 1, 'invitation.revoked', 410],
    ['expired', 1, 'invitation.expired', 410],
    ['pending', 200, 'invitation.expired', 410],
  ] as const)('refuses to accept a %s invitation at +%dh', (status, hours, code, httpStatus) => {
    expect(errorOf(() => assertAcceptable(invitation(status), at(hours)))).toMatchObject({
      code,
      status: httpStatus,
    });
  });

  it('revokes pending and expired invitations, ignores a second revocation, never an accepted one', () => {
    expect(assertRevocable(invitation('pending'), at(1))).toBe(true);
    expect(assertRevocable(invitation('pending'), at(200))).toBe(true);
    expect(assertRevocable(invitation('revoked'), at(1))).toBe(false);
    expect(errorOf(() => assertRevocable(invitation('accepted'), at(1)))).toMatchObject({
      code: 'invitation.already_accepted',
      status: 409,
    });
  });

  it('resends pending and expired invitations only', () => {
    expect(errorOf(() => assertResendable(invitation('pending'), at(1)))).toBeUndefined();
    expect(errorOf(() => assertResendable(invitation('pending'), at(300)))).toBeUndefined();
    expect(errorOf(() => assertResendable(invitation('revoked'), at(1)))).toMatchObject({
      code: 'invitation.revoked',
    });
    expect(errorOf(() => assertResendable(invitation('accepted'), at(1)))).toMatchObject({
      code: 'invitation.already_accepted',
    });
  });
});
