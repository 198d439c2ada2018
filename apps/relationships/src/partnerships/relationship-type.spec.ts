import { DomainError } from '@app/platform';
import { callerSide, parseRelationshipType, relationshipTypeOf } from './relationship-type';

describe('parseRelationshipType', () => {
  it.each([
    ['IsIndirectResellerOf', 'IsIndirectResellerOf'],
    ['is_indirect_reseller_of', 'IsIndirectResellerOf'],
    ['isIndirectResellerOf', 'IsIndirectResellerOf'],
    ['IsIndirectCloudSolutionProviderOf', 'IsIndirectCloudSolutionProviderOf'],
    ['is_indirect_cloud_solution_provider_of', 'IsIndirectCloudSolutionProviderOf'],
  ])('accepts %p as Partner Center does', (value, type) => {
    expect(parseRelationshipType(value)).toBe(type);
  });

  it.each([undefined, '', 'IsCustomerOf', 'None', ['IsIndirectResellerOf'], 1])(
    'refuses %p with 400 relationship.type_invalid',
    (value) => {
      let caught: unknown;
      try {
        parseRelationshipType(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect(caught).toMatchObject({ code: 'relationship.type_invalid', status: 400 });
    },
  );

  it("maps the type to the caller's side, with Partner Center's meaning", () => {
    expect(callerSide('IsIndirectCloudSolutionProviderOf')).toBe('provider');
    expect(callerSide('IsIndirectResellerOf')).toBe('reseller');
    expect(relationshipTypeOf('provider')).toBe('is_indirect_cloud_solution_provider_of');
    expect(relationshipTypeOf('reseller')).toBe('is_indirect_reseller_of');
  });
});
