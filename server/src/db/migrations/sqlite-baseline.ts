import type { QueryRunner } from 'typeorm';

/**
 * The embedded SQLite database as the releases before SQLite ran migrations left it: they
 * synchronised it from the entities of the schema that Initial, KeyRestoredBy, EventsAndWebhooks
 * and AuthorizationCore build on MySQL/MariaDB. SQLite's history starts here, so those four
 * migrations are this one baseline on SQLite (Initial creates it; the other three add nothing
 * there). The statements are what TypeORM wrote to sqlite_master for those entities, so the
 * migrated schema matches the entities exactly. Later migrations are written for both dialects.
 */
const TABLES = [
  `CREATE TABLE "company" ("id" varchar(32) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "org_number" varchar(9), "kind" varchar(20) NOT NULL, "integrations_activated_at" datetime(3), "integrations_activated_by_id" varchar(32), "integrations_terms_version" varchar(20), "next_invoice_number" integer NOT NULL DEFAULT (1), "created_at" datetime(3) NOT NULL)`,
  `CREATE TABLE "application" ("id" varchar(32) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "vendor" varchar(100), "description" varchar(500), "supports_accountant_keys" boolean NOT NULL DEFAULT (0))`,
  `CREATE TABLE "audit_event" ("id" varchar(32) PRIMARY KEY NOT NULL, "at" datetime(3) NOT NULL, "company_id" varchar(32) NOT NULL, "actor_employee_id" varchar(32), "actor_user_key_id" varchar(32), "action" varchar(60) NOT NULL, "target_type" varchar(40), "target_id" varchar(32), "details" text)`,
  `CREATE TABLE "audit_event_client" ("audit_event_id" varchar(32) NOT NULL, "client_id" varchar(32) NOT NULL, PRIMARY KEY ("audit_event_id", "client_id"))`,
  `CREATE TABLE "customer" ("id" varchar(32) PRIMARY KEY NOT NULL, "company_id" varchar(32) NOT NULL, "name" varchar(200) NOT NULL, "org_number" varchar(9), "email" varchar(254), "created_at" datetime(3) NOT NULL)`,
  `CREATE TABLE "invoice" ("id" varchar(32) PRIMARY KEY NOT NULL, "company_id" varchar(32) NOT NULL, "number" varchar(20) NOT NULL, "customer_id" varchar(32) NOT NULL, "amount" decimal(14,2) NOT NULL, "created_at" datetime(3) NOT NULL)`,
  `CREATE TABLE "timesheet_entry" ("id" varchar(32) PRIMARY KEY NOT NULL, "company_id" varchar(32) NOT NULL, "employee_id" varchar(32) NOT NULL, "date" varchar(10) NOT NULL, "hours" decimal(5,2) NOT NULL, "description" varchar(500), "created_at" datetime(3) NOT NULL)`,
  `CREATE TABLE "access_event" ("id" varchar(32) PRIMARY KEY NOT NULL, "type" varchar(60) NOT NULL, "at" datetime(3) NOT NULL, "company_id" varchar(32) NOT NULL, "counterpart_company_id" varchar(32), "data" text NOT NULL, "seq" bigint, "dedupe_key" varchar(120))`,
  `CREATE TABLE "outbox_sequence" ("name" varchar(40) PRIMARY KEY NOT NULL, "last_seq" bigint NOT NULL DEFAULT (0))`,
  `CREATE TABLE "sweep_run" ("sweep" varchar(40) NOT NULL, "period_start" datetime(3) NOT NULL, "instance" varchar(100) NOT NULL, "started_at" datetime(3) NOT NULL, "finished_at" datetime(3), PRIMARY KEY ("sweep", "period_start"))`,
  `CREATE TABLE "access_template" ("id" varchar(32) PRIMARY KEY NOT NULL, "office_id" varchar(32) NOT NULL, "name" varchar(100) NOT NULL, "name_key" varchar(64), "permission_bits" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_6613e633fceb1084304c11ce29b" FOREIGN KEY ("office_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "employee" ("id" varchar(32) PRIMARY KEY NOT NULL, "company_id" varchar(32) NOT NULL, "name" varchar(200) NOT NULL, "email" varchar(254), "password_hash" varchar(200), "permission_bits" integer NOT NULL DEFAULT (0), "annual_salary" integer, "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_3f25598a5f106392263f58a2eb2" FOREIGN KEY ("company_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "user_key" ("id" varchar(32) PRIMARY KEY NOT NULL, "company_id" varchar(32) NOT NULL, "owner_id" varchar(32) NOT NULL, "application_id" varchar(32), "custom_application_name" varchar(100), "name" varchar(100) NOT NULL, "active_name_key" varchar(64), "kind" varchar(20) NOT NULL, "access_mode" varchar(20) NOT NULL, "permission_bits" integer NOT NULL DEFAULT (0), "secret_hash" varchar(64) NOT NULL, "secret_version" integer NOT NULL DEFAULT (1), "token_hint" varchar(20) NOT NULL, "created_by_employee_id" varchar(32), "created_by_user_key_id" varchar(32), "created_by_holder_id" varchar(32), "secret_holder_id" varchar(32), "secret_issued_by_user_key_id" varchar(32), "secret_issued_by_holder_id" varchar(32), "created_at" datetime(3) NOT NULL, "restored_at" datetime(3), "revoked_at" datetime(3), "expires_at" datetime(3), "last_used_at" datetime(3), CONSTRAINT "FK_7edb7bd5aa28f4d31beebdf8a31" FOREIGN KEY ("company_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_2e885a470716559d8c95bbab220" FOREIGN KEY ("owner_id") REFERENCES "employee" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_6b2a08a966106fe30d35c54d297" FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "client_link" ("id" varchar(32) PRIMARY KEY NOT NULL, "office_id" varchar(32) NOT NULL, "client_id" varchar(32) NOT NULL, "grantee_id" varchar(32) NOT NULL, "user_key_id" varchar(32), "employee_id" varchar(32), "template_id" varchar(32) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_2cc4d58e16b62529b37ecfa3ae6" FOREIGN KEY ("office_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_2abb64f45782d6dccf8d4a41708" FOREIGN KEY ("client_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_59ca5bc74a769bd9d7f4d4e65b1" FOREIGN KEY ("user_key_id") REFERENCES "user_key" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_e5788fcb30074baa6b752df7784" FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_72883ab66138fd3484f38df94a0" FOREIGN KEY ("template_id") REFERENCES "access_template" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "client_relation" ("id" varchar(32) PRIMARY KEY NOT NULL, "office_id" varchar(32) NOT NULL, "client_id" varchar(32) NOT NULL, "client_org_number" varchar(9), "client_name_key" varchar(64), "accountant_employee_id" varchar(32), "api_access" boolean NOT NULL DEFAULT (1), "api_access_changed_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_1cf4bf58227d2942bf6f2c6ca11" FOREIGN KEY ("office_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_0114e9b970c73440cf38d97fe17" FOREIGN KEY ("client_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_d86d7ec09682ed9c50ecb6a78f7" FOREIGN KEY ("accountant_employee_id") REFERENCES "employee" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
  `CREATE TABLE "session" ("id" varchar(32) PRIMARY KEY NOT NULL, "employee_id" varchar(32) NOT NULL, "token_hash" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL, CONSTRAINT "FK_06c3dda7cbe3a846ca721b36a01" FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "webhook_endpoint" ("id" varchar(32) PRIMARY KEY NOT NULL, "company_id" varchar(32) NOT NULL, "url" varchar(2000) NOT NULL, "secret_sealed" text NOT NULL, "previous_secret_sealed" text, "previous_secret_expires_at" datetime(3), "secret_hint" varchar(20) NOT NULL, "disabled_at" datetime(3), "disabled_reason" varchar(500), "failing_since" datetime(3), "next_attempt_at" datetime(3), "lease_owner" varchar(100), "lease_until" datetime(3), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_4a79282f52579d78a0967cfee3f" FOREIGN KEY ("company_id") REFERENCES "company" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "webhook_delivery" ("id" varchar(32) PRIMARY KEY NOT NULL, "endpoint_id" varchar(32) NOT NULL, "event_id" varchar(32) NOT NULL, "position" bigint NOT NULL, "status" varchar(12) NOT NULL, "attempt_count" integer NOT NULL DEFAULT (0), "retry_count" integer NOT NULL DEFAULT (0), "first_attempt_at" datetime(3), "last_attempt_at" datetime(3), "last_status_code" integer, "delivered_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_f53f5aec02217a54927b13e39d9" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_b723a573cd78b4cff3404153ad1" FOREIGN KEY ("event_id") REFERENCES "access_event" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "webhook_attempt" ("id" varchar(32) PRIMARY KEY NOT NULL, "delivery_id" varchar(32) NOT NULL, "at" datetime(3) NOT NULL, "status_code" integer, "duration_ms" integer NOT NULL, "error" varchar(500), CONSTRAINT "FK_d7ed48c4841159bfd6bdee166ea" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
  `CREATE TABLE "webhook_subscription" ("endpoint_id" varchar(32) NOT NULL, "event_type" varchar(60) NOT NULL, CONSTRAINT "FK_c7f8b0aa9965abcc7da54115065" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("endpoint_id", "event_type"))`,
];

const INDEXES = [
  `CREATE UNIQUE INDEX "IDX_608bb41e7e1ef5f6d7abb07e39" ON "application" ("name") `,
  `CREATE INDEX "idx_audit_event_company_id_id" ON "audit_event" ("company_id", "id") `,
  `CREATE INDEX "idx_customer_company_id_id" ON "customer" ("company_id", "id") `,
  `CREATE UNIQUE INDEX "uq_invoice_company_id_number" ON "invoice" ("company_id", "number") `,
  `CREATE INDEX "idx_invoice_company_id_id" ON "invoice" ("company_id", "id") `,
  `CREATE INDEX "idx_timesheet_entry_company_id_employee_id_id" ON "timesheet_entry" ("company_id", "employee_id", "id") `,
  `CREATE INDEX "idx_timesheet_entry_company_id_id" ON "timesheet_entry" ("company_id", "id") `,
  `CREATE UNIQUE INDEX "uq_access_event_dedupe_key" ON "access_event" ("dedupe_key") `,
  `CREATE INDEX "idx_access_event_seq_id" ON "access_event" ("seq", "id") `,
  `CREATE INDEX "idx_access_event_counterpart_company_id_seq" ON "access_event" ("counterpart_company_id", "seq") `,
  `CREATE INDEX "idx_access_event_company_id_seq" ON "access_event" ("company_id", "seq") `,
  `CREATE UNIQUE INDEX "uq_access_template_office_id_name_key" ON "access_template" ("office_id", "name_key") `,
  `CREATE UNIQUE INDEX "IDX_817d1d427138772d47eca04885" ON "employee" ("email") `,
  `CREATE INDEX "idx_employee_company_id_id" ON "employee" ("company_id", "id") `,
  `CREATE UNIQUE INDEX "IDX_f8f6c65e2502710f6bbbbdf53f" ON "user_key" ("secret_hash") `,
  `CREATE INDEX "idx_user_key_secret_issued_by_holder_id" ON "user_key" ("secret_issued_by_holder_id") `,
  `CREATE INDEX "idx_user_key_created_by_holder_id" ON "user_key" ("created_by_holder_id") `,
  `CREATE INDEX "idx_user_key_secret_issued_by_user_key_id" ON "user_key" ("secret_issued_by_user_key_id") `,
  `CREATE INDEX "idx_user_key_created_by_user_key_id" ON "user_key" ("created_by_user_key_id") `,
  `CREATE UNIQUE INDEX "uq_user_key_owner_id_active_name_key" ON "user_key" ("owner_id", "active_name_key") `,
  `CREATE INDEX "idx_user_key_owner_id_id" ON "user_key" ("owner_id", "id") `,
  `CREATE INDEX "idx_user_key_company_id_id" ON "user_key" ("company_id", "id") `,
  `CREATE INDEX "idx_client_link_template_id" ON "client_link" ("template_id") `,
  `CREATE INDEX "idx_client_link_client_id_grantee_id" ON "client_link" ("client_id", "grantee_id") `,
  `CREATE UNIQUE INDEX "uq_client_link_grantee_id_client_id" ON "client_link" ("grantee_id", "client_id") `,
  `CREATE UNIQUE INDEX "uq_client_relation_office_id_client_name_key" ON "client_relation" ("office_id", "client_name_key") `,
  `CREATE UNIQUE INDEX "uq_client_relation_office_id_client_org_number" ON "client_relation" ("office_id", "client_org_number") `,
  `CREATE INDEX "idx_client_relation_client_id" ON "client_relation" ("client_id") `,
  `CREATE UNIQUE INDEX "uq_client_relation_office_id_client_id" ON "client_relation" ("office_id", "client_id") `,
  `CREATE UNIQUE INDEX "IDX_a83507eb0338ac037780e02f2b" ON "session" ("token_hash") `,
  `CREATE INDEX "idx_session_employee_id" ON "session" ("employee_id") `,
  `CREATE INDEX "idx_webhook_endpoint_company_id_id" ON "webhook_endpoint" ("company_id", "id") `,
  `CREATE INDEX "idx_webhook_delivery_event_id" ON "webhook_delivery" ("event_id") `,
  `CREATE INDEX "idx_webhook_delivery_endpoint_id_id" ON "webhook_delivery" ("endpoint_id", "id") `,
  `CREATE INDEX "idx_webhook_delivery_status_endpoint_id" ON "webhook_delivery" ("status", "endpoint_id") `,
  `CREATE INDEX "idx_webhook_delivery_endpoint_id_status_position" ON "webhook_delivery" ("endpoint_id", "status", "position") `,
  `CREATE INDEX "idx_webhook_attempt_delivery_id_id" ON "webhook_attempt" ("delivery_id", "id") `,
];

/** Tables in creation order (parents before the tables that refer to them). */
const TABLE_NAMES = [
  'company',
  'application',
  'audit_event',
  'audit_event_client',
  'customer',
  'invoice',
  'timesheet_entry',
  'access_event',
  'outbox_sequence',
  'sweep_run',
  'access_template',
  'employee',
  'user_key',
  'client_link',
  'client_relation',
  'session',
  'webhook_endpoint',
  'webhook_delivery',
  'webhook_attempt',
  'webhook_subscription',
];

/** Creates the baseline schema, unless an earlier release already synchronised it into this file. */
export async function createSqliteBaseline(queryRunner: QueryRunner): Promise<void> {
  if (await queryRunner.hasTable('company')) return;
  for (const sql of [...TABLES, ...INDEXES]) await queryRunner.query(sql);
}

/** Drops every table of the baseline (children first). */
export async function dropSqliteBaseline(queryRunner: QueryRunner): Promise<void> {
  for (const name of [...TABLE_NAMES].reverse()) await queryRunner.query(`DROP TABLE "${name}"`);
}
