import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AccessTokenClaims,
  AccessTokenClaimsSchema,
} from '@app/contracts';
import { JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
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

/**
 * With a remote JWKS, how long a token whose signature and claims were verified is taken as
 * verified again without checking them (never past its `exp`; revocation is still checked on
 * every call): a client sends the same token for minutes, and an ES256 verification is the
 * largest cost of a request's authentication. A retired key's tokens are refused at most this
 * much later than without it (`JWKS_CACHE_MAX_AGE_MS` already delays that by up to 5 minutes).
 */
export const VERIFIED_TOKEN_REUSE_MS = 30_000;
/** Verified tokens remembered at most (a bounded memory cost, whatever the number of clients). */
const VERIFIED_TOKENS = 10_000;

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;

interface VerifiedToken {
  claims: AccessTokenClaims;
  issuedAtMs: number;
}

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
  /** Tokens verified against the remote JWKS (none with a local `keyResolver`). */
  private readonly verified: LRUCache<string, VerifiedToken> | undefined;

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
      this.verified = new LRUCache({ max: VERIFIED_TOKENS });
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

  private async verifySignature(token: string): Promise<VerifiedToken> {
    const known = this.verified?.get(token);
    if (known) return known;
    let verified: VerifiedToken & { expiresAtMs: number };
    try {
      verified = await this.verifyOnce(token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && this.remote?.coolingDown) {
        await sleep(JWKS_COOLDOWN_MS);
        verified = await this.verifyOnce(token);
      } else throw error;
    }
    const ttl = Math.min(verified.expiresAtMs - Date.now(), VERIFIED_TOKEN_REUSE_MS);
    if (ttl > 0) {
      this.verified?.set(
        token,
        { claims: verified.claims, issuedAtMs: verified.issuedAtMs },
        { ttl },
      );
    }
    return verified;
  }

  private async verifyOnce(token: string): Promise<VerifiedToken & { expiresAtMs: number }> {
    const { payload } = await jwtVerify(token, this.keys, {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: [ACCESS_TOKEN_ALG],
      requiredClaims: ['iat'],
    });
    // `iat` carries milliseconds as a fraction (identity's signAccessToken): compare in whole ms.
    const issuedAtMs = Math.round((payload.iat ?? 0) * 1000);
    // jose refused an expired token; one without `exp` (0 here) is never reused.
    const expiresAtMs = (payload.exp ?? 0) * 1000;
    return { claims: AccessTokenClaimsSchema.parse(payload), issuedAtMs, expiresAtMs };
  }
}
