import { CountryCode } from '@app/contracts';
import { PageQuerySchema, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';

/** `GET /v1/indirect-providers?name&country&size&seek`. */
export const IndirectProviderQuerySchema = PageQuerySchema.extend({
  name: z.string().trim().min(1).max(200).optional(),
  country: z.string().trim().toUpperCase().pipe(CountryCode).optional(),
});
export type IndirectProviderQuery = z.infer<typeof IndirectProviderQuerySchema>;

/** An entry of the directory of official indirect providers. */
export const IndirectProviderViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  country: z.string(),
  mpnId: z.string(),
  supportContact: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
  attributes: objectAttributes('IndirectProvider'),
});
export type IndirectProviderView = z.infer<typeof IndirectProviderViewSchema>;

/** A page of the directory. */
export const IndirectProviderCollectionSchema = collectionSchema(IndirectProviderViewSchema);
