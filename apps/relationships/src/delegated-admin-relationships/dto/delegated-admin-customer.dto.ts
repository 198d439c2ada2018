import { z } from 'zod';

/**
 * The answers of `/v1/tenantRelationships/delegatedAdminCustomers` in Microsoft Graph's shape
 * (`delegatedAdminCustomer`, ../shared/reference/partner-center-api.md §12). Inputs are strict:
 * unknown query options and parameters are refused with 400.
 */

/** List query: `$top` 1..300 (default 100), `$skipToken` (from `@odata.nextLink`). */
export const ListCustomersQuerySchema = z.strictObject({
  $top: z.coerce.number().int().min(1).max(300).optional(),
  $skipToken: z
    .string()
    .regex(/^[0-9]{1,9}$/)
    .transform(Number)
    .optional(),
});
export type ListCustomersQuery = z.infer<typeof ListCustomersQuerySchema>;

export const CustomerIdParamSchema = z.strictObject({ id: z.uuid() });

/** One customer as answered (Graph `delegatedAdminCustomer`): `id` is the customer's tenant id. */
export const DelegatedAdminCustomerSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  displayName: z.string(),
});
export type DelegatedAdminCustomerResponse = z.infer<typeof DelegatedAdminCustomerSchema>;

export const DelegatedAdminCustomerListSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(DelegatedAdminCustomerSchema),
  '@odata.nextLink': z.string().optional(),
});
export type DelegatedAdminCustomerList = z.infer<typeof DelegatedAdminCustomerListSchema>;
