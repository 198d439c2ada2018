/**
 * The sign-in pages of `src/auth/`, one small chunk (see routes.tsx): what a visit opens first.
 * The home page (Fluent's Card) comes in a chunk of its own.
 */
export { ChangePasswordPage } from './change-password-page';
export { ForgotPasswordPage } from './forgot-password-page';
export { SignInPage } from './sign-in-page';
