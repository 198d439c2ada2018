import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 11, `GET /v1/compliance/csp/agreementstatus`: the Partner Agreement's acceptance recorded
 * on the enrollment (submitting it accepts the agreement). Enrollments submitted before are given
 * their submission time and the first version, which is what submitting meant.
 */
export class Migration20261207400001 extends Migration {
  override up(): void {
    this.addSql(
      `alter table "enrollment" add column "partner_agreement_accepted_at" timestamptz null, add column "partner_agreement_version" text null, add column "partner_agreement_accepted_by" uuid null;`,
    );
    this.addSql(
      `update "enrollment" set "partner_agreement_accepted_at" = "submitted_at", "partner_agreement_version" = '2026-12' where "partner_agreement_accepted_at" is null;`,
    );
  }

  override down(): void {
    this.addSql(
      `alter table "enrollment" drop column "partner_agreement_accepted_at", drop column "partner_agreement_version", drop column "partner_agreement_accepted_by";`,
    );
  }
}
