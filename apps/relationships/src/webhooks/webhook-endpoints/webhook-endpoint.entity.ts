import { ArrayType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** Why an endpoint is disabled: by its organisation (`manual`), or after days of failures. */
export type WebhookDisabledReason = 'manual' | 'failing';

/**
 * A webhook endpoint of one organisation (issue 14 "Signed events"): where (`url`), which audit
 * event types (`eventTypes`, or `['*']` for all), and the signing secret, sealed with the
 * deployment's key (never stored in the clear; shown once at creation and rotation). While a
 * rotated-out secret still signs (`previousSecretExpiresAt` in the future), deliveries carry both
 * signatures. `failingSince`: the first failure since the last success (null while healthy);
 * after `WEBHOOK_DISABLE_AFTER_HOURS` of it the endpoint is disabled (`disabledReason: 'failing'`)
 * and its organisation's Global admins are emailed (`disabledNotifiedAt`).
 */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ name: 'webhook_endpoint_tenant_idx', properties: ['tenantId', 'createdAt', 'id'] })
export class WebhookEndpoint {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  eventTypes!: string[];

  @Property({ type: 'text' })
  description: string = '';

  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Property({ type: 'text', nullable: true })
  disabledReason: WebhookDisabledReason | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  disabledNotifiedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  failingSince: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'text', hidden: true })
  secretSealed!: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  previousSecretSealed: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
