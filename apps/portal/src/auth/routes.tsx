import { lazyPages } from '../app/lazy-pages';
import type { PortalRoute } from '../app/portal-route';

/** The sign-in pages, loaded with their chunk on first use; the home page with its own. */
const page = lazyPages(() => import('./pages'));
const home = lazyPages(() => import('./home-page'));

/** The pages of `src/auth/` (everyone): home, sign-in, password change, forgotten password. */
export const routes: PortalRoute[] = [
  { path: '', element: home('HomePage') },
  { path: 'sign-in', element: page('SignInPage'), public: true },
  { path: 'change-password', element: page('ChangePasswordPage') },
  { path: 'forgot-password', element: page('ForgotPasswordPage'), public: true },
];
