import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'pcp:public';

/**
 * Marks a route that needs no access token (health, JWKS, sign-in, enrollment, token-bearing
 * invitation look-ups). Every other route must declare a permission with `@RequirePermission`.
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
