import { expectStatus } from '../http';
import { api, documentedAgent, system } from '../system';
import { isUnverified } from './flows';
import { verifySignInEmail } from './verification';

/** Identity's tokens: the pair a sign-in answers, its refresh, and what a JWT carries. */

/** The answer to a sign-in, a refresh and a password change. */
export interface TokenPair {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  passwordChangeRequired: boolean;
}

/**
 * `POST /v1/auth/token { email, password }`; expects 200 and returns the whole pair. Like
 * `signIn`, a user not yet verified (403 `auth.email_unverified`) follows its emailed verification
 * link first (issue 9 point 7).
 */
export async function signInPair(email: string, password: string): Promise<TokenPair> {
  const response = await api('identity').post('/v1/auth/token').send({ email, password });
  if (isUnverified(response)) {
    await verifySignInEmail(email);
    return expectStatus<TokenPair>(
      await api('identity').post('/v1/auth/token').send({ email, password }),
      200,
    );
  }
  return expectStatus<TokenPair>(response, 200);
}

/** `POST /v1/auth/refresh { refreshToken }` on `url` (the harness's identity by default). */
export function refresh(refreshToken: string, url = system().urls.identity) {
  return documentedAgent(url).post('/v1/auth/refresh').send({ refreshToken });
}

/** The decoded header (0) or payload (1) of a JWT, unverified. */
export function jwtPart<T>(token: string, index: 0 | 1): T {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as T;
}
