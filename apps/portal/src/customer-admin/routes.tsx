import type { PortalRoute } from '../app/portal-route';

/** The pages of `src/customer-admin/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [];
