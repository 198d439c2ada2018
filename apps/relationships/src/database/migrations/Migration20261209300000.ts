import { Migration } from '@mikro-orm/migrations';

/**
 * The partnership requests an organisation received (`GET /v1/partnership-requests/received`):
 * pending ones are found by the addresses the organisation holds (`invitation_email_kind_idx`),
 * accepted ones by the accepting organisation (`invitation_accepted_by_idx`, partial: most
 * invitations are not accepted yet), each in (created_at, id) order for the keyset page.
 */
export class Migration20261209300000 extends Migration {
  override up(): void {
    this.addSql(
      `create index "invitation_email_kind_idx" on "invitation" ("email", "kind", "created_at", "id");`,
    );
    this.addSql(
      `create index "invitation_accepted_by_idx" on "invitation" ("accepted_by_tenant_id", "kind", "created_at", "id") where "accepted_by_tenant_id" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "invitation_accepted_by_idx";`);
    this.addSql(`drop index if exists "invitation_email_kind_idx";`);
  }
}
