import { DomainError } from '@app/platform';
import { z } from 'zod';

/** A parsed `filter` of the activity log routes. */
export type ActivityLogFilter =
  | { field: 'eventType' | 'resourceType'; operator: 'equals' | 'substring'; value: string }
  | { field: 'resourceId' | 'customerId'; operator: 'equals'; value: string };

const FilterSchema = z
  .object({
    Field: z.string().min(1).max(50),
    Value: z.string().min(1).max(200),
    Operator: z.string().min(1).max(20),
  })
  .strict();

const FIELDS: Record<string, ActivityLogFilter['field']> = {
  eventtype: 'eventType',
  resourcetype: 'resourceType',
  resourceid: 'resourceId',
  customerid: 'customerId',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidFilter(description: string): DomainError {
  return new DomainError('activity_log.invalid_filter', 400, description);
}

/**
 * The `filter` query parameter as Partner Center's audit records API sends it: URL-encoded JSON
 * `{ "Field": …, "Value": …, "Operator": … }` (field and operator names case-insensitive). Fields:
 * `eventType` and `resourceType` (operator `equals`, or `substring`: the value occurs in the type,
 * case-insensitive, e.g. `partnership.`), `resourceId` and `customerId` (`equals`; a customer id
 * is a tenant id).
 * @throws 400 `activity_log.invalid_filter` for anything else.
 */
export function parseActivityLogFilter(raw: string | undefined): ActivityLogFilter | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalidFilter(
      'filter must be JSON: {"Field":"eventType","Value":"…","Operator":"equals"}.',
    );
  }
  const parsed = FilterSchema.safeParse(json);
  if (!parsed.success) {
    throw invalidFilter('filter must be {"Field", "Value", "Operator"} and nothing else.');
  }
  const field = FIELDS[parsed.data.Field.toLowerCase()];
  if (!field) {
    throw invalidFilter(
      'filter Field must be one of eventType, resourceType, resourceId, customerId.',
    );
  }
  const operator = parsed.data.Operator.toLowerCase();
  const value = parsed.data.Value;
  if (field === 'eventType' || field === 'resourceType') {
    if (operator !== 'equals' && operator !== 'substring') {
      throw invalidFilter(`filter Operator for ${field} must be equals or substring.`);
    }
    return { field, operator, value };
  }
  if (operator !== 'equals') throw invalidFilter(`filter Operator for ${field} must be equals.`);
  if (field === 'customerId' && !UUID.test(value)) {
    throw invalidFilter('filter Value for customerId must be a tenant id (a UUID).');
  }
  return { field, operator: 'equals', value };
}
