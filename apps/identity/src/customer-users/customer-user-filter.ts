import { DomainError } from '@app/platform';

/** Which customer users a list shows: Partner Center's `UserState`. */
export type CustomerUserState = 'active' | 'inactive';

function invalidFilter(description: string, data: Record<string, unknown>): DomainError {
  return new DomainError('customer_user.invalid_filter', 400, description, data);
}

/** The value of `key` in `object`, whatever the case of the key (the SDK sends PascalCase). */
function member(object: Record<string, unknown>, key: string): unknown {
  const found = Object.keys(object).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : object[found];
}

/**
 * The state a customer user list shows, from Partner Center's `filter` (URL-encoded JSON
 * `{"Field":"UserState","Value":"Inactive","Operator":"equals"}`; get-a-list-of-all-user-accounts /
 * view-a-deleted-user): field `UserState` with operator `equals` and value `Active` or `Inactive`
 * (names and values case-insensitive, snake or Pascal case as Partner Center reads its enums).
 * Without a filter: `active` (Partner Center lists the users that are not deleted).
 * @throws 400 `customer_user.invalid_filter` naming the field, operator or value it does not know,
 *   or a member beside the three, or text that is not such a JSON object (never an unfiltered list).
 */
export function parseCustomerUserFilter(filter: string | undefined): CustomerUserState {
  if (filter === undefined) return 'active';
  let value: unknown;
  try {
    value = JSON.parse(filter);
  } catch {
    throw invalidFilter(
      'The filter must be JSON such as {"Field":"UserState","Value":"Inactive","Operator":"equals"}.',
      { filter },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidFilter('The filter must be a JSON object with Field, Value and Operator.', {
      filter,
    });
  }
  const object = value as Record<string, unknown>;
  const unknown = Object.keys(object).filter(
    (k) => !['field', 'value', 'operator'].includes(k.toLowerCase()),
  );
  if (unknown.length > 0) {
    throw invalidFilter(`Unknown filter member(s): ${unknown.join(', ')}.`, { members: unknown });
  }
  const field = member(object, 'field');
  const operator = member(object, 'operator');
  const state = member(object, 'value');
  const normalized = (v: unknown) =>
    typeof v === 'string' ? v.replace(/_/g, '').toLowerCase() : undefined;
  if (normalized(field) !== 'userstate') {
    throw invalidFilter(
      `Unknown filter field: ${JSON.stringify(field ?? null)}. Customer users filter on UserState.`,
      { field: field ?? null, fields: ['UserState'] },
    );
  }
  if (normalized(operator) !== 'equals') {
    throw invalidFilter(
      `Unknown filter operator for UserState: ${JSON.stringify(operator ?? null)}. The operator is equals.`,
      { operator: operator ?? null, operators: ['equals'] },
    );
  }
  const wanted = normalized(state);
  if (wanted !== 'active' && wanted !== 'inactive') {
    throw invalidFilter(
      `Unknown UserState value: ${JSON.stringify(state ?? null)}. Values: Active, Inactive.`,
      { value: state ?? null, values: ['Active', 'Inactive'] },
    );
  }
  return wanted;
}
