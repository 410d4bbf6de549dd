import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key lifecycle: a key's secrets in a table of their own, keyed by hash, so the previous one can be
 * kept through a rotation's overlap (R28); the company key policy (R29); the network allowlist and
 * the networks a key was used from (R30).
 */
export class KeyLifecycle1796100000000 implements MigrationInterface {
  name = 'KeyLifecycle1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return upOnSqlite(queryRunner);
    await queryRunner.query(
      `CREATE TABLE \`key_network_use\` (\`user_key_id\` varchar(32) NOT NULL, \`network\` varchar(50) NOT NULL, \`day\` varchar(10) NOT NULL, \`requests\` int NOT NULL DEFAULT '0', \`last_seen_at\` datetime(3) NOT NULL, PRIMARY KEY (\`user_key_id\`, \`network\`, \`day\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`company\` ADD \`key_policy_require_expiry\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`company\` ADD \`key_policy_max_lifetime_days\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`company\` ADD \`key_policy_expire_unused_after_days\` int NULL`);
    // R8 + R28: the secrets that open a key, by hash; today's keys bring their current secret
    await queryRunner.query(
      `CREATE TABLE \`user_key_secret\` (\`secret_hash\` varchar(64) NOT NULL, \`user_key_id\` varchar(32) NOT NULL, \`expires_at\` datetime(3) NULL, INDEX \`idx_user_key_secret_user_key_id\` (\`user_key_id\`), PRIMARY KEY (\`secret_hash\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `INSERT INTO \`user_key_secret\` (\`secret_hash\`, \`user_key_id\`, \`expires_at\`) SELECT \`secret_hash\`, \`id\`, NULL FROM \`user_key\``,
    );
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`previous_secret_expires_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`allowed_networks_text\` text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return downOnSqlite(queryRunner);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`allowed_networks_text\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`previous_secret_expires_at\``);
    await queryRunner.query(`DROP TABLE \`user_key_secret\``);
    await queryRunner.query(`ALTER TABLE \`company\` DROP COLUMN \`key_policy_expire_unused_after_days\``);
    await queryRunner.query(`ALTER TABLE \`company\` DROP COLUMN \`key_policy_max_lifetime_days\``);
    await queryRunner.query(`ALTER TABLE \`company\` DROP COLUMN \`key_policy_require_expiry\``);
    await queryRunner.query(`DROP TABLE \`key_network_use\``);
  }
}

/** The embedded database (when it runs migrations): the same schema in SQLite's dialect. */
function onSqlite(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.driver.options.type === 'better-sqlite3';
}

async function upOnSqlite(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `CREATE TABLE "key_network_use" ("user_key_id" varchar(32) NOT NULL, "network" varchar(50) NOT NULL, "day" varchar(10) NOT NULL, "requests" integer NOT NULL DEFAULT (0), "last_seen_at" datetime(3) NOT NULL, PRIMARY KEY ("user_key_id", "network", "day"))`,
  );
  await queryRunner.query(`ALTER TABLE "company" ADD COLUMN "key_policy_require_expiry" boolean NOT NULL DEFAULT (0)`);
  await queryRunner.query(`ALTER TABLE "company" ADD COLUMN "key_policy_max_lifetime_days" integer`);
  await queryRunner.query(`ALTER TABLE "company" ADD COLUMN "key_policy_expire_unused_after_days" integer`);
  await queryRunner.query(
    `CREATE TABLE "user_key_secret" ("secret_hash" varchar(64) PRIMARY KEY NOT NULL, "user_key_id" varchar(32) NOT NULL, "expires_at" datetime(3))`,
  );
  await queryRunner.query(`CREATE INDEX "idx_user_key_secret_user_key_id" ON "user_key_secret" ("user_key_id")`);
  await queryRunner.query(
    `INSERT INTO "user_key_secret" ("secret_hash", "user_key_id", "expires_at") SELECT "secret_hash", "id", NULL FROM "user_key"`,
  );
  await queryRunner.query(`ALTER TABLE "user_key" ADD COLUMN "previous_secret_expires_at" datetime(3)`);
  await queryRunner.query(`ALTER TABLE "user_key" ADD COLUMN "allowed_networks_text" text`);
}

async function downOnSqlite(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`ALTER TABLE "user_key" DROP COLUMN "allowed_networks_text"`);
  await queryRunner.query(`ALTER TABLE "user_key" DROP COLUMN "previous_secret_expires_at"`);
  await queryRunner.query(`DROP TABLE "user_key_secret"`);
  await queryRunner.query(`ALTER TABLE "company" DROP COLUMN "key_policy_expire_unused_after_days"`);
  await queryRunner.query(`ALTER TABLE "company" DROP COLUMN "key_policy_max_lifetime_days"`);
  await queryRunner.query(`ALTER TABLE "company" DROP COLUMN "key_policy_require_expiry"`);
  await queryRunner.query(`DROP TABLE "key_network_use"`);
}
