import { EntityManager } from '@mikro-orm/postgresql';
import { Caller } from '@app/auth';
import { DomainError } from '@app/platform';
import { CustomerAgreement } from './customer-agreement.entity';
import {
  CUSTOMER_AGREEMENT_TEMPLATE,
  CUSTOMER_AGREEMENT_TYPE,
  CUSTOMER_AGREEMENT_VERSIONS,
  customerAgreementPath,
} from './customer-agreement-template';
import { AgreementResponse, ConfirmCustomerAgreementDto } from './dto/customer-agreement.dto';

/**
 * The partners whose confirmations count for `partnerTenantId`'s orders for `customerId`: itself,
 * and the other side of its channel for that customer: the indirect provider whose active
 * relationship with the customer is associated with it (the provider acts for its reseller, e.g. it
 * created the customer for it), and the indirect reseller its own active relationship is associated
 * with. Never a co-partner outside that channel.
 */
export async function confirmingPartners(
  em: EntityManager,
  partnerTenantId: string,
  customerId: string,
): Promise<string[]> {
  const rows = await em.execute<{ partner_id: string }[]>(
    `select r.partner_tenant_id as partner_id from "reseller_relationship" r
      where r.customer_id = ? and r.status = 'active' and r.indirect_reseller_id = ?
     union
     select r.indirect_reseller_id from "reseller_relationship" r
      where r.customer_id = ? and r.status = 'active' and r.partner_tenant_id = ?
        and r.indirect_reseller_id is not null`,
    [customerId, partnerTenantId, customerId, partnerTenantId],
  );
  return [partnerTenantId, ...rows.map((row) => row.partner_id)];
}

/**
 * Partner Center's rule (error 13605, "Partner confirmation of customer acceptance of Microsoft
 * Customer Agreement required before purchase"): a partner orders for a customer only once the
 * customer's acceptance of the Customer Agreement stands for it, i.e. either
 * - the customer accepted it itself (on a relationship request: our invitation page or the API),
 *   which counts for every partner of the customer, or
 * - this partner, or the other side of its channel for that customer (`confirmingPartners`),
 *   confirmed the customer's acceptance (`POST /v1/customers/{id}/agreements`, or when creating
 *   the customer). A co-partner's confirmation does not count: each partner attests for its own
 *   orders, as in Partner Center, and cannot read another partner's attestations.
 * @throws 403 `customer_agreement.confirmation_required` (13605).
 */
export async function assertCustomerAgreementConfirmed(
  em: EntityManager,
  partnerTenantId: string,
  customerId: string,
): Promise<void> {
  const partners = await confirmingPartners(em, partnerTenantId, customerId);
  const rows = await em.execute<{ found: number }[]>(
    `select 1 as found from "customer_agreement"
      where "customer_id" = ?
        and ("partner_tenant_id" is null or "partner_tenant_id" = any(?::uuid[]))
      limit 1`,
    [customerId, `{${partners.join(',')}}`],
  );
  if (rows.length === 0) {
    throw new DomainError(
      'customer_agreement.confirmation_required',
      403,
      'Partner confirmation of customer acceptance of the Customer Agreement is required before purchase: confirm it with POST /v1/customers/{id}/agreements (template from GET /v1/agreements?agreementType=MicrosoftCustomerAgreement).',
    );
  }
}

/**
 * The template a confirmation names must be the current one (from `GET /v1/agreements`).
 * @throws 400 `customer_agreement.template_unknown`.
 */
export function assertCurrentTemplate(templateId: string): void {
  if (templateId.toLowerCase() !== CUSTOMER_AGREEMENT_TEMPLATE.templateId) {
    throw new DomainError(
      'customer_agreement.template_unknown',
      400,
      `Unknown templateId: use the templateId of GET /v1/agreements?agreementType=${CUSTOMER_AGREEMENT_TYPE}.`,
      { templateId: templateId.slice(0, 100) },
    );
  }
}

/**
 * A version of the text that was served (the invitation page posts the version it showed).
 * @throws 400 `customer_agreement.version_unknown`.
 */
export function assertKnownVersion(version: string): void {
  if (!Object.hasOwn(CUSTOMER_AGREEMENT_VERSIONS, version)) {
    throw new DomainError(
      'customer_agreement.version_unknown',
      400,
      'The Customer Agreement version shown is not known: reload the page and accept again.',
      { version: version.slice(0, 50) },
    );
  }
}

/** A partner's confirmation, written in `tx` (the caller's audit event is the caller's). */
export function recordPartnerConfirmation(
  tx: EntityManager,
  caller: Caller,
  customerId: string,
  dto: ConfirmCustomerAgreementDto,
): CustomerAgreement {
  const row = Object.assign(new CustomerAgreement(), {
    customerId,
    partnerTenantId: caller.tenantId,
    source: 'partner_confirmation' as const,
    type: CUSTOMER_AGREEMENT_TYPE,
    templateId: CUSTOMER_AGREEMENT_TEMPLATE.templateId,
    version: CUSTOMER_AGREEMENT_TEMPLATE.version,
    userId: caller.userId,
    primaryContactFirstName: dto.primaryContact.firstName,
    primaryContactLastName: dto.primaryContact.lastName,
    primaryContactEmail: dto.primaryContact.email,
    primaryContactPhoneNumber: dto.primaryContact.phoneNumber ?? null,
    dateAgreed: new Date(dto.dateAgreed),
  });
  tx.persist(row);
  return row;
}

/**
 * The customer's own acceptance on a relationship request, written in `tx`: the accepting Global
 * admin is the primary contact (its display name split at the first space into first and last
 * name), `version` the text shown.
 */
export function recordCustomerAcceptance(
  tx: EntityManager,
  caller: Caller,
  input: { version: string; at: Date; invitationId: string | null },
): CustomerAgreement {
  const name = caller.name.trim();
  const space = name.indexOf(' ');
  const row = Object.assign(new CustomerAgreement(), {
    customerId: caller.tenantId,
    partnerTenantId: null,
    source: 'customer_acceptance' as const,
    type: CUSTOMER_AGREEMENT_TYPE,
    templateId: CUSTOMER_AGREEMENT_TEMPLATE.templateId,
    version: input.version,
    userId: caller.userId,
    primaryContactFirstName: space > 0 ? name.slice(0, space) : name,
    primaryContactLastName: space > 0 ? name.slice(space + 1) : '',
    primaryContactEmail: caller.email,
    dateAgreed: input.at,
    invitationId: input.invitationId,
  });
  tx.persist(row);
  return row;
}

/** An acceptance as Partner Center's Agreement; `publicUrl` is this service's PUBLIC_URL. */
export function toAgreementResponse(row: CustomerAgreement, publicUrl: string): AgreementResponse {
  return {
    id: row.id,
    ...(row.userId ? { userId: row.userId } : {}),
    ...(row.primaryContactEmail
      ? {
          primaryContact: {
            firstName: row.primaryContactFirstName ?? '',
            lastName: row.primaryContactLastName ?? '',
            email: row.primaryContactEmail,
            ...(row.primaryContactPhoneNumber
              ? { phoneNumber: row.primaryContactPhoneNumber }
              : {}),
          },
        }
      : {}),
    dateAgreed: row.dateAgreed.toISOString(),
    templateId: row.templateId,
    type: row.type,
    version: row.version,
    agreementLink: new URL(customerAgreementPath(row.version), publicUrl).toString(),
    source: row.source,
    attributes: { objectType: 'Agreement' },
  };
}
