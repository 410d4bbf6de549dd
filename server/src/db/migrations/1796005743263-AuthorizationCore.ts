import type { MigrationInterface, QueryRunner } from 'typeorm';
import { onSqlite } from './dialect';
import { repairData } from './data-repairs';

/**
 * Authorization core: provenance of keys and their secrets (R25–R27), look-alike name keys, org
 * numbers unique per office, one audit event per bulk link, and R22's clean-up of templates.
 */
export class AuthorizationCore1796005743263 implements MigrationInterface {
  name = 'AuthorizationCore1796005743263';

  async up(queryRunner: QueryRunner): Promise<void> {
    // SQLite: the schema is in the baseline (sqlite-baseline.ts); the data repairs still apply
    if (onSqlite(queryRunner)) return repairData((sql, params) => queryRunner.query(sql, params));
    await queryRunner.query(`DROP INDEX \`IDX_348962080325561244ff386d7f\` ON \`company\``);
    await queryRunner.query(
      `CREATE TABLE \`audit_event_client\` (\`audit_event_id\` varchar(32) NOT NULL, \`client_id\` varchar(32) NOT NULL, PRIMARY KEY (\`audit_event_id\`, \`client_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`access_template\` ADD \`name_key\` varchar(64) NULL`);
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`active_name_key\` varchar(64) NULL`);
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`created_by_holder_id\` varchar(32) NULL`);
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`secret_holder_id\` varchar(32) NULL`);
    // R25: the key that obtained the current secret (was: restored_by_user_key_id), data kept
    await queryRunner.query(
      `ALTER TABLE \`user_key\` CHANGE \`restored_by_user_key_id\` \`secret_issued_by_user_key_id\` varchar(32) NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`secret_issued_by_holder_id\` varchar(32) NULL`);
    await queryRunner.query(`ALTER TABLE \`client_relation\` ADD \`client_org_number\` varchar(9) NULL`);
    await queryRunner.query(`ALTER TABLE \`client_relation\` ADD \`client_name_key\` varchar(64) NULL`);
    // R22 (templates lose administration permissions), holders and look-alike keys for existing rows
    await repairData((sql, params) => queryRunner.query(sql, params));
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_access_template_office_id_name_key\` ON \`access_template\` (\`office_id\`, \`name_key\`)`,
    );
    // only now: the office's foreign key needs an index starting with office_id at every moment
    await queryRunner.query(`DROP INDEX \`uq_access_template_office_id_name\` ON \`access_template\``);
    await queryRunner.query(
      `CREATE INDEX \`idx_user_key_secret_issued_by_holder_id\` ON \`user_key\` (\`secret_issued_by_holder_id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_user_key_created_by_holder_id\` ON \`user_key\` (\`created_by_holder_id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_user_key_secret_issued_by_user_key_id\` ON \`user_key\` (\`secret_issued_by_user_key_id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_user_key_created_by_user_key_id\` ON \`user_key\` (\`created_by_user_key_id\`)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_user_key_owner_id_active_name_key\` ON \`user_key\` (\`owner_id\`, \`active_name_key\`)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_client_relation_office_id_client_name_key\` ON \`client_relation\` (\`office_id\`, \`client_name_key\`)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_client_relation_office_id_client_org_number\` ON \`client_relation\` (\`office_id\`, \`client_org_number\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return;
    await queryRunner.query(`DROP INDEX \`uq_client_relation_office_id_client_org_number\` ON \`client_relation\``);
    await queryRunner.query(`DROP INDEX \`uq_client_relation_office_id_client_name_key\` ON \`client_relation\``);
    await queryRunner.query(`DROP INDEX \`uq_user_key_owner_id_active_name_key\` ON \`user_key\``);
    await queryRunner.query(`DROP INDEX \`idx_user_key_created_by_user_key_id\` ON \`user_key\``);
    await queryRunner.query(`DROP INDEX \`idx_user_key_secret_issued_by_user_key_id\` ON \`user_key\``);
    await queryRunner.query(`DROP INDEX \`idx_user_key_created_by_holder_id\` ON \`user_key\``);
    await queryRunner.query(`DROP INDEX \`idx_user_key_secret_issued_by_holder_id\` ON \`user_key\``);
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_access_template_office_id_name\` ON \`access_template\` (\`office_id\`, \`name\`)`,
    );
    await queryRunner.query(`DROP INDEX \`uq_access_template_office_id_name_key\` ON \`access_template\``);
    await queryRunner.query(`ALTER TABLE \`client_relation\` DROP COLUMN \`client_name_key\``);
    await queryRunner.query(`ALTER TABLE \`client_relation\` DROP COLUMN \`client_org_number\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`secret_issued_by_holder_id\``);
    await queryRunner.query(
      `ALTER TABLE \`user_key\` CHANGE \`secret_issued_by_user_key_id\` \`restored_by_user_key_id\` varchar(32) NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`secret_holder_id\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`created_by_holder_id\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`active_name_key\``);
    await queryRunner.query(`ALTER TABLE \`access_template\` DROP COLUMN \`name_key\``);
    await queryRunner.query(`DROP TABLE \`audit_event_client\``);
    await queryRunner.query(`CREATE UNIQUE INDEX \`IDX_348962080325561244ff386d7f\` ON \`company\` (\`org_number\`)`);
  }
}
