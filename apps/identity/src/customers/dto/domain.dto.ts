import { z } from 'zod';

/** `{domain}` of `HEAD /v1/domains/{domain}`: a domain name or prefix, lower-cased. */
export const DomainParamSchema = z.strictObject({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'a domain name such as contoso.onmicrosoft.example'),
});
