import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_TABLE_SQL } from '@app/outbox';

/**
 * The identity schema: tenants, users, enrollments and their verification tokens, signing keys,
 * processed request ids, provider administrator access grants, outbox. Foreign keys are deferred to
 * commit so that one unit of work may insert a tenant and its users in any order.
 */
export class Migration20261123000001 extends Migration {
  override up(): void {
    this.addSql(`create table "tenant" (
      "id" uuid not null primary key,
      "kind" text not null check ("kind" in ('partner', 'customer', 'platform')),
      "name" text not null,
      "country" text not null check ("country" ~ '^[A-Z]{2}$'),
      "cloud" text not null check ("cloud" in ('public', 'us-gov', 'germany')),
      "locale" text not null,
      "version" integer not null default 1,
      "created_at" timestamptz not null default now(),
      "address" jsonb null,
      "partner_type" text null check ("partner_type" in ('direct', 'indirect_provider', 'indirect_reseller')),
      "mpn_id" text null,
      "partner_status" text null check ("partner_status" in ('pending_verification', 'in_review', 'active', 'rejected')),
      "primary_contact" jsonb null,
      "support_contact" jsonb null,
      "domain" text null,
      "customer_agreement_accepted_at" timestamptz null,
      "customer_agreement_accepted_by" uuid null,
      "created_by_tenant_id" uuid null,
      check ("kind" <> 'partner' or ("partner_type" is not null and "mpn_id" is not null and "partner_status" is not null)),
      check ("kind" <> 'customer' or "domain" is not null)
    );`);
    this.addSql(
      `create unique index "tenant_mpn_id_unique" on "tenant" ("mpn_id") where "mpn_id" is not null;`,
    );
    this.addSql(
      `create unique index "tenant_domain_unique" on "tenant" ("domain") where "domain" is not null;`,
    );
    this.addSql(
      `create unique index "tenant_platform_unique" on "tenant" ("kind") where "kind" = 'platform';`,
    );
    this.addSql(
      `create index "tenant_directory_idx" on "tenant" ("name", "id") where "partner_type" = 'indirect_provider' and "partner_status" = 'active';`,
    );

    this.addSql(`create table "user_account" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenant" ("id") on delete cascade deferrable initially deferred,
      "email" text not null check ("email" = lower("email")),
      "first_name" text not null,
      "last_name" text not null,
      "roles" jsonb not null,
      "password_hash" text not null,
      "password_temporary" boolean not null default false,
      "locale" text not null,
      "created_at" timestamptz not null default now(),
      "disabled" boolean not null default false
    );`);
    this.addSql(`create unique index "user_account_email_unique" on "user_account" ("email");`);
    this.addSql(
      `create index "user_account_tenant_idx" on "user_account" ("tenant_id", "created_at", "id");`,
    );

    this.addSql(`create table "enrollment" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null unique references "tenant" ("id") on delete cascade deferrable initially deferred,
      "submitted_at" timestamptz not null default now(),
      "verified_at" timestamptz null,
      "reviewed_at" timestamptz null,
      "reviewed_by" uuid null,
      "rejection_reason" text null
    );`);
    this.addSql(`create index "enrollment_submitted_idx" on "enrollment" ("submitted_at", "id");`);

    this.addSql(`create table "enrollment_verification_token" (
      "id" uuid not null primary key,
      "enrollment_id" uuid not null references "enrollment" ("id") on delete cascade deferrable initially deferred,
      "token_hash" text not null unique,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null,
      "created_at" timestamptz not null default now()
    );`);

    this.addSql(`create table "signing_key" (
      "kid" text not null primary key,
      "alg" text not null,
      "public_jwk" jsonb not null,
      "private_jwk" jsonb not null,
      "active" boolean not null default true,
      "created_at" timestamptz not null default now()
    );`);

    this.addSql(`create table "processed_request" (
      "request_id" uuid not null primary key,
      "pattern" text not null,
      "response" jsonb null,
      "created_at" timestamptz not null default now()
    );`);

    this.addSql(`create table "admin_access_grant" (
      "id" uuid not null primary key,
      "provider_tenant_id" uuid not null references "tenant" ("id") on delete cascade deferrable initially deferred,
      "reseller_tenant_id" uuid not null references "tenant" ("id") on delete cascade deferrable initially deferred,
      "partnership_id" uuid not null,
      "status" text not null check ("status" in ('active', 'withdrawn')),
      "granted_at" timestamptz not null,
      "granted_by" uuid not null,
      "withdrawn_at" timestamptz null,
      "withdrawn_by" uuid null,
      unique ("provider_tenant_id", "reseller_tenant_id")
    );`);
    this.addSql(
      `create index "admin_access_grant_reseller_idx" on "admin_access_grant" ("reseller_tenant_id", "granted_at", "id");`,
    );

    for (const sql of OUTBOX_TABLE_SQL) this.addSql(sql);
  }

  override down(): void {
    for (const table of [
      'outbox_message',
      'admin_access_grant',
      'processed_request',
      'signing_key',
      'enrollment_verification_token',
      'enrollment',
      'user_account',
      'tenant',
    ]) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }
}
