import { EntityManager } from '@mikro-orm/postgresql';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { PATTERNS } from '@app/contracts';
import { DomainError, RpcClient } from '@app/platform';
import { CLS_CTX, ClsService } from 'nestjs-cls';
import { Tenant } from '../organizations/tenant.entity';
import { SecurityGroupsService } from '../security-groups/security-groups.service';
import { Delegation } from '../users/delegation';
import { User } from '../users/user.entity';
import {
  DAP_ROLES,
  DELEGATED_ROUTES,
  DelegatedOperation,
  OPERATION_ROLES,
  reachOf,
} from './delegated-operations';

function customerNotFound(): DomainError {
  return new DomainError('customer.not_found', 404, 'The customer was not found.');
}

function accessDenied(operation: DelegatedOperation | null): DomainError {
  return new DomainError(
    'gdap.access_denied',
    403,
    'You hold no active delegated access to this customer that allows this operation: an active delegated admin relationship, membership of a security group with an active access assignment on it, and a role that allows the operation are all needed.',
    { operation },
  );
}

/** The request a delegated call serves, as the auth guard left it. */
interface DelegatedRequest {
  method: string;
  routeOptions?: { url?: string };
  caller?: Caller;
}

/**
 * Whether a partner user may act in a customer's organisation with its own identity, decided at
 * the time of every delegated call (issue 10 part 2), nothing cached. Allowed when either
 * - DAP holds (seeds 000/004): the caller is a Global admin or Admin agent of a partner holding an
 *   active reseller relationship with delegated admin privileges for the customer
 *   (`relationships.delegated-admin.status`); the delegated manager's limits apply (grants Billing
 *   admin only, never changes an administrator); or
 * - GDAP holds: the caller is an enabled member of security groups (read here) holding, through
 *   access assignments that are active on relationships between the two organisations that are
 *   active and not past their end (`relationships.gdap.access`), a role allowing the operation
 *   (`OPERATION_ROLES`; the route's operation from `DELEGATED_ROUTES`).
 * The customer may be an indirect reseller's organisation (issue 10: an indirect provider acts in
 * its reseller through a delegated admin relationship the reseller approved): then only GDAP
 * applies (DAP is a reseller relationship with a customer; the administrator access of issue 9 no
 * longer reaches users), checked exactly as for a customer.
 * Otherwise: 404 `customer.not_found` when the customer is unknown or the partner holds no GDAP
 * relationship with it that the customer has seen (the answer without delegated admin privileges
 * before GDAP, issue 9 point 16: the same body as an id that exists nowhere); 403
 * `gdap.access_denied` when the partner has such a relationship but this user's access does not
 * cover the call (terminated, expired, assignment or membership removed, user disabled, role
 * missing). 503 `dependency.unavailable` when relationships does not answer.
 *
 * It stands in for customer-users' `DelegatedAdminService` (same method), reading the route and
 * the caller of the request being served from the request context (nestjs-cls `CLS_CTX`).
 */
@Injectable()
export class DelegatedAccessService {
  constructor(
    private readonly em: EntityManager,
    private readonly rpc: RpcClient,
    private readonly cls: ClsService,
    private readonly groups: SecurityGroupsService,
  ) {}

  /** The current request's caller and operation (null: not a delegated route). */
  private current(): { caller: Caller | null; operation: DelegatedOperation | null } {
    const context = this.cls.isActive() ? this.cls.get<ExecutionContext>(CLS_CTX) : undefined;
    if (!context || context.getType() !== 'http') return { caller: null, operation: null };
    const request = context.switchToHttp().getRequest<DelegatedRequest>();
    const route = `${request.method} ${request.routeOptions?.url ?? ''}`;
    return { caller: request.caller ?? null, operation: DELEGATED_ROUTES[route] ?? null };
  }

  /**
   * @returns the delegation the caller acts through: DAP's grant, or (GDAP) the relationship with
   * the reach its roles allow.
   * @throws 404 `customer.not_found`, 403 `gdap.access_denied`, 503 `dependency.unavailable`.
   */
  async assertDelegatedAdmin(
    partnerTenantId: string,
    customerTenantId: string,
  ): Promise<Delegation> {
    const em = this.em.fork();
    const customer = await em.findOne(
      Tenant,
      { id: customerTenantId, kind: { $in: ['customer', 'partner'] } },
      { fields: ['kind'] },
    );
    if (!customer || customerTenantId === partnerTenantId) throw customerNotFound();
    const { caller, operation } = this.current();
    const user = caller
      ? await em.findOne(User, { id: caller.userId, tenantId: partnerTenantId })
      : null;
    const enabled = user !== null && !user.disabled;
    if (
      customer.kind === 'customer' &&
      enabled &&
      caller &&
      caller.roles.some((role) => DAP_ROLES.includes(role))
    ) {
      const status = await this.rpc.send(PATTERNS.delegatedAdminStatus, {
        partnerTenantId,
        customerTenantId,
      });
      if (status.active && status.grantId) {
        return { kind: 'delegated_admin', byTenantId: partnerTenantId, grantId: status.grantId };
      }
    }
    const groupIds =
      enabled && caller ? await this.groups.groupsOf(em, partnerTenantId, caller.userId) : [];
    const access = await this.rpc.send(PATTERNS.gdapAccess, {
      partnerTenantId,
      customerTenantId,
      groupIds,
    });
    if (!access.related) throw customerNotFound();
    const allowed = operation ? OPERATION_ROLES[operation] : [];
    if (!access.relationshipId || !access.roles.some((role) => allowed.includes(role))) {
      throw accessDenied(operation);
    }
    return {
      kind: 'gdap',
      byTenantId: partnerTenantId,
      grantId: access.relationshipId,
      limitRoles: reachOf(access.roles),
    };
  }
}
