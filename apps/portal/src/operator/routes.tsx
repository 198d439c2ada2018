import type { PortalRoute } from '../app/portal-route';

/** The pages of `src/operator/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [];
