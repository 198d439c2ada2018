import { DomainError, newTemporaryPassword } from '@app/common';
import { assertPasswordPolicy, passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts 12+ characters of two classes', () => {
    expect(passwordProblems('correcthorse42')).toEqual([]);
    expect(passwordProblems('Correct Horse Battery')).toEqual([]);
  });

  it('accepts generated temporary passwords', () => {
    expect(passwordProblems(newTemporaryPassword())).toEqual([]);
  });

  it('refuses short passwords', () => {
    expect(passwordProblems('Ab1!')).toHaveLength(1);
  });

  it('refuses passwords of one class only', () => {
    expect(passwordProblems('abcdefghijklmnop')).toHaveLength(1);
    expect(passwordProblems('123456789012345')).toHaveLength(1);
  });

  it('refuses overly long passwords', () => {
    expect(passwordProblems(`a1${'x'.repeat(300)}`)).toHaveLength(1);
  });

  it('throws 400 user.weak_password', () => {
    try {
      assertPasswordPolicy('short');
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('user.weak_password');
      expect((error as DomainError).status).toBe(400);
    }
  });
});
