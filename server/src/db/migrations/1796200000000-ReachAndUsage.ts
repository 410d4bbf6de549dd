import type { MigrationInterface, QueryRunner } from 'typeorm';
import { onSqlite } from './dialect';

export class ReachAndUsage1796200000000 implements MigrationInterface {
  name = 'ReachAndUsage1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) {
      await queryRunner.query(
        `CREATE TABLE "client_block" ("id" varchar(32) PRIMARY KEY NOT NULL, "client_id" varchar(32) NOT NULL, "office_id" varchar(32) NOT NULL, "subject_id" varchar(32) NOT NULL, "subject_kind" varchar(20) NOT NULL, "created_by_employee_id" varchar(32), "created_at" datetime(3) NOT NULL)`,
      );
      await queryRunner.query(
        `CREATE UNIQUE INDEX "uq_client_block_client_id_office_id_subject_id" ON "client_block" ("client_id", "office_id", "subject_id") `,
      );
      await queryRunner.query(
        `CREATE TABLE "key_usage_day" ("user_key_id" varchar(32) NOT NULL, "day" varchar(10) NOT NULL, "company_id" varchar(32) NOT NULL, "requests" integer NOT NULL DEFAULT (0), "errors" integer NOT NULL DEFAULT (0), "permission_bits" integer NOT NULL DEFAULT (0), PRIMARY KEY ("user_key_id", "day", "company_id"))`,
      );
      await queryRunner.query(
        `CREATE TABLE "sensitive_read" ("id" varchar(32) PRIMARY KEY NOT NULL, "at" datetime(3) NOT NULL, "user_key_id" varchar(32) NOT NULL, "key_company_id" varchar(32) NOT NULL, "company_id" varchar(32) NOT NULL, "field" varchar(120) NOT NULL)`,
      );
      await queryRunner.query(
        `CREATE INDEX "idx_sensitive_read_user_key_id_id" ON "sensitive_read" ("user_key_id", "id") `,
      );
      await queryRunner.query(
        `CREATE INDEX "idx_sensitive_read_key_company_id_id" ON "sensitive_read" ("key_company_id", "id") `,
      );
      await queryRunner.query(
        `CREATE INDEX "idx_sensitive_read_company_id_id" ON "sensitive_read" ("company_id", "id") `,
      );
      return;
    }
    await queryRunner.query(
      `CREATE TABLE \`client_block\` (\`id\` varchar(32) NOT NULL, \`client_id\` varchar(32) NOT NULL, \`office_id\` varchar(32) NOT NULL, \`subject_id\` varchar(32) NOT NULL, \`subject_kind\` varchar(20) NOT NULL, \`created_by_employee_id\` varchar(32) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_client_block_client_id_office_id_subject_id\` (\`client_id\`, \`office_id\`, \`subject_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`key_usage_day\` (\`user_key_id\` varchar(32) NOT NULL, \`day\` varchar(10) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`requests\` int NOT NULL DEFAULT '0', \`errors\` int NOT NULL DEFAULT '0', \`permission_bits\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`user_key_id\`, \`day\`, \`company_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`sensitive_read\` (\`id\` varchar(32) NOT NULL, \`at\` datetime(3) NOT NULL, \`user_key_id\` varchar(32) NOT NULL, \`key_company_id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`field\` varchar(120) NOT NULL, INDEX \`idx_sensitive_read_user_key_id_id\` (\`user_key_id\`, \`id\`), INDEX \`idx_sensitive_read_key_company_id_id\` (\`key_company_id\`, \`id\`), INDEX \`idx_sensitive_read_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) {
      await queryRunner.query(`DROP INDEX "idx_sensitive_read_company_id_id"`);
      await queryRunner.query(`DROP INDEX "idx_sensitive_read_key_company_id_id"`);
      await queryRunner.query(`DROP INDEX "idx_sensitive_read_user_key_id_id"`);
      await queryRunner.query(`DROP TABLE "sensitive_read"`);
      await queryRunner.query(`DROP TABLE "key_usage_day"`);
      await queryRunner.query(`DROP INDEX "uq_client_block_client_id_office_id_subject_id"`);
      await queryRunner.query(`DROP TABLE "client_block"`);
      return;
    }
    await queryRunner.query(`DROP INDEX \`idx_sensitive_read_company_id_id\` ON \`sensitive_read\``);
    await queryRunner.query(`DROP INDEX \`idx_sensitive_read_key_company_id_id\` ON \`sensitive_read\``);
    await queryRunner.query(`DROP INDEX \`idx_sensitive_read_user_key_id_id\` ON \`sensitive_read\``);
    await queryRunner.query(`DROP TABLE \`sensitive_read\``);
    await queryRunner.query(`DROP TABLE \`key_usage_day\``);
    await queryRunner.query(`DROP INDEX \`uq_client_block_client_id_office_id_subject_id\` ON \`client_block\``);
    await queryRunner.query(`DROP TABLE \`client_block\``);
  }
}
