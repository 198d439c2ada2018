import { z } from 'zod';

/**
 * `GET /v1/compliance/csp/agreementstatus?mpnId=|tenantId=`: exactly one (checked by the service,
 * with Partner Center's error codes).
 */
export const AgreementStatusQuerySchema = z.strictObject({
  mpnId: z.string().max(50).optional(),
  tenantId: z.string().max(50).optional(),
});
export type AgreementStatusQuery = z.infer<typeof AgreementStatusQuerySchema>;

/** Partner Center's answer: `{ isAgreementSigned }`. */
export const AgreementStatusSchema = z.object({ isAgreementSigned: z.boolean() });
