import { Cloud } from '@app/contracts';
import type { InvitationKind } from './invitation.entity';

/** The configured bases of the pages where invitations are accepted. */
export interface InvitationLinkBases {
  PARTNER_PORTAL_URL: string;
  CUSTOMER_ACCEPT_URL_PUBLIC: string;
  CUSTOMER_ACCEPT_URL_US_GOV: string;
  CUSTOMER_ACCEPT_URL_GERMANY: string;
}

/**
 * The page where a customer accepts a reseller relationship, by the inviting partner's cloud
 * (seed 001: public cloud → the admin center; Microsoft Cloud for US Government and Microsoft
 * Cloud Germany → the national admin portal). A customer only accepts partners of its own cloud,
 * so the partner's cloud is the customer's.
 */
export function customerAcceptBase(bases: InvitationLinkBases, cloud: Cloud): string {
  switch (cloud) {
    case 'public':
      return bases.CUSTOMER_ACCEPT_URL_PUBLIC;
    case 'us-gov':
      return bases.CUSTOMER_ACCEPT_URL_US_GOV;
    case 'germany':
      return bases.CUSTOMER_ACCEPT_URL_GERMANY;
  }
}

/**
 * The personalized invitation link carrying `token`:
 * - partnership (seed 004 step 2): `${PARTNER_PORTAL_URL}/invitations/partnership?token=…`;
 * - reseller relationship: `${customer accept base for cloud}?token=…`.
 */
export function invitationLink(
  bases: InvitationLinkBases,
  kind: InvitationKind,
  cloud: Cloud,
  token: string,
): string {
  const base =
    kind === 'partnership'
      ? `${bases.PARTNER_PORTAL_URL.replace(/\/+$/, '')}/invitations/partnership`
      : customerAcceptBase(bases, cloud);
  const url = new URL(base);
  url.searchParams.set('token', token);
  return url.toString();
}
