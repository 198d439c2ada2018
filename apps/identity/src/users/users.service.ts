import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Locale, Role } from '@app/contracts';
import {
  Collection,
  conflict,
  decodeCursor,
  keysetAfter,
  newTemporaryPassword,
  notFound,
  toCollection,
} from '@app/common';
import { rethrowUniqueViolation } from '../database/unique-violation';
import { Tenant } from '../tenants/tenant.entity';
import { CreateUserInput, UserView, toUserView } from './dto/user.dto';
import { PasswordHasher } from './password-hasher.service';
import { assertKeepsGlobalAdmin, validateRoles } from './user-roles';
import { User } from './user.entity';

/** A new user's account data; the password is already checked or generated. */
export interface NewUser {
  firstName: string;
  lastName: string;
  email: string;
  roles: Role[];
  locale: Locale;
  password: string;
  passwordTemporary: boolean;
}

/**
 * User management of one organisation (seed 004 "Add a new user", "Assign user permissions"):
 * list, add with a temporary password shown once, change roles, remove. Every method takes the
 * tenant id; a user of another tenant is 404 `user.not_found`. An organisation always keeps a
 * Global admin (409 `user.last_global_admin`).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Users of the tenant, oldest first, keyset paginated. */
  async list(
    tenantId: string,
    page: { size: number; seek?: string },
    basePath: string,
  ): Promise<Collection<UserView>> {
    const rows = await this.em.find(
      User,
      { tenantId, ...keysetAfter(decodeCursor(page.seek), 'createdAt', 'asc', 'date') },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: page.size + 1 },
    );
    return toCollection(
      rows,
      page.size,
      toUserView,
      (u) => ({ k: u.createdAt.toISOString(), id: u.id }),
      (seek) => `${basePath}?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Add a user with a generated temporary password (returned once, never stored in clear).
   * @throws 404 `organization.not_found`, 400 `user.invalid_role`, 409 `user.email_taken`.
   */
  async create(
    tenantId: string,
    input: CreateUserInput,
  ): Promise<{ user: UserView; temporaryPassword: string }> {
    const temporaryPassword = newTemporaryPassword();
    const user = await this.em
      .transactional(async (tx) => {
        const tenant = await tx.findOne(Tenant, { id: tenantId });
        if (!tenant) throw notFound('organization.not_found', 'The organisation');
        return this.addUser(tx, tenant, {
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          roles: validateRoles(tenant.kind, input.roles),
          locale: input.locale ?? tenant.locale,
          password: temporaryPassword,
          passwordTemporary: true,
        });
      })
      .catch(rethrowUniqueViolation);
    return { user: toUserView(user), temporaryPassword };
  }

  /**
   * Persist a user of `tenant` inside the caller's transaction `tx`.
   * @throws 409 `user.email_taken`.
   */
  async addUser(tx: EntityManager, tenant: Tenant, input: NewUser): Promise<User> {
    if ((await tx.count(User, { email: input.email })) > 0) {
      throw conflict('user.email_taken', 'A user with this email address already exists.');
    }
    const user = tx.create(User, {
      tenantId: tenant.id,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      roles: input.roles,
      passwordHash: await this.hasher.hash(input.password),
      passwordTemporary: input.passwordTemporary,
      locale: input.locale,
      createdAt: new Date(),
      disabled: false,
    });
    tx.persist(user);
    await tx.flush();
    return user;
  }

  /**
   * Replace a user's roles.
   * @throws 404 `user.not_found`, 400 `user.invalid_role`, 409 `user.last_global_admin`.
   */
  async updateRoles(tenantId: string, userId: string, roles: string[]): Promise<UserView> {
    return this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      const next = validateRoles(tenant.kind, roles);
      assertKeepsGlobalAdmin(
        user.roles,
        next,
        await this.otherGlobalAdmins(tx, tenant.id, user.id),
      );
      user.roles = next;
      await tx.flush();
      return toUserView(user);
    });
  }

  /** Remove a user. @throws 404 `user.not_found`, 409 `user.last_global_admin`. */
  async remove(tenantId: string, userId: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const { tenant, user } = await this.lockUser(tx, tenantId, userId);
      assertKeepsGlobalAdmin(
        user.roles,
        null,
        await this.otherGlobalAdmins(tx, tenant.id, user.id),
      );
      tx.remove(user);
      await tx.flush();
    });
  }

  /** Lock the tenant row (serialises role changes of one organisation) and find the user in it. */
  private async lockUser(tx: EntityManager, tenantId: string, userId: string) {
    const tenant = await tx.findOne(
      Tenant,
      { id: tenantId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const user = tenant ? await tx.findOne(User, { id: userId, tenantId }) : null;
    if (!tenant || !user) throw notFound('user.not_found', 'The user');
    return { tenant, user };
  }

  private async otherGlobalAdmins(tx: EntityManager, tenantId: string, userId: string) {
    const [row] = await tx.execute<{ n: string }[]>(
      `select count(*) as n from "user_account"
        where "tenant_id" = ? and "id" <> ? and not "disabled" and "roles" @> '["GlobalAdmin"]'::jsonb`,
      [tenantId, userId],
    );
    return Number(row?.n ?? 0);
  }
}
