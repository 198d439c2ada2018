import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AccessTokenClaims,
  AccessTokenClaimsSchema,
} from '@app/contracts';
import { JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from 'jose';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** identity's `/.well-known/jwks.json`; used unless `keyResolver` is given. */
  jwksUrl?: string;
  /** Resolves the verification key for a token header (identity verifies with its own keys). */
  keyResolver?: JWTVerifyGetKey;
}

/** The algorithm of access tokens: ECDSA P-256 (asymmetric; the JWKS publishes the public keys). */
export const ACCESS_TOKEN_ALG = 'ES256';

/**
 * Verifies access tokens locally against identity's JWKS (fetched once, refetched when a token
 * names an unknown `kid`, so a key rotation needs no restart).
 * @throws when the signature, issuer, audience, expiry or claims are not valid.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(options: AuthOptions) {
    if (options.keyResolver) this.keys = options.keyResolver;
    else if (options.jwksUrl)
      this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: 5_000,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 3_000,
      });
    else throw new Error('AuthOptions needs jwksUrl or keyResolver');
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const { payload } = await jwtVerify(token, this.keys, {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: [ACCESS_TOKEN_ALG],
    });
    return AccessTokenClaimsSchema.parse(payload);
  }
}
