import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { IdentityAudit, SYSTEM_ACTOR } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { PasswordHasher } from '../users/password-hasher.service';
import { userAuditView } from '../users/user-audit';
import { User } from '../users/user.entity';

const OPERATOR_BOOTSTRAP_LOCK = 'identity.operator.bootstrap';

/**
 * At start-up, create the `platform` tenant and the Operator user (`OPERATOR_EMAIL`,
 * `OPERATOR_PASSWORD`) who reviews enrollments, once: when the operator exists already, nothing of
 * it changes (a password changed through `POST /v1/auth/password` stays, a disabled operator stays
 * disabled, its roles stay); `OPERATOR_PASSWORD` is only the first password. Serialised across
 * instances by an advisory lock. The operator is looked up within the platform tenant (sign-in
 * names are per organisation, issue 9 point 9): the same address in another organisation is
 * another account and changes nothing here. The platform tenant comes from `IdentityAudit`
 * (created on first use, by whichever start-up step needs it first); creating the operator is
 * recorded (`user.created`, actor `system`) in the platform's trail.
 */
@Injectable()
export class OperatorBootstrap implements OnModuleInit {
  private readonly logger = new Logger(OperatorBootstrap.name);

  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly audit: IdentityAudit,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const platformTenantId = await this.audit.platformTenant();
    await this.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [OPERATOR_BOOTSTRAP_LOCK]);
      const platform = await tx.findOneOrFail(Tenant, { id: platformTenantId, kind: 'platform' });
      const email = this.config.OPERATOR_EMAIL;
      const password = this.config.OPERATOR_PASSWORD;
      // Sign-in names are per organisation: the operator is the platform tenant's user of that
      // address; a user of the same address in another organisation is another account.
      const user = await tx.findOne(User, { tenantId: platform.id, email });
      if (!user) {
        const operator = tx.create(User, {
          tenantId: platform.id,
          email,
          firstName: 'Platform',
          lastName: 'Operator',
          roles: ['Operator'],
          passwordHash: await this.hasher.hash(password),
          passwordTemporary: false,
          locale: 'en',
          createdAt: new Date(),
          disabled: false,
          // The deployment configured this address: it needs no emailed proof (issue 9 point 7).
          emailVerifiedAt: new Date(),
        });
        tx.persist(operator);
        await this.audit.record(tx, {
          type: 'user.created',
          actor: SYSTEM_ACTOR,
          tenantIds: [platform.id],
          resource: { type: 'user', id: operator.id },
          after: userAuditView(operator),
        });
        this.logger.log(`created the operator ${email}`);
        return;
      }
      // Created before: its password, state and roles are the operator's own now.
      this.logger.log(
        `the operator ${email} exists${user.disabled ? ' (disabled)' : ''}: left as it is`,
      );
    });
  }
}
