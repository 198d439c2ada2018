import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { IdentityAuditEventType, Locale, Role } from '@app/contracts';
import {
  Collection,
  cursorCollection,
  DomainError,
  newTemporaryPassword,
  timestampCursorAfter,
} from '@app/platform';
import { OutboxService } from '@app/outbox';
import { rethrowUniqueViolation } from '../organizations/unique-violation';
import { SessionRevocationService } from '../session-revocation/session-revocation.service';
import { Tenant } from '../organizations/tenant.entity';
import { Delegation } from './delegation';
import { CreateUserInput, UserView, toUserView } from './dto/user.dto';
import { EndedDelegation } from './ended-delegation.entity';
import { PasswordHasher } from './password-hasher.service';
import { RoleManager, assertMayGrant, assertMayManageUser } from './role-grants';
import { assertKeepsGlobalAdmin, validateRoles } from './user-roles';
import { USER_CONFLICTS, emailTakenInOrganization } from './user-conflicts';
import { User } from './user.entity';
import { VerificationLinksService } from '../verification-links/verification-links.service';
import { IdentityAudit } from '../audit-events/identity-audit.service';
import { roleChangeType, userAuditView, userChangeAudience } from './user-audit';

/** A new user's account data; the password is already checked or generated. */
export interface NewUser {
  firstName: string;
  lastName: string;
  email: string;
  roles: Role[];
  locale: Locale;
  password: string;
  /**
   * The hash of `password`, made before the transaction (`PasswordHasher.hashForPublicRoute` on
   * public routes); absent: `addUser` hashes it.
   */
  passwordHash?: string;
  passwordTemporary: boolean;
  /** The delegation the user is created through (recorded on the user), if any. */
  delegation?: Delegation;
  /**
   * How the new user proves its sign-in address before its first sign-in (issue 9 point 7):
   * `link` (the default), a verification link emailed now in the same transaction; `enrollment`,
   * the primary contact's verification link of the partner's enrollment, sent to the same address,
   * does it (`EnrollmentVerificationService`).
   */
  verification?: 'link' | 'enrollment';
}

/**
 * Who asks for a change: a user of the organisation itself (`member`, by user id: its current
 * roles are read inside the transaction, so a role taken away a moment ago no longer counts), or a
 * partner acting through a delegation the caller already checked (`delegated`: administrator access
 * of an indirect provider, delegated admin privileges for a customer), under the grant it names.
 */
export type UserActor =
  { kind: 'member'; userId: string } | { kind: 'delegated'; delegation: Delegation };

/** A user and the temporary password just set for them (shown this once). */
export interface UserWithTemporaryPassword {
  user: UserView;
  temporaryPassword: string;
}

/**
 * User management of one organisation (seed 004 "Add a new user", "Assign user permissions"):
 * list, add with a temporary password shown once, change roles, reset a password (a new temporary
 * password), disable and enable, remove. Every method takes the tenant id; a user of another tenant
 * is 404 `user.not_found`. An organisation always keeps an enabled Global admin (409
 * `user.last_global_admin`); the role-grant table limits what each manager may grant and whom it
 * may change (403 `user.role_not_grantable`). Changes of one organisation's users run one at a
 * time (the tenant row is locked), so two admins demoting each other at once leave one.
 *
 * Sign-in names are scoped to the organisation (issue 9 point 9, no account enumeration): an email
 * is unique within its tenant only, so 409 `user.email_taken` means "a user of this very
 * organisation has it", which the caller can list anyway, and an address used in any other
 * organisation is created like a fresh one. With a global uniqueness, the admin of any organisation
 * (and anyone who enrolls or signs up) could learn whether an address has an account anywhere,
 * and could squat an address so that its owner can never register. The cost is at sign-in: a name
 * may then belong to several organisations, and when the password is right for more than one of
 * them the person names the organisation (`sign-in/sign-in-candidates.service.ts`).
 *
 * Removing, disabling, resetting the password of, or taking a role from a user ends its access
 * tokens on every service once the change commits (`SessionRevocationService`, issue 9 point 11).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly revocation: SessionRevocationService,
    private readonly outbox: OutboxService,
    private readonly links: VerificationLinksService,
    private readonly audit: IdentityAudit,
  ) {}

  /** Record a change of `user` (a user of `tenantId`) made by `actor`, in `tx`. */
  private async recordChange(
    tx: EntityManager,
    actor: UserActor,
    user: User,
    change: {
      type: IdentityAuditEventType;
      before?: unknown;
      after?: unknown;
    },
  ): Promise<void> {
    await this.audit.record(tx, {
      ...change,
      ...userChangeAudience(
        user.tenantId,
        actor.kind === 'delegated' ? actor.delegation : undefined,
      ),
      resource: { type: 'user', id: user.id },
    });
  }

  /**
   * Users of the tenant with their roles and status, oldest first, keyset paginated on
   * (createdAt, id) by `em.findByCursor` (without its count query).
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    tenantId: string,
    page: { size: number; seek?: string },
    basePath: string,
    viewerTenantId?: string,
  ): Promise<Collection<UserView>> {
    const cursor = await this.em.findByCursor(
      User,
      { tenantId },
      {
        first: page.size,
        after: timestampCursorAfter(page.seek),
        orderBy: { createdAt: 'asc', id: 'asc' },
        includeCount: false,
      },
    );
    return cursorCollection(
      cursor,
      (user) => toUserView(user, viewerTenantId),
      (seek) => `${basePath}?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Add a user with a generated temporary password (returned once, never stored in clear). A user
   * added through a delegation records it (partner, kind, grant: issue 9 point 3), and is refused
   * once that grant has ended (`assertDelegationLive`). An address used in another organisation is
   * no conflict: the answer is the same as for a fresh one.
   * @throws 404 `organization.not_found` (also a delegated caller whose administrator access ended),
   * 404 `customer.not_found` (a delegated caller whose delegated admin privileges ended), 400
   * `user.invalid_role`, 403 `user.role_not_grantable`, 409 `user.email_taken` (a user of the same
   * organisation has the address).
   */
  async create(
    tenantId: string,
    actor: UserActor,
    input: CreateUserInput,
  ): Promise<UserWithTemporaryPassword> {
    const temporaryPassword = newTemporaryPassword();
    const user = await this.em
      .transactional(async (tx) => {
        // The tenant lock serialises this with the ending of a delegation grant.
        const tenant = await tx.findOne(
          Tenant,
          { id: tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!tenant)
          throw new DomainError('organization.not_found', 404, 'The organisation was not found.');
        if (actor.kind === 'delegated') await assertDelegationLive(tx, actor.delegation);
        const roles = validateRoles(tenant.kind, input.roles);
        assertMayGrant(tenant.kind, await this.manager(tx, tenant, actor), roles);
        const added = await this.addUser(tx, tenant, {
          delegation: actor.kind === 'delegated' ? actor.delegation : undefined,
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          roles,
          locale: input.locale ?? tenant.locale,
          password: temporaryPassword,
          passwordTemporary: true,
        });
        await this.recordChange(tx, actor, added, {
          type: 'user.created',
          after: userAuditView(added),
        });
        return added;
      })
      .catch(rethrowUniqueViolation(USER_CONFLICTS));
    return { user: toUserView(user), temporaryPassword };
  }

  /**
   * Persist a user of `tenant` inside the caller's transaction `tx`, unverified: it cannot sign in
   * before it proves its address (issue 9 point 7), by the link emailed here (the outbox, same
   * transaction) unless `input.verification` says the enrollment's link does it.
   * @throws 409 `user.email_taken` when a user of `tenant` has the address (never for another
   * organisation's user).
   */
  async addUser(tx: EntityManager, tenant: Tenant, input: NewUser): Promise<User> {
    if (await this.emailTaken(tx, tenant.id, input.email)) throw emailTakenInOrganization();
    const user = tx.create(User, {
      tenantId: tenant.id,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      roles: input.roles,
      passwordHash: input.passwordHash ?? (await this.hasher.hash(input.password)),
      passwordTemporary: input.passwordTemporary,
      locale: input.locale,
      createdAt: new Date(),
      disabled: false,
      sessionsRevokedAt: null,
      delegatedByTenantId: input.delegation?.byTenantId ?? null,
      delegationKind: input.delegation?.kind ?? null,
      delegationGrantId: input.delegation?.grantId ?? null,
      emailVerifiedAt: null,
    });
    tx.persist(user);
    if ((input.verification ?? 'link') === 'link') {
      await this.links.issueForUser(tx, { user, tenant, purpose: 'sign_in_email' });
    }
    await tx.flush();
    return user;
  }

  /**
   * True when a user of `tenantId` already signs in with `email` (lower case). Users of other
   * organisations never count (see the class: sign-in names are per organisation).
   */
  async emailTaken(em: EntityManager, tenantId: string, email: string): Promise<boolean> {
    return (await em.count(User, { tenantId, email })) > 0;
  }

  /**
   * Replace a user's roles. When a role is taken away, the user's access tokens (which carry the
   * old roles) are revoked; it gets the new roles by refreshing.
   * @throws 404 `user.not_found`, 400 `user.invalid_role`, 409 `user.last_global_admin`,
   * 403 `user.role_not_grantable`.
   */
  async updateRoles(
    tenantId: string,
    actor: UserActor,
    userId: string,
    roles: string[],
  ): Promise<UserView> {
    const { view, demoted } = await this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      const next = validateRoles(tenant.kind, roles);
      if (!user.disabled) {
        assertKeepsGlobalAdmin(
          user.roles,
          next,
          await this.otherGlobalAdmins(tx, tenant.id, user.id),
        );
      }
      const manager = await this.manager(tx, tenant, actor);
      assertMayManageUser(tenant.kind, manager, user.roles);
      assertMayGrant(tenant.kind, manager, next);
      const removed = user.roles.some((role) => !next.includes(role));
      const type = roleChangeType(user.roles, next);
      const before = { roles: [...user.roles] };
      user.roles = next;
      if (type) await this.recordChange(tx, actor, user, { type, before, after: { roles: next } });
      await tx.flush();
      return { view: toUserView(user), demoted: removed };
    });
    if (demoted) await this.revocation.revokeUsers([userId]);
    return view;
  }

  /**
   * Reset a user's password: a new temporary password (returned once, to be changed at the next
   * sign-in); the user's sessions started before now are revoked, its access tokens on every
   * service with them. A disabled user stays disabled.
   * @throws 404 `user.not_found`, 409 `user.own_account` (change your own password with
   * `POST /v1/auth/password`), 403 `user.role_not_grantable`.
   */
  async resetPassword(
    tenantId: string,
    actor: UserActor,
    userId: string,
  ): Promise<UserWithTemporaryPassword> {
    const temporaryPassword = newTemporaryPassword();
    const user = await this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      assertNotSelf(
        actor,
        user,
        'Change your own password with POST /v1/auth/password (it asks for the current one).',
      );
      assertMayManageUser(tenant.kind, await this.manager(tx, tenant, actor), user.roles);
      const before = { passwordTemporary: user.passwordTemporary };
      user.passwordHash = await this.hasher.hash(temporaryPassword);
      user.passwordTemporary = true;
      user.sessionsRevokedAt = new Date();
      await this.recordChange(tx, actor, user, {
        type: 'user.password_reset',
        before,
        after: { passwordTemporary: true, sessionsRevoked: true, by: 'admin' },
      });
      await tx.flush();
      return user;
    });
    await this.revocation.revokeUsers([user.id]);
    return {
      user: toUserView(user, actor.kind === 'delegated' ? actor.delegation.byTenantId : undefined),
      temporaryPassword,
    };
  }

  /**
   * Disable (`true`) or enable (`false`) a user. A disabled user cannot sign in, its sessions
   * started before now are revoked (its access tokens on every service too; written again by a
   * repeated disable), and it no longer counts as a Global admin. Idempotent.
   * @throws 404 `user.not_found`, 409 `user.own_account` (disabling yourself),
   * 409 `user.last_global_admin`, 403 `user.role_not_grantable`.
   */
  async setDisabled(
    tenantId: string,
    actor: UserActor,
    userId: string,
    disabled: boolean,
  ): Promise<UserView> {
    const view = await this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      if (disabled && !user.disabled) {
        assertNotSelf(actor, user, 'You cannot disable your own account.');
        assertKeepsGlobalAdmin(
          user.roles,
          null,
          await this.otherGlobalAdmins(tx, tenant.id, user.id),
        );
      }
      assertMayManageUser(tenant.kind, await this.manager(tx, tenant, actor), user.roles);
      if (user.disabled !== disabled) {
        user.disabled = disabled;
        if (disabled) user.sessionsRevokedAt = new Date();
        await this.recordChange(tx, actor, user, {
          type: disabled ? 'user.disabled' : 'user.enabled',
          before: { disabled: !disabled },
          after: { disabled },
        });
        await tx.flush();
      }
      return toUserView(user);
    });
    if (view.disabled) await this.revocation.revokeUsers([view.id]);
    return view;
  }

  /**
   * Remove a user; its access tokens are revoked on every service.
   * @throws 404 `user.not_found`, 409 `user.last_global_admin`, 403 `user.role_not_grantable`.
   */
  async remove(tenantId: string, actor: UserActor, userId: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      if (!user.disabled) {
        assertKeepsGlobalAdmin(
          user.roles,
          null,
          await this.otherGlobalAdmins(tx, tenant.id, user.id),
        );
      }
      assertMayManageUser(tenant.kind, await this.manager(tx, tenant, actor), user.roles);
      await this.recordChange(tx, actor, user, {
        type: 'user.deleted',
        before: userAuditView(user),
      });
      tx.remove(user);
      await tx.flush();
    });
    await this.revocation.revokeUsers([userId]);
  }

  /**
   * Delete a customer's user as Partner Center does (delete-user-accounts-for-a-customer): a soft
   * deletion. The user's state becomes `inactive` with `softDeletedAt` (Partner Center's
   * `softDeletionTime`); it is disabled at once (sign-in refused), its sessions and access tokens
   * revoked; it keeps its sign-in address, and can be restored (`restore`) until the retention
   * has passed, when it is purged (`customer-user-retention.ts`). Nothing else may change it
   * meanwhile (404 `user.not_found`).
   * @throws 404 `user.not_found` (also an already deleted user), 409 `user.last_global_admin`,
   *   409 `user.own_account`, 403 `user.role_not_grantable`.
   */
  async softDelete(tenantId: string, actor: UserActor, userId: string): Promise<User> {
    const user = await this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      assertNotSelf(actor, user, 'You cannot delete your own account.');
      if (!user.disabled) {
        assertKeepsGlobalAdmin(
          user.roles,
          null,
          await this.otherGlobalAdmins(tx, tenant.id, user.id),
        );
      }
      assertMayManageUser(tenant.kind, await this.manager(tx, tenant, actor), user.roles);
      const before = userAuditView(user);
      const now = new Date();
      user.disabledBeforeDeletion = user.disabled;
      user.disabled = true;
      user.softDeletedAt = now;
      user.sessionsRevokedAt = now;
      await this.recordChange(tx, actor, user, {
        type: 'user.deleted',
        before,
        after: { state: 'inactive', softDeletionTime: now.toISOString(), sessionsRevoked: true },
      });
      await tx.flush();
      return user;
    });
    await this.revocation.revokeUsers([userId]);
    return user;
  }

  /**
   * Restore a soft-deleted user (Partner Center's "restore a user": PATCH `state: active`) while
   * its deletion is younger than `retentionDays`: state `active` again, enabled unless it was
   * disabled before the deletion or the grant it was created through has ended since (it stays
   * disabled, as the grant's other users). A user that is not deleted is answered as it is
   * (idempotent, nothing written).
   * @throws 404 `user.not_found` (unknown, another organisation's, or deleted longer ago than the
   *   retention: as purged), 403 `user.role_not_grantable`.
   */
  async restore(
    tenantId: string,
    actor: UserActor,
    userId: string,
    retentionDays: number,
  ): Promise<User> {
    return this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId, true);
      if (!user.softDeletedAt) return user;
      if (user.softDeletedAt.getTime() < Date.now() - retentionDays * 86_400_000) {
        throw new DomainError('user.not_found', 404, 'The user was not found.');
      }
      assertMayManageUser(tenant.kind, await this.manager(tx, tenant, actor), user.roles);
      const grantEnded =
        user.delegationGrantId !== null &&
        (await tx.count(EndedDelegation, { grantId: user.delegationGrantId })) > 0;
      const before = { state: 'inactive', softDeletionTime: user.softDeletedAt.toISOString() };
      user.disabled = user.disabledBeforeDeletion || grantEnded;
      user.disabledBeforeDeletion = false;
      user.softDeletedAt = null;
      await this.recordChange(tx, actor, user, {
        type: 'user.restored',
        before,
        after: { state: 'active', disabled: user.disabled },
      });
      await tx.flush();
      return user;
    });
  }

  /**
   * The manager behind `actor`: a delegated partner, or a user of `tenant` with the roles it holds
   * now. @throws 401 `auth.unauthenticated` when the signed-in user was disabled or removed since
   * its token was issued.
   */
  private async manager(tx: EntityManager, tenant: Tenant, actor: UserActor): Promise<RoleManager> {
    if (actor.kind === 'delegated') {
      return { kind: 'delegated', limitRoles: actor.delegation.limitRoles };
    }
    const caller = await tx.findOne(User, { id: actor.userId, tenantId: tenant.id });
    if (!caller || caller.disabled) {
      throw new DomainError(
        'auth.unauthenticated',
        401,
        'Your account is disabled or no longer exists: sign in again.',
      );
    }
    return { kind: 'member', roles: caller.roles };
  }

  /**
   * Lock the tenant row (serialises user changes of one organisation) and find the user in it. A
   * soft-deleted user is not found unless `deleted` (restoring it is the one change it takes).
   */
  private async lockUser(tx: EntityManager, tenantId: string, userId: string, deleted = false) {
    const tenant = await tx.findOne(
      Tenant,
      { id: tenantId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const user = tenant
      ? await tx.findOne(User, {
          id: userId,
          tenantId,
          ...(deleted ? {} : { softDeletedAt: null }),
        })
      : null;
    if (!tenant || !user) throw new DomainError('user.not_found', 404, 'The user was not found.');
    return { tenant, user };
  }

  /** Enabled Global admins of the tenant other than `userId` (read after the tenant lock). */
  private async otherGlobalAdmins(tx: EntityManager, tenantId: string, userId: string) {
    const [row] = await tx.execute<{ n: string }[]>(
      `select count(*) as n from "user_account"
        where "tenant_id" = ? and "id" <> ? and not "disabled" and "roles" @> '["GlobalAdmin"]'::jsonb`,
      [tenantId, userId],
    );
    return Number(row?.n ?? 0);
  }
}

/**
 * Inside `tx`, after the organisation's tenant row is locked: the grant behind `delegation` has not
 * ended (no `ended_delegation` row). The ending (`DelegatedUsersService.disableForEndedGrant`)
 * records the end first and then takes the same lock, so a user created under a grant either exists
 * when the grant's users are disabled, or is refused here.
 * @throws 404 `organization.not_found` (administrator access) or `customer.not_found` (delegated
 * admin privileges): the answer for an organisation the caller holds no grant for.
 */
async function assertDelegationLive(tx: EntityManager, delegation: Delegation): Promise<void> {
  if ((await tx.count(EndedDelegation, { grantId: delegation.grantId })) === 0) return;
  throw delegation.kind === 'admin_access'
    ? new DomainError('organization.not_found', 404, 'The organisation was not found.')
    : new DomainError('customer.not_found', 404, 'The customer was not found.');
}

/** @throws 409 `user.own_account` when a member acts on its own account. */
function assertNotSelf(actor: UserActor, user: User, description: string): void {
  if (actor.kind === 'member' && actor.userId === user.id) {
    throw new DomainError('user.own_account', 409, description);
  }
}
