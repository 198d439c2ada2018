import { PageQuerySchema } from '@app/platform';
import { z } from 'zod';

/** The instants a range may name: years 0001 to 9999 (UTC), what PostgreSQL and ISO 8601 share. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An ISO 8601 date (`2026-12-06`) or date-time with an offset (`2026-12-06T10:00:00Z`), in years
 * 0001 to 9999 UTC (year 0000 has no PostgreSQL timestamp: refused with 400, not a 500).
 */
const IsoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).refine(
  (value) => {
    const at = Date.parse(value);
    return at >= EARLIEST && at <= LATEST;
  },
  { message: 'must be between 0001-01-01 and 9999-12-31 (UTC)' },
);

/**
 * The range and filter of the activity log routes (Partner Center "Get a record of Partner Center
 * activity"): `startDate`/`endDate` (ISO 8601; default the last 30 days up to now), `filter` (the
 * URL-encoded JSON `{ "Field", "Value", "Operator" }` Partner Center sends; see
 * `parseActivityLogFilter`). Unknown parameters are refused.
 */
export const ActivityLogRangeSchema = z
  .object({
    startDate: IsoDate.optional(),
    endDate: IsoDate.optional(),
    filter: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type ActivityLogRangeDto = z.infer<typeof ActivityLogRangeSchema>;

/** `GET /v1/activity-logs`: the range and filter, and a page (`size` 1–500, default 100; `seek`). */
export const ActivityLogQuerySchema = ActivityLogRangeSchema.extend(PageQuerySchema.shape).strict();
export type ActivityLogQueryDto = z.infer<typeof ActivityLogQuerySchema>;
