import { createBrowserRouter, type RouteObject } from 'react-router';
import { routes as authRoutes } from '../auth/routes';
import { routes as customerAdminRoutes } from '../customer-admin/routes';
import { routes as customersRoutes } from '../customers/routes';
import { routes as operatorRoutes } from '../operator/routes';
import { routes as partnerRoutes } from '../partner/routes';
import { AppShell, NotFoundPage, RequireSession } from './app-shell';
import type { PortalRoute } from './portal-route';

/** Every page of the portal: each area's `routes.tsx`, concatenated. */
export const portalRoutes: PortalRoute[] = [
  ...authRoutes,
  ...partnerRoutes,
  ...customersRoutes,
  ...customerAdminRoutes,
  ...operatorRoutes,
];

/** The router (react-router 7, library mode) under `/portal`: the shell around every page. */
export function createPortalRouter(pages: PortalRoute[] = portalRoutes) {
  const children: RouteObject[] = pages.map((page) => {
    const element = page.public ? page.element : <RequireSession>{page.element}</RequireSession>;
    return page.path === '' ? { index: true, element } : { path: page.path, element };
  });
  return createBrowserRouter(
    [
      {
        path: '/',
        element: <AppShell routes={pages} />,
        children: [...children, { path: '*', element: <NotFoundPage /> }],
      },
    ],
    { basename: '/portal' },
  );
}
