import { REDACTED, auditSnapshot } from './audit-snapshot';

describe('auditSnapshot (no secret in an audit event)', () => {
  it('leaves out every field that holds a secret, at any depth', () => {
    const snapshot = auditSnapshot({
      id: 'u1',
      email: 'ada@contoso.example',
      password: 'Correct-Horse-9',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc',
      temporaryPassword: 'Tmp-Password-1',
      newPassword: 'New-Password-1',
      currentPassword: 'Old-Password-1',
      refreshToken: 'rt',
      accessToken: 'at',
      tokenHash: 'th',
      token: 'raw',
      link: 'https://id.example/v1/auth/password-reset?token=abc',
      sealedLink: 'sealed',
      clientSecret: 's',
      privateJwk: { d: 'private' },
      privateKeyJwe: 'jwe',
      apiKey: 'k',
      nested: {
        globalAdmin: { email: 'x@contoso.example', password: 'P', passwordHash: 'H' },
        list: [{ secret: 's', name: 'kept' }],
      },
    });
    expect(snapshot).toEqual({
      id: 'u1',
      email: 'ada@contoso.example',
      nested: { globalAdmin: { email: 'x@contoso.example' }, list: [{ name: 'kept' }] },
    });
    const text = JSON.stringify(snapshot);
    for (const secret of ['Correct-Horse', 'argon2', 'Tmp-Password', 'private', 'jwe', 'token=']) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps a flag about a secret (a boolean or null says nothing secret)', () => {
    expect(
      auditSnapshot({ passwordTemporary: true, passwordChangedAt: null, tokenRevoked: false }),
    ).toEqual({ passwordTemporary: true, passwordChangedAt: null, tokenRevoked: false });
  });

  it('redacts a string carrying a token in a URL query, whatever its field is called', () => {
    expect(
      auditSnapshot({
        note: 'see https://id.example/v1/enrollments/verify?token=abcdef',
        url: 'https://partner.example/x?a=1&sig=zzz',
        website: 'https://support.contoso.example',
      }),
    ).toEqual({ note: REDACTED, url: REDACTED, website: 'https://support.contoso.example' });
  });

  it('copies dates as ISO 8601, drops undefined and functions, answers null for undefined', () => {
    const at = new Date('2026-12-06T10:00:00.000Z');
    expect(auditSnapshot({ at, gone: undefined, fn: () => 1, n: 3 })).toEqual({
      at: '2026-12-06T10:00:00.000Z',
      n: 3,
    });
    expect(auditSnapshot(undefined)).toBeNull();
    expect(auditSnapshot(null)).toBeNull();
  });

  it('copies deeply (a later change of the source does not reach the snapshot) and survives cycles', () => {
    const source: Record<string, unknown> = { roles: ['GlobalAdmin'] };
    const snapshot = auditSnapshot(source) as { roles: string[] };
    (source.roles as string[]).push('AdminAgent');
    expect(snapshot.roles).toEqual(['GlobalAdmin']);
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(auditSnapshot(cyclic)).toEqual({ name: 'a' });
  });
});
