import {
  ACCOUNT_FAILURES,
  accountThrottleKey,
  addressThrottleKey,
  normaliseEmail,
  throttleKeyPrefix,
  throttlerStorageKeys,
} from './throttle-keys';

describe('sign-in throttle keys', () => {
  it('counts an email under one key whatever its case, spacing or Unicode form', () => {
    const key = accountThrottleKey('ada@contoso.example');
    expect(accountThrottleKey('  ADA@Contoso.Example ')).toBe(key);
    // NFKC folds the fullwidth letters to ASCII.
    expect(normaliseEmail('ａｄａ@contoso.example')).toBe('ada@contoso.example');
    expect(accountThrottleKey('ａｄａ@contoso.example')).toBe(key);
    expect(accountThrottleKey('bob@contoso.example')).not.toBe(key);
  });

  it('keeps emails and client addresses out of the keys (SHA-256 only)', () => {
    const account = accountThrottleKey('ada@contoso.example');
    expect(account).toMatch(/^account:[0-9a-f]{64}$/);
    expect(account).not.toContain('ada');
    const address = addressThrottleKey('AuthController.signIn', '203.0.113.7');
    expect(address).toMatch(/^address:AuthController\.signIn:[0-9a-f]{64}$/);
    expect(address).not.toContain('203.0.113.7');
  });

  it('counts an address per route', () => {
    expect(addressThrottleKey('AuthController.signIn', '203.0.113.7')).not.toBe(
      addressThrottleKey('AuthController.refresh', '203.0.113.7'),
    );
    expect(addressThrottleKey('AuthController.signIn', '203.0.113.7')).not.toBe(
      addressThrottleKey('AuthController.signIn', '203.0.113.8'),
    );
  });

  it("names the storage's hit and block keys in one hash slot, under the run's prefix", () => {
    const keys = throttlerStorageKeys('account:abc', ACCOUNT_FAILURES);
    expect(keys).toEqual({
      hits: '{account:abc:sign-in-failures}:hits',
      blocked: '{account:abc:sign-in-failures}:blocked',
    });
    expect(throttleKeyPrefix('pcp-test-run1')).toBe('pcp-test-run1:throttle:');
  });
});
