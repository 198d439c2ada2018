import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUDIT_EVENTS,
  IDENTITY_AUDIT_EVENTS,
  NOTIFICATIONS_AUDIT_EVENTS,
  RELATIONSHIPS_AUDIT_EVENTS,
} from '@app/contracts';

/**
 * The README's event catalogue (issue 14 acceptance: "README: the event catalogue") lists every
 * type of libs/contracts/src/audit.ts with the service that writes it and its resource, and
 * nothing that is not in the catalogue.
 */
describe('the README event catalogue', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Event catalogue'));
  const rows = new Map(
    [...section.matchAll(/^\| `([a-z_.]+)` +\| ([a-z]+) +\| ([a-z_]+) +\|/gm)].map((m) => [
      m[1],
      { source: m[2], resource: m[3] },
    ]),
  );

  const halves = [
    ['identity', IDENTITY_AUDIT_EVENTS],
    ['relationships', RELATIONSHIPS_AUDIT_EVENTS],
    ['notifications', NOTIFICATIONS_AUDIT_EVENTS],
  ] as const;

  it.each(halves)('lists every type %s writes, with its resource', (source, events) => {
    const wrong = Object.entries(events)
      .filter(([type, definition]) => {
        const row = rows.get(type);
        return row?.source !== source || row.resource !== definition.resource;
      })
      .map(([type]) => type);
    expect(wrong).toEqual([]);
  });

  it('lists no type that is not in the catalogue', () => {
    expect([...rows.keys()].filter((type) => !(type in AUDIT_EVENTS))).toEqual([]);
  });
});
