import { DomainError } from '@app/platform';
import { assertKeepsGlobalAdmin, validateRoles } from './user-roles';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'other';
  }
}

describe('validateRoles (DESIGN.md "Roles")', () => {
  it('accepts every partner role for a partner', () => {
    expect(
      validateRoles('partner', ['SalesAgent', 'GlobalAdmin', 'AdminAgent', 'GlobalAdmin']),
    ).toEqual(['GlobalAdmin', 'AdminAgent', 'SalesAgent']);
  });

  it('refuses agent roles for a customer', () => {
    expect(codeOf(() => validateRoles('customer', ['AdminAgent']))).toBe('user.invalid_role');
    expect(validateRoles('customer', ['BillingAdmin'])).toEqual(['BillingAdmin']);
  });

  it('refuses the Operator role outside the platform tenant', () => {
    expect(codeOf(() => validateRoles('partner', ['Operator']))).toBe('user.invalid_role');
    expect(validateRoles('platform', ['Operator'])).toEqual(['Operator']);
  });

  it('refuses unknown and empty roles', () => {
    expect(codeOf(() => validateRoles('partner', ['Wizard']))).toBe('user.invalid_role');
    expect(codeOf(() => validateRoles('partner', []))).toBe('user.invalid_role');
  });

  it("lets a customer's user hold no administrator role (a user without directory role)", () => {
    expect(validateRoles('customer', [])).toEqual([]);
  });
});

describe('assertKeepsGlobalAdmin', () => {
  it('refuses to demote or remove the last Global admin', () => {
    expect(codeOf(() => assertKeepsGlobalAdmin(['GlobalAdmin'], ['AdminAgent'], 0))).toBe(
      'user.last_global_admin',
    );
    expect(codeOf(() => assertKeepsGlobalAdmin(['GlobalAdmin', 'AdminAgent'], null, 0))).toBe(
      'user.last_global_admin',
    );
  });

  it('allows it when another Global admin remains', () => {
    expect(
      codeOf(() => assertKeepsGlobalAdmin(['GlobalAdmin'], ['AdminAgent'], 1)),
    ).toBeUndefined();
    expect(codeOf(() => assertKeepsGlobalAdmin(['GlobalAdmin'], null, 2))).toBeUndefined();
  });

  it('ignores users who are not Global admins or stay one', () => {
    expect(codeOf(() => assertKeepsGlobalAdmin(['SalesAgent'], null, 0))).toBeUndefined();
    expect(
      codeOf(() => assertKeepsGlobalAdmin(['GlobalAdmin'], ['GlobalAdmin', 'AdminAgent'], 0)),
    ).toBeUndefined();
  });
});
