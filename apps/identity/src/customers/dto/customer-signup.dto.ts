import {
  AddressSchema,
  Cloud,
  CountryCode,
  CreateCustomerTenantRequestSchema,
  Locale,
  SingleLine,
} from '@app/contracts';
import { z } from 'zod';
import { FirstGlobalAdminSchema } from '../../users/dto/user.dto';

/** `POST /v1/customer-signups`: a customer organisation signing up on its own. */
export const CustomerSignupSchema = z
  .strictObject({
    companyName: SingleLine(200),
    address: AddressSchema,
    country: CountryCode,
    cloud: Cloud,
    domainPrefix: CreateCustomerTenantRequestSchema.shape.domainPrefix,
    locale: Locale.optional(),
    globalAdmin: FirstGlobalAdminSchema,
  })
  .refine((v) => v.address.country === v.country, {
    path: ['address', 'country'],
    message: 'must be the same as country',
  });
export type CustomerSignupInput = z.infer<typeof CustomerSignupSchema>;

/** 201 answer of a customer sign-up. */
export const CustomerSignupResponseSchema = z.object({
  tenantId: z.uuid(),
  domain: z.string(),
  userId: z.uuid(),
});
export type CustomerSignupResponse = z.infer<typeof CustomerSignupResponseSchema>;
