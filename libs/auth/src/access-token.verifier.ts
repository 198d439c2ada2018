import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AccessTokenClaims,
  AccessTokenClaimsSchema,
} from '@app/contracts';
import { JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { setTimeout as sleep } from 'node:timers/promises';
import { TokenRevocations } from './token-revocations';

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
 * After fetching the JWKS, how long jose refuses to fetch it again for an unknown `kid`: short, so
 * a key published by a rotation is picked up at once, while tokens with made-up `kid`s cannot make
 * us fetch more than once per this period.
 */
export const JWKS_COOLDOWN_MS = 1_000;
/**
 * How long a fetched JWKS is used before it is fetched again even for known `kid`s: retired keys
 * leave the set within this time.
 */
export const JWKS_CACHE_MAX_AGE_MS = 5 * 60_000;
/** Timeout of one JWKS fetch. */
export const JWKS_TIMEOUT_MS = 3_000;

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;

/** The token is valid but revoked (its user or its session was revoked after it was issued). */
export class AccessTokenRevokedError extends Error {
  constructor() {
    super('the access token was revoked');
  }
}

/**
 * Verifies access tokens locally against identity's JWKS (fetched once, refetched after
 * `JWKS_CACHE_MAX_AGE_MS`, and at once when a token names an unknown `kid`, so a key rotation needs
 * no restart). A token naming a `kid` unknown while the last fetch is younger than the cooldown
 * (a rotation right after a fetch) waits the cooldown out once and is checked against a fresh set.
 * With `revocations` (every service's `AuthModule` gives it), a valid token is then looked up in
 * the revocation list (`TokenRevocations`, issue 9 point 11) on every call.
 * @throws AccessTokenRevokedError when the token was revoked, RevocationsUnavailableError when the
 * list cannot be read (fail closed), another error when the signature, issuer, audience, expiry,
 * `iat` or claims are not valid.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly remote: RemoteJwks | undefined;

  constructor(
    options: AuthOptions,
    private readonly revocations?: TokenRevocations,
  ) {
    if (options.keyResolver) this.keys = options.keyResolver;
    else if (options.jwksUrl) {
      this.remote = createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: JWKS_COOLDOWN_MS,
        cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
        timeoutDuration: JWKS_TIMEOUT_MS,
      });
      this.keys = this.remote;
    } else throw new Error('AuthOptions needs jwksUrl or keyResolver');
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const { claims, issuedAtMs } = await this.verifySignature(token);
    if (
      this.revocations &&
      (await this.revocations.isRevoked({ userId: claims.sub, sessionId: claims.sid, issuedAtMs }))
    ) {
      throw new AccessTokenRevokedError();
    }
    return claims;
  }

  private async verifySignature(
    token: string,
  ): Promise<{ claims: AccessTokenClaims; issuedAtMs: number }> {
    try {
      return await this.verifyOnce(token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && this.remote?.coolingDown) {
        await sleep(JWKS_COOLDOWN_MS);
        return this.verifyOnce(token);
      }
      throw error;
    }
  }

  private async verifyOnce(
    token: string,
  ): Promise<{ claims: AccessTokenClaims; issuedAtMs: number }> {
    const { payload } = await jwtVerify(token, this.keys, {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: [ACCESS_TOKEN_ALG],
      requiredClaims: ['iat'],
    });
    // `iat` carries milliseconds as a fraction (identity's signAccessToken): compare in whole ms.
    const issuedAtMs = Math.round((payload.iat ?? 0) * 1000);
    return { claims: AccessTokenClaimsSchema.parse(payload), issuedAtMs };
  }
}
