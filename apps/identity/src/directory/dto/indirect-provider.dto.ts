import { CountryCode } from '@app/contracts';
import { PageQuerySchema } from '@app/platform';
import { z } from 'zod';

/** `GET /v1/indirect-providers?name&country&size&seek`. */
export const IndirectProviderQuerySchema = PageQuerySchema.extend({
  name: z.string().trim().min(1).max(200).optional(),
  country: z.string().trim().toUpperCase().pipe(CountryCode).optional(),
});
export type IndirectProviderQuery = z.infer<typeof IndirectProviderQuerySchema>;

/** An entry of the directory of official indirect providers. */
export interface IndirectProviderView {
  id: string;
  name: string;
  country: string;
  mpnId: string;
  supportContact: { name: string; email: string; phone: string | null };
  attributes: { objectType: 'IndirectProvider' };
}
