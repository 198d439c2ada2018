import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AccessTokenClaims,
  AccessTokenClaimsSchema,
  Locale,
  Role,
  TenantKind,
} from '@app/contracts';
import { ACCESS_TOKEN_ALG } from '@app/auth';
import { KeyLike, SignJWT } from 'jose';

/** What a token says about its user and tenant. */
export interface TokenSubject {
  user: {
    id: string;
    email: string;
    firstName: string;
    lastName: string;
    roles: Role[];
    locale: Locale;
    passwordTemporary: boolean;
  };
  tenant: { id: string; kind: TenantKind };
}

/**
 * The claims of an access token (`AccessTokenClaimsSchema`): user id (`sub`), tenant id and kind,
 * roles, email, display name, locale, `pwc: true` while the user holds a temporary password
 * (seed 004: "prompted to change their password" at first sign-in), and `sid`, the session
 * (refresh token family) it was issued in.
 */
export function accessTokenClaims(
  { user, tenant }: TokenSubject,
  sessionId?: string,
): AccessTokenClaims {
  return AccessTokenClaimsSchema.parse({
    sub: user.id,
    tid: tenant.id,
    tkind: tenant.kind,
    roles: user.roles,
    email: user.email,
    name: `${user.firstName} ${user.lastName}`.trim(),
    locale: user.locale,
    ...(user.passwordTemporary ? { pwc: true } : {}),
    ...(sessionId ? { sid: sessionId } : {}),
  });
}

/**
 * Sign `claims` as an ES256 JWT with header `kid`, the contract issuer and audience, `iat` = now
 * with millisecond precision (a NumericDate may carry a fraction, RFC 7519 section 2: the
 * revocation list refuses tokens issued up to the millisecond of a revocation, and a token issued
 * a moment after it, e.g. by the password change itself, works) and `exp` = whole seconds of now +
 * `ttlSeconds`.
 */
export async function signAccessToken(
  claims: AccessTokenClaims,
  key: { kid: string; privateKey: KeyLike | Uint8Array },
  ttlSeconds: number,
  now: Date = new Date(),
): Promise<string> {
  const iat = now.getTime() / 1000;
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(Math.floor(iat) + ttlSeconds)
    .sign(key.privateKey);
}
