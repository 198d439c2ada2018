import { DelegatedAdminRelationship } from './delegated-admin-relationship.entity';
import { isDue } from './gdap-lifecycle.service';
import { GLOBAL_ADMINISTRATOR } from './gdap-roles';

const DAY = 86_400_000;
const NOW = new Date('2026-12-05T12:00:00.000Z');

function row(fields: Partial<DelegatedAdminRelationship>): DelegatedAdminRelationship {
  return Object.assign(new DelegatedAdminRelationship(), {
    roles: ['fe930be7-5e62-47db-91af-98c3a49a38b1'],
    status: 'active',
    ...fields,
  });
}
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

describe('GDAP lifecycle steps (isDue)', () => {
  it('moves an active relationship to expiring 30 days ahead, not before', () => {
    expect(isDue(row({ endAt: at(30) }), 'expiring', NOW)).toBe(true);
    expect(isDue(row({ endAt: at(31) }), 'expiring', NOW)).toBe(false);
  });

  it('rolls P180D forward at the end instead, never with Global Administrator', () => {
    expect(isDue(row({ endAt: at(10), autoExtendDuration: 'P180D' }), 'expiring', NOW)).toBe(false);
    expect(isDue(row({ endAt: at(0), autoExtendDuration: 'P180D' }), 'extend', NOW)).toBe(true);
    expect(
      isDue(
        row({ endAt: at(-1), autoExtendDuration: 'P180D', roles: [GLOBAL_ADMINISTRATOR] }),
        'extend',
        NOW,
      ),
    ).toBe(false);
    expect(
      isDue(
        row({ endAt: at(10), autoExtendDuration: 'P180D', roles: [GLOBAL_ADMINISTRATOR] }),
        'expiring',
        NOW,
      ),
    ).toBe(true);
  });

  it('sends the 7- and 1-day notices once each, skipping one a later notice covers', () => {
    const expiring = { status: 'expiring' as const };
    expect(isDue(row({ ...expiring, endAt: at(5) }), 'notice7', NOW)).toBe(true);
    expect(isDue(row({ ...expiring, endAt: at(5), notice7SentAt: NOW }), 'notice7', NOW)).toBe(
      false,
    );
    expect(isDue(row({ ...expiring, endAt: at(0.5) }), 'notice7', NOW)).toBe(false);
    expect(isDue(row({ ...expiring, endAt: at(0.5) }), 'notice1', NOW)).toBe(true);
    expect(isDue(row({ ...expiring, endAt: at(0.5), notice1SentAt: NOW }), 'notice1', NOW)).toBe(
      false,
    );
  });

  it('expires at the end and an approval after 90 days', () => {
    expect(isDue(row({ status: 'expiring', endAt: at(0) }), 'expired', NOW)).toBe(true);
    expect(isDue(row({ status: 'terminated', endAt: at(-1) }), 'expired', NOW)).toBe(false);
    expect(
      isDue(
        row({ status: 'approvalPending', approvalExpiresAt: at(-0.001) }),
        'approvalExpired',
        NOW,
      ),
    ).toBe(true);
    expect(
      isDue(row({ status: 'approvalPending', approvalExpiresAt: at(1) }), 'approvalExpired', NOW),
    ).toBe(false);
  });
});
