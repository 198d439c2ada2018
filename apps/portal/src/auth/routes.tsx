import type { PortalRoute } from '../app/portal-route';
import { ChangePasswordPage } from './change-password-page';
import { ForgotPasswordPage } from './forgot-password-page';
import { HomePage } from './home-page';
import { SignInPage } from './sign-in-page';

/** The pages of `src/auth/` (everyone): home, sign-in, password change, forgotten password. */
export const routes: PortalRoute[] = [
  { path: '', element: <HomePage /> },
  { path: 'sign-in', element: <SignInPage />, public: true },
  { path: 'change-password', element: <ChangePasswordPage /> },
  { path: 'forgot-password', element: <ForgotPasswordPage />, public: true },
];
