import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One link of an organisation's hash chain (`audit-chain.ts`): position `seq` (from 1, no gaps) of
 * `tenantId`'s chain holds entry `entryId`, the previous link's hash and its own. Written only by
 * the chainer (`ActivityLogChainer`), checked by `npm run audit:verify`.
 */
@Entity({ tableName: 'activity_log_chain' })
export class ActivityLogChainLink {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @PrimaryKey({ type: 'bigint' })
  seq!: string;

  @Property({ type: 'uuid' })
  entryId!: string;

  @Property({ type: 'text' })
  prevHash!: string;

  @Property({ type: 'text' })
  hash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  chainedAt: Date = new Date();
}
