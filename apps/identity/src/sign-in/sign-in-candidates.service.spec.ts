import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@app/platform';
import type { Tenant } from '../organizations/tenant.entity';
import type { PasswordHasher } from '../users/password-hasher.service';
import type { User } from '../users/user.entity';
import { MAX_SIGN_IN_CANDIDATES, SignInCandidates } from './sign-in-candidates.service';

/** Users and tenants in memory; passwords "hashed" as `hash:<password>`. */
function setUp(users: Partial<User>[], tenants: Partial<Tenant>[]) {
  const calls = { find: [] as unknown[], findOne: [] as unknown[], verified: [] as string[] };
  const em = {
    find: jest.fn((entity: { name: string }, where: Record<string, unknown>, options: unknown) => {
      calls.find.push({ entity: entity.name, where, options });
      if (entity.name === 'User') {
        return Promise.resolve(
          users.filter(
            (u) =>
              u.email === where.email &&
              !u.disabled &&
              (where.tenantId === undefined || u.tenantId === where.tenantId),
          ),
        );
      }
      const ids = (where.id as { $in: string[] }).$in;
      return Promise.resolve(tenants.filter((t) => ids.includes(t.id ?? '')));
    }),
    findOne: jest.fn((_entity: unknown, where: Record<string, unknown>) => {
      calls.findOne.push(where);
      const [key, value] = Object.entries(where)[0];
      return Promise.resolve(
        tenants.find((t) => (t as Record<string, unknown>)[key] === value) ?? null,
      );
    }),
  };
  const hasher = {
    verify: jest.fn((hash: string, password: string) => {
      calls.verified.push(hash);
      return Promise.resolve(hash === `hash:${password}`);
    }),
    verifyOrBurn: jest.fn((hash: string | undefined) => {
      calls.verified.push(hash ?? 'dummy');
      return Promise.resolve(false);
    }),
  };
  const candidates = new SignInCandidates(
    em as unknown as EntityManager,
    hasher as unknown as PasswordHasher,
  );
  return { candidates, calls };
}

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const tenants: Partial<Tenant>[] = [
  { id: T1, name: 'Contoso', mpnId: '1234567', domain: null },
  { id: T2, name: 'Northwind', mpnId: null, domain: 'northwind.onmicrosoft.example' },
];
const user = (id: string, tenantId: string, password: string, disabled = false): Partial<User> => ({
  id,
  tenantId,
  email: 'ana@example.com',
  passwordHash: `hash:${password}`,
  disabled,
});

describe('SignInCandidates (issue 9 point 9: sign-in names per organisation)', () => {
  it('burns one verification for an unknown name and answers no match', async () => {
    const { candidates, calls } = setUp([], tenants);
    await expect(candidates.match('ana@example.com', 'pw')).resolves.toBeNull();
    expect(calls.verified).toEqual(['dummy']);
  });

  it('signs in the one account whose password matches, among several of the address', async () => {
    const { candidates, calls } = setUp(
      [user('u1', T1, 'first'), user('u2', T2, 'second')],
      tenants,
    );
    const match = await candidates.match('ana@example.com', 'second');
    expect(match?.user.id).toBe('u2');
    expect(match?.tenant.id).toBe(T2);
    expect(calls.verified).toEqual(['hash:first', 'hash:second']);
    expect(calls.find[0]).toEqual({
      entity: 'User',
      where: { email: 'ana@example.com', disabled: false },
      options: {
        orderBy: { emailVerifiedAt: 'ASC NULLS LAST', createdAt: 'asc', id: 'asc' },
        limit: MAX_SIGN_IN_CANDIDATES,
      },
    });
    await expect(candidates.match('ana@example.com', 'wrong')).resolves.toBeNull();
  });

  it('answers 409 auth.organization_required, naming the organisations, when the password matches in several', async () => {
    const { candidates } = setUp([user('u1', T1, 'same'), user('u2', T2, 'same')], tenants);
    const error = await candidates.match('ana@example.com', 'same').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'auth.organization_required',
      status: 409,
      data: [
        { id: T1, name: 'Contoso' },
        { id: T2, name: 'Northwind' },
      ],
    });
  });

  it.each([
    [T1, { id: T1 }, 'u1'],
    [T2.toUpperCase(), { id: T2 }, 'u2'],
    ['1234567', { mpnId: '1234567' }, 'u1'],
    [' Northwind.OnMicrosoft.Example ', { domain: 'northwind.onmicrosoft.example' }, 'u2'],
  ])('with organization %j looks up %j and signs in that account only', async (org, where, id) => {
    const { candidates, calls } = setUp([user('u1', T1, 'same'), user('u2', T2, 'same')], tenants);
    const match = await candidates.match('ana@example.com', 'same', org);
    expect(calls.findOne).toEqual([where]);
    expect(match?.user.id).toBe(id);
    expect(calls.verified).toHaveLength(1);
  });

  it('treats an unknown organisation, or one without the address, like an unknown name', async () => {
    const { candidates, calls } = setUp([user('u1', T1, 'pw')], tenants);
    await expect(candidates.match('ana@example.com', 'pw', '7654321')).resolves.toBeNull();
    await expect(candidates.match('ana@example.com', 'pw', T2)).resolves.toBeNull();
    expect(calls.verified).toEqual(['dummy', 'dummy']);
  });

  it('never signs in a disabled account, and burns a verification when it was the only one', async () => {
    const { candidates, calls } = setUp([user('u1', T1, 'pw', true)], tenants);
    await expect(candidates.match('ana@example.com', 'pw')).resolves.toBeNull();
    expect(calls.verified).toEqual(['dummy']);
  });
});
