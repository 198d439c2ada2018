import { PageQuerySchema } from '@app/platform';
import { z } from 'zod';

/** `?size=&seek=&action=&subjectType=&subjectId=` of the activity log listings. */
export const ActivityLogQuerySchema = PageQuerySchema.extend({
  action: z.string().trim().min(1).max(100).optional(),
  subjectType: z.string().trim().min(1).max(100).optional(),
  subjectId: z.string().trim().min(1).max(100).optional(),
});
export type ActivityLogQueryDto = z.infer<typeof ActivityLogQuerySchema>;
