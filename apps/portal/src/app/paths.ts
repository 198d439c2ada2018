/** Paths of the pages the shell itself sends people to (relative to `/portal`). */
export const PATHS = {
  home: '/',
  signIn: '/sign-in',
  changePassword: '/change-password',
  forgotPassword: '/forgot-password',
} as const;
