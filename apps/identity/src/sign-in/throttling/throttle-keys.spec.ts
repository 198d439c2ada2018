import { throttlerStorageKeys } from '@app/platform';
import { ACCOUNT_ATTEMPTS, accountThrottleKey, normaliseEmail } from './throttle-keys';

describe('account lockout keys', () => {
  it('counts an email under one key whatever its case, spacing or Unicode form', () => {
    const key = accountThrottleKey('ada@contoso.example');
    expect(accountThrottleKey('  ADA@Contoso.Example ')).toBe(key);
    // NFKC folds the fullwidth letters to ASCII.
    expect(normaliseEmail('ａｄａ@contoso.example')).toBe('ada@contoso.example');
    expect(accountThrottleKey('ａｄａ@contoso.example')).toBe(key);
    expect(accountThrottleKey('bob@contoso.example')).not.toBe(key);
  });

  it('keeps emails out of the keys (SHA-256 only)', () => {
    const account = accountThrottleKey('ada@contoso.example');
    expect(account).toMatch(/^account:[0-9a-f]{64}$/);
    expect(account).not.toContain('ada');
  });

  it("names the storage's hit and block keys in one hash slot", () => {
    expect(throttlerStorageKeys('account:abc', ACCOUNT_ATTEMPTS)).toEqual({
      hits: '{account:abc:sign-in-attempts}:hits',
      blocked: '{account:abc:sign-in-attempts}:blocked',
    });
  });
});
