import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { AccessTokenClaims, Locale, Role, TenantKind } from '@app/contracts';
import { Permission } from './permissions';

export const PERMISSION_KEY = 'pcp:permission';

/** Declares the permission a route needs (DESIGN.md: every endpoint names one). */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(PERMISSION_KEY, permission);

/** The authenticated caller, from a verified access token. */
export interface Caller {
  userId: string;
  tenantId: string;
  tenantKind: TenantKind;
  roles: Role[];
  email: string;
  name: string;
  locale: Locale;
  /** The user still holds a temporary password and may only change it. */
  passwordChangeRequired: boolean;
}

/** The caller described by verified access-token claims. */
export function callerFromClaims(claims: AccessTokenClaims): Caller {
  return {
    userId: claims.sub,
    tenantId: claims.tid,
    tenantKind: claims.tkind,
    roles: claims.roles,
    email: claims.email,
    name: claims.name,
    locale: claims.locale,
    passwordChangeRequired: claims.pwc === true,
  };
}

/** `@CurrentUser() caller: Caller` in a handler of a route guarded by a permission. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const request = ctx.switchToHttp().getRequest<{ caller?: Caller }>();
  if (!request.caller) throw new Error('CurrentUser used on a public route');
  return request.caller;
});
