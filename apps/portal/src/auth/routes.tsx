import type { PortalRoute } from '../app/portal-route';

/** The pages of `src/auth/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [];
