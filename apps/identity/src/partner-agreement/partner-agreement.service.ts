import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { Enrollment } from '../enrollments/enrollment.entity';
import { Tenant } from '../organizations/tenant.entity';
import { AgreementStatusQuery } from './dto/agreement-status.dto';

/**
 * Partner Center's "Verify a partner's Partner Agreement status" (`GET
 * /v1/compliance/csp/agreementstatus?mpnId=|tenantId=`): whether a partner accepted the Partner
 * Agreement, which it does by submitting its enrollment (recorded on the enrollment).
 */
@Injectable()
export class PartnerAgreementService {
  constructor(private readonly em: EntityManager) {}

  /**
   * `{ isAgreementSigned }` of the partner named by exactly one of `mpnId` or `tenantId`: true when
   * its enrollment recorded the acceptance and the partner is active (an enrollment still pending
   * verification or review, or rejected, is not a signed agreement). Errors as Partner Center
   * documents them, all 400: `agreement_status.query_missing` (2001) for neither,
   * `agreement_status.query_invalid` (2000) for both, a tenant id that is not a GUID or a Partner
   * ID that is not numeric, `agreement_status.mpn_id_not_found` (2200) for a Partner ID no partner
   * holds, `agreement_status.tenant_not_found` (2205) for a tenant id of no partner (a customer's
   * or an unknown one: the same answer).
   */
  async status(query: AgreementStatusQuery): Promise<{ isAgreementSigned: boolean }> {
    const { mpnId, tenantId } = query;
    if (mpnId === undefined && tenantId === undefined) {
      throw new DomainError(
        'agreement_status.query_missing',
        400,
        'Both MPN Id and Tenant Id cannot be empty.',
      );
    }
    if (mpnId !== undefined && tenantId !== undefined) {
      throw new DomainError(
        'agreement_status.query_invalid',
        400,
        'Both MPN Id and Tenant Id should not be passed.',
      );
    }
    if (mpnId !== undefined && !/^\d{1,10}$/.test(mpnId)) {
      throw new DomainError('agreement_status.query_invalid', 400, 'MPN Id must be numeric.');
    }
    if (
      tenantId !== undefined &&
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId)
    ) {
      throw new DomainError('agreement_status.query_invalid', 400, 'Tenant Id must be a GUID.');
    }
    const tenant = await this.em.findOne(
      Tenant,
      mpnId !== undefined
        ? { mpnId, kind: 'partner' }
        : { id: tenantId!.toLowerCase(), kind: 'partner' },
      { fields: ['id', 'partnerStatus'] },
    );
    if (!tenant) {
      throw mpnId !== undefined
        ? new DomainError(
            'agreement_status.mpn_id_not_found',
            400,
            'The MPN Id is not valid or not associated with a partner.',
          )
        : new DomainError(
            'agreement_status.tenant_not_found',
            400,
            'No partner account was found for the Tenant Id.',
          );
    }
    if (tenant.partnerStatus !== 'active') return { isAgreementSigned: false };
    const signed = await this.em.count(Enrollment, {
      tenantId: tenant.id,
      partnerAgreementAcceptedAt: { $ne: null },
    });
    return { isAgreementSigned: signed > 0 };
  }
}
