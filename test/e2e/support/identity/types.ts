import type { PartnerType } from './flows';

/** The response shapes of identity that more than one spec reads. */

/** A contact of a partner's legal business profile. */
export interface Contact {
  name: string;
  email: string;
  phone: string | null;
}

/** A partner's legal business profile (`GET /v1/partner-profile`). */
export interface PartnerProfile {
  tenantId: string;
  legalBusinessName: string;
  partnerType: PartnerType;
  mpnId: string;
  status: string;
  country: string;
  cloud: string;
  address: Record<string, unknown>;
  primaryContact: Contact;
  supportContact: Contact & { website: string | null };
  version: number;
}

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
  /** The delegation a partner created the user through (issue 9 point 3), else null. */
  delegation: { kind: string; partnerTenantId: string; grantId: string } | null;
  attributes: { objectType: string };
}

/** The answer to `POST /v1/users`: the user and its temporary password, shown once. */
export interface AddedUser {
  user: UserView;
  temporaryPassword: string;
}
