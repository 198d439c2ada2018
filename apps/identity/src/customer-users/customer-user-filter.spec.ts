import { DomainError } from '@app/platform';
import { parseCustomerUserFilter } from './customer-user-filter';

function refusal(filter: string): DomainError {
  try {
    parseCustomerUserFilter(filter);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe("Partner Center's UserState filter of customer users", () => {
  it('lists active users without a filter', () => {
    expect(parseCustomerUserFilter(undefined)).toBe('active');
  });

  it.each([
    ['{"Field":"UserState","Value":"Inactive","Operator":"equals"}', 'inactive'],
    ['{"field":"user_state","value":"active","operator":"Equals"}', 'active'],
    ['{"FIELD":"USERSTATE","VALUE":"INACTIVE","OPERATOR":"EQUALS"}', 'inactive'],
  ])('reads %s as %s', (filter, state) => {
    expect(parseCustomerUserFilter(filter)).toBe(state);
  });

  it.each([
    ['{"Field":"CompanyName","Value":"x","Operator":"equals"}', 'CompanyName'],
    ['{"Field":"UserState","Value":"Inactive","Operator":"not_equals"}', 'not_equals'],
    ['{"Field":"UserState","Value":"Gone","Operator":"equals"}', 'Gone'],
    ['{"Field":"UserState","Value":"Inactive","Operator":"equals","Extra":1}', 'Extra'],
    ['{"Value":"Inactive","Operator":"equals"}', 'null'],
    ['["UserState"]', 'JSON object'],
    ['UserState eq Inactive', 'JSON'],
  ])('refuses %s with 400 naming %s', (filter, named) => {
    const error = refusal(filter);
    expect(error.code).toBe('customer_user.invalid_filter');
    expect(error.status).toBe(400);
    expect(error.message).toContain(named);
  });
});
