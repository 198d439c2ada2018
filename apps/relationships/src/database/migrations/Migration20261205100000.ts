import { Migration } from '@mikro-orm/migrations';

/**
 * `reseller_relationship.delegated_admin_grant_id`: the current grant of a partner's delegated
 * admin privileges (issue 9 point 3), named in `relationships.delegated-admin.status` answers and
 * `delegated-admin.ended` events. Active privileges get one now.
 */
export class Migration20261205100000 extends Migration {
  override up(): void {
    this.addSql(
      `alter table "reseller_relationship" add column "delegated_admin_grant_id" uuid null;`,
    );
    this.addSql(
      `update "reseller_relationship" set "delegated_admin_grant_id" = gen_random_uuid() where "delegated_admin_status" = 'active';`,
    );
  }

  override down(): void {
    this.addSql(`alter table "reseller_relationship" drop column "delegated_admin_grant_id";`);
  }
}
