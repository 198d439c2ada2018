import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { badRequest, conflict, notFound } from '@app/common';
import { rethrowUniqueViolation } from '../database/unique-violation';
import { Tenant } from '../tenants/tenant.entity';
import {
  PartnerProfilePatch,
  PartnerProfileView,
  toPartnerProfileView,
} from './dto/partner-profile.dto';
import { operatorReservedFields } from './operator-reserved';

/**
 * A partner's legal business profile (seed 004 step 8): the partner updates its address, primary
 * contact name and phone, and support contact; the operator may change everything. Every change
 * bumps the tenant version.
 */
@Injectable()
export class PartnerProfileService {
  constructor(private readonly em: EntityManager) {}

  /** @throws 404 `partner_profile.not_found` when the tenant is not a partner. */
  async get(tenantId: string): Promise<PartnerProfileView> {
    const tenant = await this.em.findOne(Tenant, { id: tenantId, kind: 'partner' });
    if (!tenant) throw notFound('partner_profile.not_found', 'The partner profile');
    return toPartnerProfileView(tenant);
  }

  /**
   * Apply `patch` to the partner `tenantId`. `byOperator` lifts the operator reservation.
   * @throws 404 `partner_profile.not_found`, 400 `partner_profile.operator_reserved`,
   * 400 `request.invalid` (two different countries), 409 `enrollment.mpn_id_taken`.
   */
  async update(
    tenantId: string,
    patch: PartnerProfilePatch,
    byOperator: boolean,
  ): Promise<PartnerProfileView> {
    return this.em
      .transactional(async (tx) => {
        const tenant = await tx.findOne(
          Tenant,
          { id: tenantId, kind: 'partner' },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!tenant) throw notFound('partner_profile.not_found', 'The partner profile');
        if (!byOperator) {
          const reserved = operatorReservedFields(tenant.partnerType, patch);
          if (reserved.length > 0) {
            throw badRequest(
              'partner_profile.operator_reserved',
              `Only the platform operator can change: ${reserved.join(', ')}. Contact your platform operator (your Microsoft representative).`,
              { fields: reserved },
            );
          }
        }
        const country = patch.country ?? patch.address?.country;
        if (patch.country && patch.address?.country && patch.country !== patch.address.country) {
          throw badRequest('request.invalid', 'country and address.country differ.');
        }
        if (patch.mpnId && patch.mpnId !== tenant.mpnId) {
          if ((await tx.count(Tenant, { mpnId: patch.mpnId })) > 0) {
            throw conflict(
              'enrollment.mpn_id_taken',
              'This Partner ID (MPN ID) is already enrolled.',
            );
          }
          tenant.mpnId = patch.mpnId;
        }
        if (patch.legalBusinessName) tenant.name = patch.legalBusinessName;
        if (country) tenant.country = country;
        if (patch.cloud) tenant.cloud = patch.cloud;
        if (patch.partnerType) tenant.partnerType = patch.partnerType;
        if (patch.locale) tenant.locale = patch.locale;
        if (patch.address) {
          tenant.address = {
            addressLine1: patch.address.addressLine1,
            addressLine2: patch.address.addressLine2 || null,
            city: patch.address.city,
            state: patch.address.state || null,
            postalCode: patch.address.postalCode,
          };
        }
        if (patch.primaryContact) {
          const current = tenant.primaryContact ?? { name: '', email: '', phone: null };
          tenant.primaryContact = {
            name: patch.primaryContact.name ?? current.name,
            email: patch.primaryContact.email ?? current.email,
            phone:
              patch.primaryContact.phone === undefined ? current.phone : patch.primaryContact.phone,
          };
        }
        if (patch.supportContact) {
          const current = tenant.supportContact ?? { name: '', email: '', phone: null };
          tenant.supportContact = {
            name: patch.supportContact.name ?? current.name,
            email: patch.supportContact.email ?? current.email,
            phone:
              patch.supportContact.phone === undefined ? current.phone : patch.supportContact.phone,
          };
        }
        tenant.version += 1;
        await tx.flush();
        return toPartnerProfileView(tenant);
      })
      .catch(rethrowUniqueViolation);
  }
}
