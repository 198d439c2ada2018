import { DomainError } from '@app/platform';
import { callerSide, parseRelationshipType } from './relationship-type';

describe('parseRelationshipType', () => {
  it('accepts the two Partner Center values', () => {
    expect(parseRelationshipType('IsIndirectResellerOf')).toBe('IsIndirectResellerOf');
    expect(parseRelationshipType('IsIndirectCloudSolutionProviderOf')).toBe(
      'IsIndirectCloudSolutionProviderOf',
    );
  });

  it.each([undefined, '', 'isindirectresellerof', 'IsCustomerOf', ['IsIndirectResellerOf'], 1])(
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

  it('maps the type to the side of the caller', () => {
    expect(callerSide('IsIndirectResellerOf')).toBe('provider');
    expect(callerSide('IsIndirectCloudSolutionProviderOf')).toBe('reseller');
  });
});
