import { EntityManager } from '@mikro-orm/postgresql';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { IdentityAudit, SYSTEM_ACTOR } from '../audit-events/identity-audit.service';

/** An organisation a sweep deletes, as its audit event shows it. */
interface RemovedOrganization {
  id: string;
  kind: string;
  name: string;
  mpn_id: string | null;
  domain: string | null;
  created_at: Date;
  enrollment_id: string | null;
}

/** Organisations one sweep deletes at most (the next sweep takes the rest). */
const SWEEP_BATCH = 100;

/**
 * Unverified enrollments and customer sign-ups expire (issue 9 point 7): a partner enrollment or
 * a self-signed-up customer whose users never proved their address within
 * `UNVERIFIED_ACCOUNT_TTL_HOURS` (default 7 days) is deleted (tenant, users, enrollment, their
 * links) in one transaction, which releases its Partner ID (MPN ID), default domain and sign-in
 * names, so that their real owner can register. Each instance sweeps every
 * `UNVERIFIED_SWEEP_SECONDS` (the pattern of the refresh-token purge: idempotent, so
 * instances need no coordination; rows another instance holds are skipped).
 *
 * Only what is safe: a customer created by a partner (`created_by_tenant_id` set) is never swept,
 * since relationships holds its copy and its reseller relationship from the start. A customer that
 * signed up on its own has no relationship in relationships before one of its users accepts a
 * request, which needs a sign-in, which needs a verified address; likewise a partner cannot sign
 * in, accept a partnership or create anything before a user of it is verified. A user verified at
 * the moment of the sweep is kept (the delete re-checks under the row lock) and so is its tenant.
 */
@Injectable()
export class UnverifiedAccountsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UnverifiedAccountsSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: IdentityAudit,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.UNVERIFIED_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * One sweep; answers how many organisations it deleted (0 when it failed: logged, retried). Each
   * organisation deleted is recorded in its own trail (`unverified_account.removed`, actor
   * `system`) in the sweep's transaction.
   */
  async sweep(): Promise<number> {
    try {
      const deleted = await this.em.fork().transactional(async (tx) => {
        const expired = await tx.execute<{ id: string }[]>(
          `select t."id" from "tenant" t
            where t."created_at" < now() - make_interval(hours => ?)
              and ((t."kind" = 'partner' and exists (select 1 from "enrollment" e where e."tenant_id" = t."id"))
                or (t."kind" = 'customer' and t."created_by_tenant_id" is null))
              and not exists (select 1 from "user_account" u
                               where u."tenant_id" = t."id" and u."email_verified_at" is not null)
            order by t."created_at" limit ? for update of t skip locked`,
          [this.config.UNVERIFIED_ACCOUNT_TTL_HOURS, SWEEP_BATCH],
        );
        if (expired.length === 0) return 0;
        const ids = expired.map((row) => row.id);
        // Users still unverified (a verification that commits first keeps its user: the row is
        // re-checked after its lock is released).
        await tx.execute(
          `delete from "user_account" where "tenant_id" in (?) and "email_verified_at" is null`,
          [ids],
        );
        const gone = await tx.execute<{ id: string }[]>(
          `select t."id" from "tenant" t where t."id" in (?)
              and not exists (select 1 from "user_account" u where u."tenant_id" = t."id")`,
          [ids],
        );
        const goneIds = gone.map((row) => row.id);
        if (goneIds.length === 0) return 0;
        const removed = await tx.execute<RemovedOrganization[]>(
          `select t."id", t."kind", t."name", t."mpn_id", t."domain", t."created_at",
                  e."id" as "enrollment_id"
             from "tenant" t left join "enrollment" e on e."tenant_id" = t."id"
            where t."id" in (?)`,
          [goneIds],
        );
        for (const organization of removed) {
          await this.audit.record(tx, {
            type: 'unverified_account.removed',
            actor: SYSTEM_ACTOR,
            tenantIds: [organization.id],
            resource: { type: 'organization', id: organization.id },
            before: {
              kind: organization.kind,
              name: organization.name,
              mpnId: organization.mpn_id,
              domain: organization.domain,
              enrollmentId: organization.enrollment_id,
              createdAt: organization.created_at,
            },
            after: {
              reason: 'no_user_verified',
              ttlHours: this.config.UNVERIFIED_ACCOUNT_TTL_HOURS,
            },
          });
        }
        await tx.execute(
          `delete from "enrollment_verification_token" where "enrollment_id" in
             (select "id" from "enrollment" where "tenant_id" in (?))`,
          [goneIds],
        );
        await tx.execute(`delete from "enrollment" where "tenant_id" in (?)`, [goneIds]);
        await tx.execute(`delete from "tenant" where "id" in (?)`, [goneIds]);
        return goneIds.length;
      });
      if (deleted > 0) {
        this.logger.log(`deleted ${deleted} unverified enrollments or customer sign-ups`);
      }
      return deleted;
    } catch (error) {
      this.logger.warn(`sweeping unverified accounts failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
