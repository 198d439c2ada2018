import { Timestamp } from '@app/platform';
import { z } from 'zod';

/** A public JWK as `/.well-known/jwks.json` publishes it (RFC 7517): an EC or RSA signing key. */
export const PublicJwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.string(),
  alg: z.string(),
  use: z.literal('sig'),
});

/** `GET /.well-known/jwks.json`. */
export const JwksSchema = z.object({ keys: z.array(PublicJwkSchema) });

/** A signing key as the operator sees it (never its private half). */
export const SigningKeyViewSchema = z.object({
  kid: z.string(),
  alg: z.string(),
  status: z.enum(['active', 'previous', 'retired']),
  createdAt: Timestamp,
  rotatedAt: Timestamp.nullable(),
  retireAfter: Timestamp.nullable(),
  publicJwk: PublicJwkSchema,
});

/** `POST /v1/platform/signing-keys/rotate`: the new key and every key still published. */
export const SigningKeyRotationSchema = z.object({
  key: SigningKeyViewSchema,
  keys: z.array(SigningKeyViewSchema),
});
