import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { Collection, DomainError, cursorCollection, timestampCursorAfter } from '@app/platform';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import { requireActiveRelationship } from '../reseller-relationships/customer-access';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { CustomerAgreement } from './customer-agreement.entity';
import {
  assertCurrentTemplate,
  confirmingPartners,
  recordPartnerConfirmation,
  toAgreementResponse,
} from './customer-agreement-records';
import {
  CUSTOMER_AGREEMENT_TEMPLATE,
  CUSTOMER_AGREEMENT_TYPE,
  customerAgreementPath,
} from './customer-agreement-template';
import {
  AgreementMetadataResponse,
  AgreementResponse,
  ConfirmCustomerAgreementDto,
  CustomerAgreementListQuery,
} from './dto/customer-agreement.dto';

/**
 * The Customer Agreement as Partner Center serves it ("Get agreement metadata", "Confirm customer
 * acceptance of the Microsoft Customer Agreement", "Get confirmation of customer acceptance"): the
 * template, a partner's confirmations of a customer's acceptance, and the customer's own
 * acceptances on relationship requests. Orders check it with `assertCustomerAgreementConfirmed`.
 */
@Injectable()
export class CustomerAgreementsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly activityLog: ActivityLogService,
    @Inject(APP_CONFIG) private readonly config: RelationshipsConfig,
  ) {}

  /**
   * The agreement templates of `agreementType` (all when absent): the Customer Agreement's template
   * id, version, rank and the link to its text.
   * @throws 400 `customer_agreement.type_invalid` for another type.
   */
  metadata(agreementType: string | undefined): Collection<AgreementMetadataResponse> {
    if (agreementType !== undefined) assertAgreementType(agreementType);
    return {
      totalCount: 1,
      items: [
        {
          templateId: CUSTOMER_AGREEMENT_TEMPLATE.templateId,
          agreementType: CUSTOMER_AGREEMENT_TYPE,
          agreementLink: this.linkOf(CUSTOMER_AGREEMENT_TEMPLATE.version),
          versionRank: CUSTOMER_AGREEMENT_TEMPLATE.versionRank,
          version: CUSTOMER_AGREEMENT_TEMPLATE.version,
          attributes: { objectType: 'AgreementMetaData' },
        },
      ],
      links: {},
      attributes: { objectType: 'Collection' },
    };
  }

  /**
   * The caller confirms that the customer accepted the Customer Agreement (each confirmation is
   * kept; the first one lets the caller order). Needs an active reseller relationship of the
   * caller with the customer; one `customer_agreement.confirmed` event, for the caller and the
   * customer only (a co-partner does not see it).
   * @throws 403 `partner.not_active`, 404 `customer.not_found` (no active relationship: the same
   *   answer as an unknown customer), 400 `customer_agreement.template_unknown`.
   */
  async confirm(
    caller: Caller,
    customerId: string,
    dto: ConfirmCustomerAgreementDto,
  ): Promise<AgreementResponse> {
    await this.tenants.requireActivePartner(caller);
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    assertCurrentTemplate(dto.templateId);
    const row = await this.em.transactional(async (tx) => {
      await requireActiveRelationship(tx, caller.tenantId, customerId, true);
      const confirmed = recordPartnerConfirmation(tx, caller, customerId, dto);
      await this.activityLog.record(tx, {
        type: 'customer_agreement.confirmed',
        actor: caller,
        tenantIds: [caller.tenantId, customerId],
        resource: { type: 'customer_agreement', id: confirmed.id },
        customerId,
        after: {
          type: confirmed.type,
          templateId: confirmed.templateId,
          version: confirmed.version,
          dateAgreed: confirmed.dateAgreed.toISOString(),
          primaryContact: dto.primaryContact,
        },
      });
      return confirmed;
    });
    return toAgreementResponse(row, this.config.PUBLIC_URL);
  }

  /**
   * The acceptances that count for the caller's orders: its own confirmations, those of the other
   * side of its channel for the customer (`confirmingPartners`), and the customer's own
   * acceptances (never a co-partner's confirmations), oldest first, keyset paginated on
   * (createdAt, id).
   * @throws 404 `customer.not_found`, 400 `customer_agreement.type_invalid`,
   *   400 `request.invalid_cursor`.
   */
  async list(
    caller: Caller,
    customerId: string,
    query: CustomerAgreementListQuery,
  ): Promise<Collection<AgreementResponse>> {
    if (query.agreementType !== undefined) assertAgreementType(query.agreementType);
    await requireActiveRelationship(this.em, caller.tenantId, customerId);
    const partners = await confirmingPartners(this.em, caller.tenantId, customerId);
    const rows = await this.em.findByCursor(
      CustomerAgreement,
      { customerId, $or: [{ partnerTenantId: { $in: partners } }, { partnerTenantId: null }] },
      {
        first: query.size,
        after: timestampCursorAfter(query.seek),
        orderBy: { createdAt: 'asc', id: 'asc' },
        includeCount: false,
      },
    );
    return cursorCollection(
      rows,
      (row) => toAgreementResponse(row, this.config.PUBLIC_URL),
      (seek) => `/v1/customers/${customerId}/agreements?size=${query.size}&seek=${seek}`,
    );
  }

  /** The absolute URL of a version's text. */
  private linkOf(version: string): string {
    return new URL(customerAgreementPath(version), this.config.PUBLIC_URL).toString();
  }
}

/**
 * `agreementType` as Partner Center spells it; only the Customer Agreement is served here.
 * @throws 400 `customer_agreement.type_invalid`.
 */
function assertAgreementType(value: string): void {
  if (value.replace(/_/g, '').toLowerCase() !== CUSTOMER_AGREEMENT_TYPE.toLowerCase()) {
    throw new DomainError(
      'customer_agreement.type_invalid',
      400,
      `Unknown agreementType "${value.slice(0, 50)}": the agreement served is ${CUSTOMER_AGREEMENT_TYPE}.`,
      { agreementType: value.slice(0, 50) },
    );
  }
}
