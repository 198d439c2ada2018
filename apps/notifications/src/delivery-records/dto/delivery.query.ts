import { PageQuerySchema } from '@app/platform';
import { z } from 'zod';

/** The statuses an operator lists by (`pending` deliveries are read one by one). */
export const LISTED_STATUSES = ['failed', 'skipped', 'sent'] as const;

/** `?status=&size=&seek=` of `GET /v1/deliveries`. */
export const DeliveryListQuerySchema = PageQuerySchema.extend({
  status: z.enum(LISTED_STATUSES).optional(),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuerySchema>;

/** `{idempotencyKey}` path parameter (the key of the job, the left part of the Message-ID). */
export const DeliveryKeyParamSchema = z.object({ idempotencyKey: z.string().min(1).max(200) });
export type DeliveryKeyParam = z.infer<typeof DeliveryKeyParamSchema>;
