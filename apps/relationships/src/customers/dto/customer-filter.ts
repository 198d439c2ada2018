import { DomainError } from '@app/platform';
import { z } from 'zod';

/**
 * Partner Center's CustomerSearchField (`GET /v1/customers?filter=`, "Get a customer by name",
 * "Get customers of an indirect reseller"):
 * - `CompanyName`, `Domain`: the company name or default domain starts with `Value`, ignoring case;
 * - `IndirectReseller` (an indirect provider's filter): the customers associated with the indirect
 *   reseller whose tenant id is `Value`;
 * - `IndirectCloudSolutionProvider` (an indirect reseller's filter, seed 004 "View customers"): the
 *   customers the caller shares with the indirect provider whose tenant id is `Value`.
 */
export const CUSTOMER_FILTER_FIELDS = [
  'CompanyName',
  'Domain',
  'IndirectReseller',
  'IndirectCloudSolutionProvider',
] as const;
export type CustomerFilterField = (typeof CUSTOMER_FILTER_FIELDS)[number];

/** A checked customer filter. */
export interface CustomerFilter {
  field: CustomerFilterField;
  /** A prefix (1–200 characters) for `CompanyName`/`Domain`; a tenant id (lower case) otherwise. */
  value: string;
}

/** For customers "the only supported operator is `starts_with`" (Partner Center). */
const OPERATOR = 'starts_with';

/** Partner Center's enum reader: PascalCase, camelCase and snake_case name the same member. */
const normalized = (value: string) => value.replace(/_/g, '').toLowerCase();

const TenantId = z.uuid();

const invalid = (description: string, data: Record<string, unknown>) =>
  new DomainError('customer.filter_invalid', 400, description, data);

/** A property of the filter object by its name in any case (`Field`, `field`, `FIELD`). */
function property(filter: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(filter).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : filter[key];
}

/**
 * Parse the `filter` query parameter: URL-decoded already by the query parser, it must be the JSON
 * object `{ "Field", "Value", "Operator" }` (property names in any case; field and operator in
 * PascalCase, camelCase or snake_case, as Partner Center reads its enums). Compound filters
 * (`LeftFilter`/`RightFilter`) and other operators are not supported for customers, as in Partner
 * Center.
 * @throws 400 `customer.filter_invalid` naming what is wrong: malformed JSON, an unknown property,
 *   an unknown field, an operator other than `starts_with`, a missing or malformed value.
 */
export function parseCustomerFilter(raw: string): CustomerFilter {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid(
      'filter is not valid JSON: send {"Field":"CompanyName","Value":"…","Operator":"starts_with"}, URL-encoded.',
      { parameter: 'filter' },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('filter must be a JSON object {"Field","Value","Operator"}.', {
      parameter: 'filter',
    });
  }
  const filter = parsed as Record<string, unknown>;
  const unknown = Object.keys(filter).filter(
    (k) => !['field', 'value', 'operator'].includes(k.toLowerCase()),
  );
  if (unknown.length > 0) {
    throw invalid(
      `Unknown filter property ${unknown.map((k) => `"${k.slice(0, 50)}"`).join(', ')}: a customer filter has Field, Value and Operator only (no compound filters).`,
      { properties: unknown.map((k) => k.slice(0, 50)) },
    );
  }
  const fieldName = property(filter, 'field');
  const field = CUSTOMER_FILTER_FIELDS.find(
    (f) => typeof fieldName === 'string' && normalized(f) === normalized(fieldName),
  );
  if (!field) {
    throw invalid(
      `Unknown filter field ${typeof fieldName === 'string' ? `"${fieldName.slice(0, 50)}"` : '(missing)'}: use one of ${CUSTOMER_FILTER_FIELDS.join(', ')}.`,
      { field: typeof fieldName === 'string' ? fieldName.slice(0, 50) : null },
    );
  }
  const operator = property(filter, 'operator');
  if (typeof operator !== 'string' || normalized(operator) !== normalized(OPERATOR)) {
    throw invalid(
      `Unsupported filter operator ${typeof operator === 'string' ? `"${operator.slice(0, 50)}"` : '(missing)'}: customers are filtered with starts_with only.`,
      { operator: typeof operator === 'string' ? operator.slice(0, 50) : null },
    );
  }
  const value = property(filter, 'value');
  if (field === 'CompanyName' || field === 'Domain') {
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > 200) {
      throw invalid(`The ${field} filter's Value must be text of 1 to 200 characters.`, {
        field,
      });
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      throw invalid(`The ${field} filter's Value must not contain control characters.`, {
        field,
      });
    }
    return { field, value: value.trim() };
  }
  const tenantId = TenantId.safeParse(value);
  if (!tenantId.success) {
    throw invalid(`The ${field} filter's Value must be a tenant id (a GUID).`, { field });
  }
  return { field, value: tenantId.data.toLowerCase() };
}

/** The `filter` query value of `filter`, for `links.next` (Partner Center's JSON shape). */
export function customerFilterParameter(filter: CustomerFilter): string {
  return JSON.stringify({ Field: filter.field, Value: filter.value, Operator: OPERATOR });
}

/** `value` with LIKE's wildcards escaped, lower-cased, with `%` appended: a prefix pattern. */
export function prefixPattern(value: string): string {
  return `${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
