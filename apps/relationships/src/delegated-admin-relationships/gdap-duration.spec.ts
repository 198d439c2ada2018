import { addGdapDuration, parseGdapDuration } from './gdap-duration';

describe('GDAP durations (Graph: P1D ≤ duration ≤ P2Y)', () => {
  it.each(['P1D', 'P30D', 'P730D', 'P1W', 'P104W', 'P1M', 'P24M', 'P1Y', 'P2Y'])(
    'takes %s',
    (d) => {
      expect(parseGdapDuration(d)).not.toBeNull();
    },
  );

  it.each([
    'P0D',
    'P731D',
    'P105W',
    'P25M',
    'P3Y',
    'PT1H',
    'P1Y2M',
    'P1.5D',
    '-P1D',
    'P',
    '30',
    'p30d',
    'P01D',
    '',
  ])('refuses %s', (d) => {
    expect(parseGdapDuration(d)).toBeNull();
  });

  it('adds calendar units in UTC', () => {
    const start = new Date('2026-01-31T10:00:00.000Z');
    expect(addGdapDuration(start, { count: 30, unit: 'D' }).toISOString()).toBe(
      '2026-03-02T10:00:00.000Z',
    );
    expect(addGdapDuration(start, { count: 2, unit: 'W' }).toISOString()).toBe(
      '2026-02-14T10:00:00.000Z',
    );
    expect(addGdapDuration(start, { count: 2, unit: 'Y' }).toISOString()).toBe(
      '2028-01-31T10:00:00.000Z',
    );
  });
});
