import { DomainError, newTemporaryPassword } from '@app/platform';
import {
  assertPasswordPolicy,
  baseWord,
  passwordProblems,
  passwordRuleFailures,
} from './password-policy';

const rules = (password: string, email?: string) =>
  passwordRuleFailures(password, { email }).map((p) => p.rule);

describe('password policy', () => {
  it('accepts 12+ characters of two classes', () => {
    expect(passwordProblems('correcthorse42')).toEqual([]);
    expect(passwordProblems('Correct Horse Battery')).toEqual([]);
  });

  it('accepts generated temporary passwords', () => {
    for (let i = 0; i < 50; i += 1) expect(passwordProblems(newTemporaryPassword())).toEqual([]);
  });

  it('refuses short passwords', () => {
    expect(rules('Ab1!')).toEqual(['min_length']);
  });

  it('refuses passwords of one class only', () => {
    expect(rules('abcdefghijklmnop')).toEqual(['character_classes']);
    expect(rules('123456789012345')).toEqual(['character_classes']);
  });

  it('refuses overly long passwords', () => {
    expect(rules(`a1${'x'.repeat(300)}`)).toEqual(['max_length']);
  });

  it("refuses a password containing the email's local part, with or without its separators", () => {
    expect(rules('ada.lovelace-2026', 'ada.lovelace@contoso.example')).toEqual(['contains_email']);
    expect(rules('AdaLovelace#2026', 'ada.lovelace@contoso.example')).toEqual(['contains_email']);
    expect(rules('Analytical-Engine-1843', 'ada.lovelace@contoso.example')).toEqual([]);
    // A very short local part is not looked for.
    expect(rules('ab-Correct-Horse', 'ab@contoso.example')).toEqual([]);
  });

  it('refuses common passwords under decoration (case, digits, symbols, leet)', () => {
    for (const password of [
      'Password2026!',
      'P@ssw0rd-12345',
      '2026!Qwertyuiop',
      'Welcome123456!',
    ]) {
      expect(rules(password)).toEqual(['common_password']);
    }
    expect(baseWord('P@ssw0rd-123')).toBe('password');
    expect(rules('Password-Manager-2026')).toEqual([]);
  });

  it('names every failed rule at once', () => {
    expect(rules('admin', 'admin@contoso.example')).toEqual([
      'min_length',
      'character_classes',
      'contains_email',
      'common_password',
    ]);
  });

  it('throws 400 user.weak_password with the failed rules in data', () => {
    try {
      assertPasswordPolicy('short', { email: 'ada@contoso.example' });
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const domain = error as DomainError;
      expect(domain.code).toBe('user.weak_password');
      expect(domain.status).toBe(400);
      expect(domain.data).toEqual({
        failedRules: ['min_length', 'character_classes'],
        problems: [
          'must be at least 12 characters',
          'must mix at least two of: lower case, upper case, digits, symbols',
        ],
      });
    }
  });
});
