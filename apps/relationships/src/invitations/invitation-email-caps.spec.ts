import { EmailCap, secondsUntilAllowed } from './invitation-email-caps';

const HOUR = 3600_000;
const cap: EmailCap = { scope: 'partner', limit: 3, windowMs: HOUR };
const now = new Date('2026-12-01T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('secondsUntilAllowed (invitation email caps)', () => {
  it('allows at once under the cap', () => {
    expect(secondsUntilAllowed(cap, null, now)).toBe(0);
  });

  it('allows at once when the limit-th newest send has left the window', () => {
    expect(secondsUntilAllowed(cap, ago(HOUR), now)).toBe(0);
    expect(secondsUntilAllowed(cap, ago(HOUR + 1), now)).toBe(0);
  });

  it('waits until the limit-th newest send leaves the window, rounded up to whole seconds', () => {
    expect(secondsUntilAllowed(cap, ago(10 * 60_000), now)).toBe(50 * 60);
    expect(secondsUntilAllowed(cap, ago(HOUR - 1500), now)).toBe(2);
    expect(secondsUntilAllowed(cap, ago(HOUR - 1), now)).toBe(1);
  });
});
