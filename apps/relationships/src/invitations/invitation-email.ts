import { DomainError } from '@app/platform';
import { TemplateData, TenantSnapshot } from '@app/contracts';
import type { Invitation } from './invitation.entity';

/** The templates an invitation is sent with. */
export type InvitationTemplateId =
  'partnership-request' | 'reseller-relationship-request' | 'joint-reseller-relationship-request';

/** A template id with its data, typed together. */
export type InvitationEmail = {
  [T in InvitationTemplateId]: { template: T; data: TemplateData<T> };
}[InvitationTemplateId];

type EmailSource = Pick<
  Invitation,
  | 'kind'
  | 'inviterName'
  | 'customMessage'
  | 'delegatedAdmin'
  | 'jointProviderTenantId'
  | 'expiresAt'
>;

function partnerOf(tenant: TenantSnapshot): { name: string; mpnId: string } {
  if (!tenant.partner) {
    throw new DomainError('partner.not_active', 403, 'The inviting tenant is not a partner.');
  }
  return { name: tenant.name, mpnId: tenant.partner.mpnId };
}

/**
 * The email that carries an invitation:
 * - partnership → `partnership-request` (seed 002 "Request a partnership");
 * - reseller relationship → `reseller-relationship-request` (seed 001, with or without delegated
 *   admin privileges), or `joint-reseller-relationship-request` when an indirect reseller invites
 *   for itself and `jointProvider` (seed 000 "Invite new customers").
 * `partner` is the inviting partner's tenant. The link travels beside the data, never inside it.
 */
export function invitationEmail(
  invitation: EmailSource,
  partner: TenantSnapshot,
  jointProvider?: TenantSnapshot | null,
): InvitationEmail {
  const inviting = partnerOf(partner);
  const common = {
    inviterName: invitation.inviterName,
    expiresAt: invitation.expiresAt.toISOString(),
    ...(invitation.customMessage ? { customMessage: invitation.customMessage } : {}),
  };
  if (invitation.kind === 'partnership') {
    return {
      template: 'partnership-request',
      data: { ...common, providerName: inviting.name, providerMpnId: inviting.mpnId },
    };
  }
  if (invitation.jointProviderTenantId) {
    if (!jointProvider) {
      throw new DomainError('tenant.not_found', 404, 'The joint indirect provider was not found.');
    }
    const provider = partnerOf(jointProvider);
    return {
      template: 'joint-reseller-relationship-request',
      data: {
        ...common,
        resellerName: inviting.name,
        resellerMpnId: inviting.mpnId,
        providerName: provider.name,
        providerMpnId: provider.mpnId,
        delegatedAdmin: invitation.delegatedAdmin,
      },
    };
  }
  return {
    template: 'reseller-relationship-request',
    data: {
      ...common,
      partnerName: inviting.name,
      partnerMpnId: inviting.mpnId,
      delegatedAdmin: invitation.delegatedAdmin,
    },
  };
}
