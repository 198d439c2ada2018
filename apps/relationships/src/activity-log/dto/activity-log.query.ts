import { PageQuerySchema } from '@app/platform';
import { z } from 'zod';

/** An ISO 8601 date (`2026-12-06`) or date-time with an offset (`2026-12-06T10:00:00Z`). */
const IsoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

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
