import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  Address,
  Cloud,
  CreateCustomerTenantRequestSchema,
  Locale,
  PATTERNS,
  RpcResponse,
} from '@app/contracts';
import { DomainError } from '@app/platform';
import { DEFAULT_LOCALE } from '@app/contracts';
import { z } from 'zod';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { IdentityAudit, anonymousActor } from '../audit-events/identity-audit.service';
import { toTenantSnapshot } from '../organizations/tenant-snapshot';
import { Tenant } from '../organizations/tenant.entity';
import { TENANT_CONFLICTS, rethrowUniqueViolation } from '../organizations/unique-violation';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { userAuditView } from '../users/user-audit';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { CustomerSignupInput, CustomerSignupResponse } from './dto/customer-signup.dto';
import { ProcessedRequest } from './processed-request.entity';

/** A customer organisation to create with its first Global admin. */
export interface NewCustomer {
  companyName: string;
  domainPrefix: string;
  country: string;
  cloud: Cloud;
  locale: Locale;
  address: Address;
  /** `passwordHash`: the hash of `password` made before the transaction (public sign-up). */
  admin: {
    firstName: string;
    lastName: string;
    email: string;
    password: string;
    passwordHash?: string;
  };
  /** A temporary password (created by a partner) or one the admin chose (self sign-up). */
  passwordTemporary: boolean;
  createdByTenantId: string | null;
}

type CreateCustomerTenantRequest = z.infer<typeof CreateCustomerTenantRequestSchema>;
type CreateCustomerTenantResponse = RpcResponse<typeof PATTERNS.createCustomerTenant>;

/**
 * Customer organisations (DESIGN.md "Tenant", "New customer"): a default domain
 * `<prefix>.<CUSTOMER_DOMAIN_SUFFIX>`, unique (409 `customer.domain_taken`, checked before anything
 * is written), a company profile, a first Global admin, and the Customer Agreement not yet accepted.
 */
@Injectable()
export class CustomersService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly audit: IdentityAudit,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** The default domain of a prefix. */
  domainOf(prefix: string): string {
    return `${prefix}.${this.config.CUSTOMER_DOMAIN_SUFFIX}`;
  }

  /**
   * `HEAD /v1/domains/{domain}`: whether an organisation holds the default domain `domain` (whole,
   * or its prefix alone). A domain outside `CUSTOMER_DOMAIN_SUFFIX` is never held.
   * @throws 404 `domain.not_found` when the domain is free.
   */
  async requireDomainTaken(domain: string): Promise<void> {
    const full = domain.includes('.') ? domain : this.domainOf(domain);
    if ((await this.em.fork().count(Tenant, { domain: full })) === 0) {
      throw new DomainError('domain.not_found', 404, `The domain ${full} is not taken.`);
    }
  }

  /**
   * Create the customer tenant and its admin inside the caller's transaction `tx`. The tenant is
   * new, so the admin's address is never taken (emails are unique per organisation).
   * @throws 409 `customer.domain_taken`.
   */
  async create(tx: EntityManager, input: NewCustomer): Promise<{ tenant: Tenant; admin: User }> {
    const domain = this.domainOf(input.domainPrefix);
    if ((await tx.count(Tenant, { domain })) > 0) {
      throw new DomainError(
        'customer.domain_taken',
        409,
        `The default domain ${domain} is already taken.`,
        {
          domain,
        },
      );
    }
    const tenant = tx.create(Tenant, {
      kind: 'customer',
      name: input.companyName,
      country: input.country,
      cloud: input.cloud,
      locale: input.locale,
      version: 1,
      createdAt: new Date(),
      domain,
      address: {
        addressLine1: input.address.addressLine1,
        addressLine2: input.address.addressLine2 || null,
        city: input.address.city,
        state: input.address.state || null,
        postalCode: input.address.postalCode,
      },
      createdByTenantId: input.createdByTenantId,
    });
    tx.persist(tenant);
    const admin = await this.users.addUser(tx, tenant, {
      ...input.admin,
      roles: ['GlobalAdmin'],
      locale: input.locale,
      passwordTemporary: input.passwordTemporary,
    });
    return { tenant, admin };
  }

  /**
   * A customer organisation signing up on its own, with the password its Global admin chose. The
   * organisation is new, so its admin's address is never taken (sign-in names are per
   * organisation, issue 9 point 9): the answer depends on the default domain and the password
   * alone, never on whether the address has an account elsewhere. (Before, a sign-up whose address
   * had an account created nothing, so its default domain stayed free and a second sign-up with
   * that domain answered 201 where it otherwise answered 409: the domain told whether the first
   * address had an account.)
   * @throws 400 `user.weak_password`, 409 `customer.domain_taken`, 503 `service.busy` (too many
   * public password hashes waiting).
   */
  async signUp(input: CustomerSignupInput): Promise<CustomerSignupResponse> {
    assertPasswordPolicy(input.globalAdmin.password, { email: input.globalAdmin.email });
    // Hashed in the public routes' bounded lane, before any connection is held.
    const passwordHash = await this.hasher.hashForPublicRoute(input.globalAdmin.password);
    return this.em
      .transactional(async (tx) => {
        const { tenant, admin } = await this.create(tx, {
          companyName: input.companyName,
          domainPrefix: input.domainPrefix,
          country: input.country,
          cloud: input.cloud,
          locale: input.locale ?? DEFAULT_LOCALE,
          address: input.address,
          admin: { ...input.globalAdmin, passwordHash },
          passwordTemporary: false,
          createdByTenantId: null,
        });
        await this.audit.record(tx, {
          type: 'organization.signed_up',
          actor: anonymousActor(admin.id, tenant.id),
          tenantIds: [tenant.id],
          resource: { type: 'organization', id: tenant.id },
          after: customerAuditView(tenant, admin),
        });
        return {
          tenantId: tenant.id,
          domain: tenant.domain ?? this.domainOf(input.domainPrefix),
          userId: admin.id,
        };
      })
      .catch(rethrowUniqueViolation(TENANT_CONFLICTS));
  }

  /**
   * `identity.customer-tenants.create`: idempotent by `requestId`. The first delivery claims the id
   * (a row in `processed_request`, inserted in the same transaction as the tenant); a repeat, even
   * on another instance at the same moment, waits for that transaction and answers the stored
   * response. A refused request (domain taken) rolls its claim back with everything else.
   * @throws 400 `customer.domain_invalid`, 409 `customer.domain_taken`, 409 `request.id_reused`.
   */
  async createFromPartner(req: CreateCustomerTenantRequest): Promise<CreateCustomerTenantResponse> {
    const pattern = PATTERNS.createCustomerTenant;
    if (req.domainSuffix !== undefined && req.domainSuffix !== this.config.CUSTOMER_DOMAIN_SUFFIX) {
      throw new DomainError(
        'customer.domain_invalid',
        400,
        `A new customer's default domain ends with .${this.config.CUSTOMER_DOMAIN_SUFFIX}: send the prefix alone or <prefix>.${this.config.CUSTOMER_DOMAIN_SUFFIX}.`,
      );
    }
    const created = await this.em
      .fork()
      .transactional(async (tx) => {
        const claimed = await tx.execute<{ request_id: string }[]>(
          `insert into "processed_request" ("request_id", "pattern", "created_at")
           values (?, ?, now()) on conflict do nothing returning "request_id"`,
          [req.requestId, pattern],
        );
        if (claimed.length === 0) return null;
        const { tenant, admin } = await this.create(tx, {
          companyName: req.companyName,
          domainPrefix: req.domainPrefix,
          country: req.country,
          cloud: req.cloud,
          locale: req.locale,
          address: req.address,
          admin: {
            firstName: req.admin.firstName,
            lastName: req.admin.lastName,
            email: req.admin.email,
            password: req.admin.temporaryPassword,
          },
          passwordTemporary: true,
          createdByTenantId: req.createdByTenantId,
        });
        // A message from relationships: no HTTP request here. The partner's user and the request
        // ids are on relationships' own event of the same new customer.
        await this.audit.record(tx, {
          type: 'organization.created',
          actor: {
            kind: 'user',
            userId: null,
            tenantId: req.createdByTenantId,
            onBehalfOfTenantId: null,
          },
          tenantIds: [tenant.id, req.createdByTenantId],
          resource: { type: 'organization', id: tenant.id },
          after: customerAuditView(tenant, admin),
        });
        const response: CreateCustomerTenantResponse = {
          tenant: toTenantSnapshot(tenant),
          admin: { userId: admin.id, userPrincipalName: admin.email },
        };
        await tx.execute(
          `update "processed_request" set "response" = ?::jsonb where "request_id" = ?`,
          [JSON.stringify(response), req.requestId],
        );
        return response;
      })
      .catch(rethrowUniqueViolation(TENANT_CONFLICTS));
    if (created) return created;
    const previous = await this.em.fork().findOne(ProcessedRequest, { requestId: req.requestId });
    if (!previous?.response || previous.pattern !== pattern) {
      throw new DomainError(
        'request.id_reused',
        409,
        'This request id was already used for another request.',
      );
    }
    return previous.response as CreateCustomerTenantResponse;
  }
}

/** A new customer organisation as its audit event shows it (no password). */
function customerAuditView(tenant: Tenant, admin: User) {
  return {
    kind: tenant.kind,
    companyName: tenant.name,
    domain: tenant.domain,
    country: tenant.country,
    cloud: tenant.cloud,
    locale: tenant.locale,
    address: tenant.address,
    createdByTenantId: tenant.createdByTenantId,
    globalAdmin: userAuditView(admin),
  };
}
