import type { AuditEvent } from '@app/contracts';
import { GENESIS_HASH, canonicalJson, chainHash } from './audit-chain';

// The verification command recomputes the chain in plain JavaScript: it must agree with the
// chainer on every event, or audit:verify would report intact chains as broken.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require('../../../../scripts/audit-verify.js') as {
  GENESIS_HASH: string;
  canonicalJson: (value: unknown) => string;
  chainHash: (prev: string, event: unknown) => string;
};

const event: AuditEvent = {
  id: '0b7f6a52-7d0e-4a4f-9f0c-1d1b8f1b2a01',
  occurredAt: '2026-12-06T10:00:00.123Z',
  type: 'partnership.established',
  actor: {
    kind: 'user',
    userId: '9d0c3a55-1a7b-4c36-8d7e-2f3f6f0e9a10',
    tenantId: '5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    onBehalfOfTenantId: null,
  },
  tenantIds: ['5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', '6b2d3c4e-5f60-4b7c-9d8e-0f1a2b3c4d5e'],
  resource: { type: 'partnership', id: '7c3e4d5f-6071-4c8d-8e9f-1a2b3c4d5e6f' },
  before: null,
  after: { status: 'active', nested: { b: [1, 'two', { z: true, a: null }], a: 'ü"\\' } },
  requestId: 'req-1',
  correlationId: null,
  source: 'relationships',
};

describe('audit hash chain', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":2,"y":1}]},"b":1}',
    );
  });

  it('gives the same hash whatever the key order of the stored JSON', () => {
    const reordered = JSON.parse(
      JSON.stringify({ ...event, after: { nested: event.after as object, status: 'active' } }),
    ) as AuditEvent;
    reordered.after = { nested: (event.after as { nested: unknown }).nested, status: 'active' };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, event));
  });

  it('changes with any field and with the previous hash', () => {
    const base = chainHash(GENESIS_HASH, event);
    expect(chainHash(GENESIS_HASH, { ...event, requestId: 'req-2' })).not.toBe(base);
    expect(chainHash('f'.repeat(64), event)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is computed identically by scripts/audit-verify.js', () => {
    expect(script.GENESIS_HASH).toBe(GENESIS_HASH);
    expect(script.canonicalJson(event)).toBe(canonicalJson(event));
    const first = chainHash(GENESIS_HASH, event);
    expect(script.chainHash(GENESIS_HASH, event)).toBe(first);
    expect(script.chainHash(first, { ...event, id: 'x' })).toBe(
      chainHash(first, { ...event, id: 'x' }),
    );
  });
});
