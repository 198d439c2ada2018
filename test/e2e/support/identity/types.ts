/** The response shapes of identity that more than one spec reads. */

/** A user of an organisation as identity shows it (`/v1/users`, `/v1/me`). */
export interface UserView {
  id: string;
  email: string;
  userPrincipalName: string;
  firstName: string;
  lastName: string;
  roles: string[];
  locale: string;
  passwordTemporary: boolean;
  disabled: boolean;
  createdAt: string;
  attributes: { objectType: string };
}

/** The answer to `POST /v1/users`: the user and its temporary password, shown once. */
export interface AddedUser {
  user: UserView;
  temporaryPassword: string;
}
