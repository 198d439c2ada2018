import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PATTERNS, RpcRequest, RpcResponse } from '@app/contracts';
import { Collection, cursorCollection, DomainError, timestampCursorAfter } from '@app/platform';
import { IdentityAudit } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { User } from '../users/user.entity';
import { CreateSecurityGroupInput, SecurityGroupView } from './dto/security-group.dto';
import { SecurityGroup, SecurityGroupMember } from './security-group.entity';

const groupNotFound = () =>
  new DomainError('security_group.not_found', 404, 'The security group was not found.');

function toView(
  group: SecurityGroup,
  members: readonly User[] | null,
): SecurityGroupView | Omit<SecurityGroupView, 'members'> {
  const base = {
    id: group.id,
    displayName: group.displayName,
    description: group.description,
    securityEnabled: true as const,
    createdDateTime: group.createdAt.toISOString(),
  };
  return members === null
    ? base
    : {
        ...base,
        members: members.map((u) => ({
          id: u.id,
          email: u.email,
          displayName: `${u.firstName} ${u.lastName}`.trim(),
        })),
      };
}

/**
 * Partner security groups (issue 10 part 2): groups of a partner's own users, the access
 * containers of delegated admin relationships' access assignments (relationships asks
 * `identity.security-groups.get` before it assigns one). Only a partner organisation has them; every
 * read and change is scoped to the caller's organisation: another organisation's group answers 404
 * `security_group.not_found` exactly like one that exists nowhere, and a user of another
 * organisation is 404 `user.not_found` as a member. Changes of one group run one at a time (the
 * group row is locked) and each writes one activity-log entry in the partner's trail
 * (`security_group.*`).
 */
@Injectable()
export class SecurityGroupsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: IdentityAudit,
  ) {}

  /** @throws 403 `security_group.partner_only` when the caller's organisation is not a partner. */
  private async requirePartner(em: EntityManager, tenantId: string): Promise<void> {
    const partner = await em.count(Tenant, { id: tenantId, kind: 'partner' });
    if (partner === 0) {
      throw new DomainError(
        'security_group.partner_only',
        403,
        'Only partner organisations have security groups.',
      );
    }
  }

  private async members(em: EntityManager, groupId: string): Promise<User[]> {
    const rows = await em.find(SecurityGroupMember, { groupId }, { orderBy: { addedAt: 'asc' } });
    if (rows.length === 0) return [];
    const users = await em.find(User, { id: { $in: rows.map((r) => r.userId) } });
    const byId = new Map(users.map((u) => [u.id, u]));
    return rows.flatMap((r) => byId.get(r.userId) ?? []);
  }

  /** `POST /v1/security-groups` → the new group (no members). */
  async create(tenantId: string, input: CreateSecurityGroupInput): Promise<SecurityGroupView> {
    return this.em.fork().transactional(async (tx) => {
      await this.requirePartner(tx, tenantId);
      const group = Object.assign(new SecurityGroup(), {
        tenantId,
        displayName: input.displayName,
        description: input.description ?? null,
      });
      tx.persist(group);
      await this.audit.record(tx, {
        type: 'security_group.created',
        tenantIds: [tenantId],
        resource: { type: 'security_group', id: group.id },
        after: { displayName: group.displayName, description: group.description },
      });
      await tx.flush();
      return toView(group, []) as SecurityGroupView;
    });
  }

  /** `GET /v1/security-groups?size&seek`: the organisation's groups, oldest first (keyset). */
  async list(
    tenantId: string,
    page: { size: number; seek?: string },
  ): Promise<Collection<Omit<SecurityGroupView, 'members'>>> {
    const cursor = await this.em.fork().findByCursor(
      SecurityGroup,
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
      (g) => toView(g, null),
      (seek) => `/v1/security-groups?size=${page.size}&seek=${seek}`,
    );
  }

  /** `GET /v1/security-groups/{id}` → the group with its members. 404 `security_group.not_found`. */
  async get(tenantId: string, id: string): Promise<SecurityGroupView> {
    const em = this.em.fork();
    const group = await em.findOne(SecurityGroup, { id, tenantId });
    if (!group) throw groupNotFound();
    return toView(group, await this.members(em, group.id)) as SecurityGroupView;
  }

  /**
   * `DELETE /v1/security-groups/{id}`: the group and its memberships go; an access assignment that
   * names it grants nothing from then on (its members are gone). 404 `security_group.not_found`.
   */
  async remove(tenantId: string, id: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const group = await this.lockGroup(tx, tenantId, id);
      const members = await tx.count(SecurityGroupMember, { groupId: id });
      await this.audit.record(tx, {
        type: 'security_group.deleted',
        tenantIds: [tenantId],
        resource: { type: 'security_group', id },
        before: { displayName: group.displayName, members },
      });
      await tx.nativeDelete(SecurityGroupMember, { groupId: id });
      tx.remove(group);
      await tx.flush();
    });
  }

  private async lockGroup(tx: EntityManager, tenantId: string, id: string) {
    const group = await tx.findOne(
      SecurityGroup,
      { id, tenantId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!group) throw groupNotFound();
    return group;
  }

  /**
   * `POST /v1/security-groups/{id}/members` `{ userId }`: a user of the same organisation joins.
   * Idempotent (a member already in changes and records nothing). 404 `security_group.not_found`,
   * 404 `user.not_found` (no such user in the caller's organisation).
   */
  async addMember(tenantId: string, id: string, userId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      await this.lockGroup(tx, tenantId, id);
      const user = await tx.findOne(User, { id: userId, tenantId });
      if (!user) throw new DomainError('user.not_found', 404, 'The user was not found.');
      if ((await tx.count(SecurityGroupMember, { groupId: id, userId })) > 0) return;
      tx.persist(Object.assign(new SecurityGroupMember(), { groupId: id, userId, tenantId }));
      await this.audit.record(tx, {
        type: 'security_group.member_added',
        tenantIds: [tenantId],
        resource: { type: 'security_group', id },
        after: { userId, email: user.email },
      });
      await tx.flush();
    });
  }

  /**
   * `DELETE /v1/security-groups/{id}/members/{userId}`: the user leaves the group; its delegated
   * calls through the group's access assignments are refused from the next call on (nothing is
   * cached). 404 `security_group.not_found`, 404 `security_group.member_not_found`.
   */
  async removeMember(tenantId: string, id: string, userId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      await this.lockGroup(tx, tenantId, id);
      const removed = await tx.nativeDelete(SecurityGroupMember, { groupId: id, userId, tenantId });
      if (removed === 0) {
        throw new DomainError(
          'security_group.member_not_found',
          404,
          'The user is not a member of this security group.',
        );
      }
      await this.audit.record(tx, {
        type: 'security_group.member_removed',
        tenantIds: [tenantId],
        resource: { type: 'security_group', id },
        before: { userId },
      });
      await tx.flush();
    });
  }

  /**
   * `identity.security-groups.get` (relationships, before it assigns a group): whether `groupId`
   * is a security group of `tenantId`. Read-only; another organisation's group is `exists: false`.
   */
  async lookup(
    req: RpcRequest<typeof PATTERNS.securityGroupGet>,
  ): Promise<RpcResponse<typeof PATTERNS.securityGroupGet>> {
    const group = await this.em
      .fork()
      .findOne(SecurityGroup, { id: req.groupId, tenantId: req.tenantId });
    return group ? { exists: true, displayName: group.displayName } : { exists: false };
  }

  /**
   * The ids of the groups an enabled user of `tenantId` belongs to (the delegated access check,
   * read on every delegated call). A disabled or unknown user is in none.
   */
  async groupsOf(em: EntityManager, tenantId: string, userId: string): Promise<string[]> {
    const rows = await em.execute<{ group_id: string }[]>(
      `select m."group_id" from "security_group_member" m
         join "user_account" u on u."id" = m."user_id" and u."tenant_id" = m."tenant_id"
        where m."user_id" = ? and m."tenant_id" = ? and not u."disabled"`,
      [userId, tenantId],
    );
    return rows.map((r) => r.group_id);
  }
}
