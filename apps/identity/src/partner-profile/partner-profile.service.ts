import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { IdentityAudit } from '../audit-events/identity-audit.service';
import { Enrollment } from '../enrollments/enrollment.entity';
import { assertNotWebmail } from '../enrollments/webmail-domains';
import { Tenant } from '../organizations/tenant.entity';
import { TENANT_CONFLICTS, rethrowUniqueViolation } from '../organizations/unique-violation';
import { VerificationLinksService } from '../verification-links/verification-links.service';
import {
  IndirectResellerRoleInput,
  PartnerProfilePatch,
  PartnerProfileView,
  toPartnerProfileView,
} from './dto/partner-profile.dto';
import { assertMayAddIndirectResellerRole } from './indirect-reseller-role';
import { operatorReservedFields } from './operator-reserved';

/**
 * A partner's legal business profile (seed 004 step 8): the partner updates its address, primary
 * contact, and support contact; the operator may change everything. A changed primary contact
 * email is verified again: the new address receives a verification link and becomes the primary
 * contact only when it follows it (the current one stays until then; the answer shows the pending
 * address). Every change bumps the tenant version.
 */
@Injectable()
export class PartnerProfileService {
  constructor(
    private readonly em: EntityManager,
    private readonly links: VerificationLinksService,
    private readonly audit: IdentityAudit,
  ) {}

  /** @throws 404 `partner_profile.not_found` when the tenant is not a partner. */
  async get(tenantId: string): Promise<PartnerProfileView> {
    const tenant = await this.em.findOne(Tenant, { id: tenantId, kind: 'partner' });
    if (!tenant)
      throw new DomainError('partner_profile.not_found', 404, 'The partner profile was not found.');
    return toPartnerProfileView(tenant);
  }

  /**
   * Apply `patch` to the partner `tenantId`. `byOperator` lifts the operator reservation. Recorded
   * as `partner_profile.updated` with the fields that changed, before and after (every update bumps
   * the version, so every update is a change).
   * @throws 404 `partner_profile.not_found`, 400 `partner_profile.operator_reserved`,
   * 400 `request.invalid` (two different countries), 400 `enrollment.webmail_primary_contact`,
   * 409 `enrollment.mpn_id_taken`.
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
        if (!tenant)
          throw new DomainError(
            'partner_profile.not_found',
            404,
            'The partner profile was not found.',
          );
        const before = profileState(tenant);
        if (!byOperator) {
          const reserved = operatorReservedFields(tenant.partnerType, patch);
          if (reserved.length > 0) {
            throw new DomainError(
              'partner_profile.operator_reserved',
              400,
              `Only the platform operator can change: ${reserved.join(', ')}. Contact your platform operator (your Microsoft representative).`,
              { fields: reserved },
            );
          }
        }
        const country = patch.country ?? patch.address?.country;
        if (patch.country && patch.address?.country && patch.country !== patch.address.country) {
          throw new DomainError('request.invalid', 400, 'country and address.country differ.');
        }
        if (patch.mpnId && patch.mpnId !== tenant.mpnId) {
          if ((await tx.count(Tenant, { mpnId: patch.mpnId })) > 0) {
            throw new DomainError(
              'enrollment.mpn_id_taken',
              409,
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
            email: current.email,
            phone:
              patch.primaryContact.phone === undefined ? current.phone : patch.primaryContact.phone,
          };
          if (patch.primaryContact.email !== undefined) {
            await this.changePrimaryContactEmail(tx, tenant, patch.primaryContact.email);
          }
        }
        if (patch.supportContact) {
          const current = tenant.supportContact ?? { name: '', email: '', phone: null };
          tenant.supportContact = {
            name: patch.supportContact.name ?? current.name,
            email: patch.supportContact.email ?? current.email,
            phone:
              patch.supportContact.phone === undefined ? current.phone : patch.supportContact.phone,
            website:
              patch.supportContact.website === undefined
                ? (current.website ?? null)
                : patch.supportContact.website,
          };
        }
        tenant.version += 1;
        await this.audit.record(tx, {
          type: 'partner_profile.updated',
          tenantIds: [tenant.id],
          resource: { type: 'partner_profile', id: tenant.id },
          ...changedFields(before, profileState(tenant)),
        });
        await tx.flush();
        return toPartnerProfileView(tenant);
      })
      .catch(rethrowUniqueViolation(TENANT_CONFLICTS));
  }

  /**
   * A direct partner already in CSP adds the indirect reseller role by giving its customer support
   * contact (seed 004; `assertMayAddIndirectResellerRole`): in one transaction, under the tenant's
   * row lock (two concurrent calls: one succeeds, the other sees the new type and answers 409), the
   * partner type becomes `indirect_reseller`, the support contact is replaced and the version
   * bumped (recorded as `partner.indirect_reseller_enrolled`). Customers, relationships, subscriptions and users stay. Relationships reads the new
   * type from the tenant snapshot (`identity.tenants.get`); a snapshot it cached as `direct` is read
   * again before it refuses an indirect reseller's action (`TenantDirectory.requireActivePartner`).
   * @throws 404 `partner_profile.not_found`, 403 `partner.not_active`, 409
   *   `partner_profile.already_indirect_reseller`, 409 `partner_profile.indirect_provider`.
   */
  async addIndirectResellerRole(
    tenantId: string,
    input: IndirectResellerRoleInput,
  ): Promise<PartnerProfileView> {
    return this.em.transactional(async (tx) => {
      const tenant = await tx.findOne(
        Tenant,
        { id: tenantId, kind: 'partner' },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!tenant)
        throw new DomainError(
          'partner_profile.not_found',
          404,
          'The partner profile was not found.',
        );
      assertMayAddIndirectResellerRole(tenant);
      const before = profileState(tenant);
      const contact = input.supportContact;
      tenant.partnerType = 'indirect_reseller';
      tenant.supportContact = {
        name: contact.name ?? (tenant.supportContact?.name || tenant.name),
        email: contact.email,
        phone: contact.phone,
        website: contact.website ?? null,
      };
      tenant.version += 1;
      await this.audit.record(tx, {
        type: 'partner.indirect_reseller_enrolled',
        tenantIds: [tenant.id],
        resource: { type: 'partner', id: tenant.id },
        ...changedFields(before, profileState(tenant)),
      });
      await tx.flush();
      return toPartnerProfileView(tenant);
    });
  }

  /**
   * A new primary contact email: pending until verified (a link to the new address; an earlier
   * pending change and its link are replaced). Asking for the current address again withdraws a
   * pending change. @throws 400 `enrollment.webmail_primary_contact`.
   */
  private async changePrimaryContactEmail(
    tx: EntityManager,
    tenant: Tenant,
    email: string,
  ): Promise<void> {
    const enrollment = await tx.findOne(Enrollment, { tenantId: tenant.id });
    if (!enrollment)
      throw new DomainError('partner_profile.not_found', 404, 'The partner profile was not found.');
    if (email === tenant.primaryContact?.email) {
      if (tenant.pendingPrimaryContactEmail) {
        tenant.pendingPrimaryContactEmail = null;
        await this.links.supersede(tx, enrollment.id, 'primary_contact');
      }
      return;
    }
    assertNotWebmail(email, 'primaryContact.email');
    if (email === tenant.pendingPrimaryContactEmail) return;
    tenant.pendingPrimaryContactEmail = email;
    await this.links.issue(tx, {
      enrollmentId: enrollment.id,
      tenant,
      purpose: 'primary_contact',
      email,
      contactName: tenant.primaryContact?.name ?? '',
    });
  }
}

/** The profile fields of `tenant` an audit event compares (a copy: later changes do not reach it). */
function profileState(tenant: Tenant): Record<string, unknown> {
  const fields: Record<string, unknown> = JSON.parse(
    JSON.stringify(toPartnerProfileView(tenant)),
  ) as Record<string, unknown>;
  delete fields.version;
  delete fields.attributes;
  return fields;
}

/** The top-level fields whose value differs between `before` and `after`, on each side. */
function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const changed = Object.keys({ ...before, ...after }).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, after[key] ?? null])),
  };
}
