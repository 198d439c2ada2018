import { z } from 'zod';

/**
 * The zod schema of a Collection page of `item` (see {@link Collection}): Partner Center's
 * `{ totalCount, items, links: { next? }, attributes: { objectType: 'Collection' } }`, for
 * `@ApiResponse`.
 */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({
    totalCount: z.number().int().min(0),
    items: z.array(item),
    links: z.object({
      next: z.object({ uri: z.string(), method: z.literal('GET') }).optional(),
    }),
    attributes: z.object({ objectType: z.literal('Collection') }),
  });
}
