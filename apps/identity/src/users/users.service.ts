import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Locale, Role } from '@app/contracts';
import {
  Collection,
  cursorCollection,
  DomainError,
  newTemporaryPassword,
  timestampCursorAfter,
} from '@app/platform';
import { OutboxService } from '@app/outbox';
import { rethrowUniqueViolation } from '../organizations/unique-violation';
import { Tenant } from '../organizations/tenant.entity';
import { CreateUserInput, UserView, toUserView } from './dto/user.dto';
import { PasswordHasher } from './password-hasher.service';
import { RoleManager, assertMayGrant, assertMayManageUser } from './role-grants';
import { assertKeepsGlobalAdmin, validateRoles } from './user-roles';
import { USER_CONFLICTS } from './user-conflicts';
import { User } from './user.entity';
import { VerificationLinksService } from '../verification-links/verification-links.service';

/** At most one account-exists notice per address within this many seconds. */
export const ACCOUNT_NOTICE_INTERVAL_SECONDS = 3600;

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
 * of an indirect provider, delegated admin privileges for a customer).
 */
export type UserActor = { kind: 'member'; userId: string } | { kind: 'delegated' };

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
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxService,
    private readonly links: VerificationLinksService,
  ) {}

  /**
   * Users of the tenant with their roles and status, oldest first, keyset paginated on
   * (createdAt, id) by `em.findByCursor` (without its count query).
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    tenantId: string,
    page: { size: number; seek?: string },
    basePath: string,
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
      toUserView,
      (seek) => `${basePath}?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Add a user with a generated temporary password (returned once, never stored in clear).
   * @throws 404 `organization.not_found`, 400 `user.invalid_role`, 403 `user.role_not_grantable`,
   * 409 `user.email_taken`.
   */
  async create(
    tenantId: string,
    actor: UserActor,
    input: CreateUserInput,
  ): Promise<UserWithTemporaryPassword> {
    const temporaryPassword = newTemporaryPassword();
    const user = await this.em
      .transactional(async (tx) => {
        const tenant = await tx.findOne(Tenant, { id: tenantId });
        if (!tenant)
          throw new DomainError('organization.not_found', 404, 'The organisation was not found.');
        const roles = validateRoles(tenant.kind, input.roles);
        assertMayGrant(tenant.kind, await this.manager(tx, tenant, actor), roles);
        return this.addUser(tx, tenant, {
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          roles,
          locale: input.locale ?? tenant.locale,
          password: temporaryPassword,
          passwordTemporary: true,
        });
      })
      .catch(rethrowUniqueViolation(USER_CONFLICTS));
    return { user: toUserView(user), temporaryPassword };
  }

  /**
   * Persist a user of `tenant` inside the caller's transaction `tx`, unverified: it cannot sign in
   * before it proves its address (issue 9 point 7), by the link emailed here (the outbox, same
   * transaction) unless `input.verification` says the enrollment's link does it.
   * @throws 409 `user.email_taken`.
   */
  async addUser(tx: EntityManager, tenant: Tenant, input: NewUser): Promise<User> {
    if (await this.emailTaken(tx, input.email)) {
      throw new DomainError(
        'user.email_taken',
        409,
        'A user with this email address already exists.',
      );
    }
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
      emailVerifiedAt: null,
    });
    tx.persist(user);
    if ((input.verification ?? 'link') === 'link') {
      await this.links.issueForUser(tx, { user, tenant, purpose: 'sign_in_email' });
    }
    await tx.flush();
    return user;
  }

  /** True when a user (of any organisation) already signs in with `email` (lower case). */
  async emailTaken(em: EntityManager, email: string): Promise<boolean> {
    return (await em.count(User, { email })) > 0;
  }

  /**
   * Someone asked a public route (partner enrollment, customer sign-up) to create an account for
   * an address that already has one: the route answers as if it had worked (no way to tell whether
   * an email has an account) and the address's owner gets the `account-exists-notice` email in
   * their own locale, at most once an hour (`user_account.account_notice_sent_at`), inside `tx`.
   */
  async queueAccountExistsNotice(
    tx: EntityManager,
    email: string,
    attempt: 'partner-enrollment' | 'customer-signup',
  ): Promise<void> {
    const [row] = await tx.execute<{ email: string; locale: Locale }[]>(
      `update "user_account" set "account_notice_sent_at" = now()
        where "email" = ? and ("account_notice_sent_at" is null
          or "account_notice_sent_at" < now() - make_interval(secs => ?))
        returning "email", "locale"`,
      [email, ACCOUNT_NOTICE_INTERVAL_SECONDS],
    );
    if (!row) return;
    this.outbox.enqueueEmail(tx, {
      template: 'account-exists-notice',
      to: row.email,
      locale: row.locale,
      data: { attempt, attemptedAt: new Date().toISOString() },
    });
  }

  /**
   * Replace a user's roles.
   * @throws 404 `user.not_found`, 400 `user.invalid_role`, 409 `user.last_global_admin`,
   * 403 `user.role_not_grantable`.
   */
  async updateRoles(
    tenantId: string,
    actor: UserActor,
    userId: string,
    roles: string[],
  ): Promise<UserView> {
    return this.em.transactional(async (tx) => {
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
      user.roles = next;
      await tx.flush();
      return toUserView(user);
    });
  }

  /**
   * Reset a user's password: a new temporary password (returned once, to be changed at the next
   * sign-in); the user's sessions started before now are revoked. A disabled user stays disabled.
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
      user.passwordHash = await this.hasher.hash(temporaryPassword);
      user.passwordTemporary = true;
      user.sessionsRevokedAt = new Date();
      await tx.flush();
      return user;
    });
    return { user: toUserView(user), temporaryPassword };
  }

  /**
   * Disable (`true`) or enable (`false`) a user. A disabled user cannot sign in, its sessions
   * started before now are revoked, and it no longer counts as a Global admin. Idempotent.
   * @throws 404 `user.not_found`, 409 `user.own_account` (disabling yourself),
   * 409 `user.last_global_admin`, 403 `user.role_not_grantable`.
   */
  async setDisabled(
    tenantId: string,
    actor: UserActor,
    userId: string,
    disabled: boolean,
  ): Promise<UserView> {
    return this.em.transactional(async (tx) => {
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
        await tx.flush();
      }
      return toUserView(user);
    });
  }

  /**
   * Remove a user.
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
      tx.remove(user);
      await tx.flush();
    });
  }

  /**
   * The manager behind `actor`: a delegated partner, or a user of `tenant` with the roles it holds
   * now. @throws 401 `auth.unauthenticated` when the signed-in user was disabled or removed since
   * its token was issued.
   */
  private async manager(tx: EntityManager, tenant: Tenant, actor: UserActor): Promise<RoleManager> {
    if (actor.kind === 'delegated') return { kind: 'delegated' };
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

  /** Lock the tenant row (serialises user changes of one organisation) and find the user in it. */
  private async lockUser(tx: EntityManager, tenantId: string, userId: string) {
    const tenant = await tx.findOne(
      Tenant,
      { id: tenantId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const user = tenant ? await tx.findOne(User, { id: userId, tenantId }) : null;
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

/** @throws 409 `user.own_account` when a member acts on its own account. */
function assertNotSelf(actor: UserActor, user: User, description: string): void {
  if (actor.kind === 'member' && actor.userId === user.id) {
    throw new DomainError('user.own_account', 409, description);
  }
}
