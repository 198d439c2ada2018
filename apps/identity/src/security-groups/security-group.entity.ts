import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A security group of a partner's own users (issue 10 part 2; Graph `group` with
 * `securityEnabled`): the access container a delegated admin relationship's access assignment
 * names (`accessContainer.accessContainerId`). Only partner organisations have them; members are
 * users of the same organisation (`SecurityGroupMember`).
 */
@Entity({ tableName: 'security_group' })
@Index({ name: 'security_group_tenant_idx', properties: ['tenantId', 'createdAt', 'id'] })
export class SecurityGroup {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * A user's membership of a security group: a user of the group's organisation only (the service
 * adds only a user found in the caller's organisation, under the group's row lock; `tenantId` is
 * that organisation). Deleting the group or the user deletes it (foreign keys of the migration).
 */
@Entity({ tableName: 'security_group_member' })
@Index({ name: 'security_group_member_user_idx', properties: ['userId'] })
export class SecurityGroupMember {
  @PrimaryKey({ type: 'uuid' })
  groupId!: string;

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  addedAt: Date = new Date();
}
