import { TenantSnapshot } from '@app/contracts';
import { StoredAddress, StoredContact, Tenant } from './tenant.entity';

/** The tenant as other services see it (`TenantSnapshotSchema`). */
export function toTenantSnapshot(tenant: Tenant): TenantSnapshot {
  const support: StoredContact = {
    name: tenant.supportContact?.name ?? '',
    email: tenant.supportContact?.email ?? '',
    phone: tenant.supportContact?.phone ?? null,
  };
  return {
    id: tenant.id,
    kind: tenant.kind,
    name: tenant.name,
    country: tenant.country,
    cloud: tenant.cloud,
    locale: tenant.locale,
    version: tenant.version,
    partner:
      tenant.kind === 'partner' && tenant.partnerType && tenant.mpnId && tenant.partnerStatus
        ? {
            partnerType: tenant.partnerType,
            mpnId: tenant.mpnId,
            status: tenant.partnerStatus,
            supportContact: support,
          }
        : null,
    customer:
      tenant.kind === 'customer' && tenant.domain
        ? {
            domain: tenant.domain,
            customerAgreementAcceptedAt: tenant.customerAgreementAcceptedAt?.toISOString() ?? null,
            customerAgreementAcceptedBy: tenant.customerAgreementAcceptedBy,
          }
        : null,
  };
}

/** An address as the API shows it: the stored lines plus the tenant's country. */
export function addressView(address: StoredAddress | null, country: string) {
  return {
    addressLine1: address?.addressLine1 ?? '',
    addressLine2: address?.addressLine2 ?? null,
    city: address?.city ?? '',
    state: address?.state ?? null,
    postalCode: address?.postalCode ?? '',
    country,
  };
}
