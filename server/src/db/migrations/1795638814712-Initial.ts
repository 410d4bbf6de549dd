import type { MigrationInterface, QueryRunner } from 'typeorm';
import { onSqlite } from './dialect';
import { createSqliteBaseline, dropSqliteBaseline } from './sqlite-baseline';

export class Initial1795638814712 implements MigrationInterface {
  name = 'Initial1795638814712';

  async up(queryRunner: QueryRunner): Promise<void> {
    // SQLite: the whole schema of the releases that synchronised it (see sqlite-baseline.ts)
    if (onSqlite(queryRunner)) return createSqliteBaseline(queryRunner);
    await queryRunner.query(
      `CREATE TABLE \`company\` (\`id\` varchar(32) NOT NULL, \`name\` varchar(200) NOT NULL, \`org_number\` varchar(9) NULL, \`kind\` varchar(20) NOT NULL, \`integrations_activated_at\` datetime(3) NULL, \`integrations_activated_by_id\` varchar(32) NULL, \`integrations_terms_version\` varchar(20) NULL, \`next_invoice_number\` int NOT NULL DEFAULT '1', \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_348962080325561244ff386d7f\` (\`org_number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`access_template\` (\`id\` varchar(32) NOT NULL, \`office_id\` varchar(32) NOT NULL, \`name\` varchar(100) NOT NULL, \`permission_bits\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_access_template_office_id_name\` (\`office_id\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`application\` (\`id\` varchar(32) NOT NULL, \`name\` varchar(100) NOT NULL, \`vendor\` varchar(100) NULL, \`description\` varchar(500) NULL, \`supports_accountant_keys\` tinyint NOT NULL DEFAULT 0, UNIQUE INDEX \`IDX_608bb41e7e1ef5f6d7abb07e39\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_event\` (\`id\` varchar(32) NOT NULL, \`at\` datetime(3) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`actor_employee_id\` varchar(32) NULL, \`actor_user_key_id\` varchar(32) NULL, \`action\` varchar(60) NOT NULL, \`target_type\` varchar(40) NULL, \`target_id\` varchar(32) NULL, \`details\` text NULL, INDEX \`idx_audit_event_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`employee\` (\`id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`name\` varchar(200) NOT NULL, \`email\` varchar(254) NULL, \`password_hash\` varchar(200) NULL, \`permission_bits\` int NOT NULL DEFAULT '0', \`annual_salary\` int NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_817d1d427138772d47eca04885\` (\`email\`), INDEX \`idx_employee_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`user_key\` (\`id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`owner_id\` varchar(32) NOT NULL, \`application_id\` varchar(32) NULL, \`custom_application_name\` varchar(100) NULL, \`name\` varchar(100) NOT NULL, \`kind\` varchar(20) NOT NULL, \`access_mode\` varchar(20) NOT NULL, \`permission_bits\` int NOT NULL DEFAULT '0', \`secret_hash\` varchar(64) NOT NULL, \`secret_version\` int NOT NULL DEFAULT '1', \`token_hint\` varchar(20) NOT NULL, \`created_by_employee_id\` varchar(32) NULL, \`created_by_user_key_id\` varchar(32) NULL, \`created_at\` datetime(3) NOT NULL, \`restored_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, \`expires_at\` datetime(3) NULL, \`last_used_at\` datetime(3) NULL, UNIQUE INDEX \`IDX_f8f6c65e2502710f6bbbbdf53f\` (\`secret_hash\`), INDEX \`idx_user_key_owner_id_id\` (\`owner_id\`, \`id\`), INDEX \`idx_user_key_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`client_link\` (\`id\` varchar(32) NOT NULL, \`office_id\` varchar(32) NOT NULL, \`client_id\` varchar(32) NOT NULL, \`grantee_id\` varchar(32) NOT NULL, \`user_key_id\` varchar(32) NULL, \`employee_id\` varchar(32) NULL, \`template_id\` varchar(32) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`idx_client_link_template_id\` (\`template_id\`), INDEX \`idx_client_link_client_id_grantee_id\` (\`client_id\`, \`grantee_id\`), UNIQUE INDEX \`uq_client_link_grantee_id_client_id\` (\`grantee_id\`, \`client_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`client_relation\` (\`id\` varchar(32) NOT NULL, \`office_id\` varchar(32) NOT NULL, \`client_id\` varchar(32) NOT NULL, \`accountant_employee_id\` varchar(32) NULL, \`api_access\` tinyint NOT NULL DEFAULT 1, \`api_access_changed_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_client_relation_client_id\` (\`client_id\`), UNIQUE INDEX \`uq_client_relation_office_id_client_id\` (\`office_id\`, \`client_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`customer\` (\`id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`name\` varchar(200) NOT NULL, \`org_number\` varchar(9) NULL, \`email\` varchar(254) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_customer_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`invoice\` (\`id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`number\` varchar(20) NOT NULL, \`customer_id\` varchar(32) NOT NULL, \`amount\` decimal(14,2) NOT NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_invoice_company_id_number\` (\`company_id\`, \`number\`), INDEX \`idx_invoice_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`session\` (\`id\` varchar(32) NOT NULL, \`employee_id\` varchar(32) NOT NULL, \`token_hash\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_a83507eb0338ac037780e02f2b\` (\`token_hash\`), INDEX \`idx_session_employee_id\` (\`employee_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`timesheet_entry\` (\`id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`employee_id\` varchar(32) NOT NULL, \`date\` varchar(10) NOT NULL, \`hours\` decimal(5,2) NOT NULL, \`description\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_timesheet_entry_company_id_employee_id_id\` (\`company_id\`, \`employee_id\`, \`id\`), INDEX \`idx_timesheet_entry_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`access_template\` ADD CONSTRAINT \`FK_6613e633fceb1084304c11ce29b\` FOREIGN KEY (\`office_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`employee\` ADD CONSTRAINT \`FK_3f25598a5f106392263f58a2eb2\` FOREIGN KEY (\`company_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_key\` ADD CONSTRAINT \`FK_7edb7bd5aa28f4d31beebdf8a31\` FOREIGN KEY (\`company_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_key\` ADD CONSTRAINT \`FK_2e885a470716559d8c95bbab220\` FOREIGN KEY (\`owner_id\`) REFERENCES \`employee\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user_key\` ADD CONSTRAINT \`FK_6b2a08a966106fe30d35c54d297\` FOREIGN KEY (\`application_id\`) REFERENCES \`application\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_link\` ADD CONSTRAINT \`FK_2cc4d58e16b62529b37ecfa3ae6\` FOREIGN KEY (\`office_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_link\` ADD CONSTRAINT \`FK_2abb64f45782d6dccf8d4a41708\` FOREIGN KEY (\`client_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_link\` ADD CONSTRAINT \`FK_59ca5bc74a769bd9d7f4d4e65b1\` FOREIGN KEY (\`user_key_id\`) REFERENCES \`user_key\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_link\` ADD CONSTRAINT \`FK_e5788fcb30074baa6b752df7784\` FOREIGN KEY (\`employee_id\`) REFERENCES \`employee\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_link\` ADD CONSTRAINT \`FK_72883ab66138fd3484f38df94a0\` FOREIGN KEY (\`template_id\`) REFERENCES \`access_template\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_relation\` ADD CONSTRAINT \`FK_1cf4bf58227d2942bf6f2c6ca11\` FOREIGN KEY (\`office_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_relation\` ADD CONSTRAINT \`FK_0114e9b970c73440cf38d97fe17\` FOREIGN KEY (\`client_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`client_relation\` ADD CONSTRAINT \`FK_d86d7ec09682ed9c50ecb6a78f7\` FOREIGN KEY (\`accountant_employee_id\`) REFERENCES \`employee\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`session\` ADD CONSTRAINT \`FK_06c3dda7cbe3a846ca721b36a01\` FOREIGN KEY (\`employee_id\`) REFERENCES \`employee\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return dropSqliteBaseline(queryRunner);
    await queryRunner.query(`ALTER TABLE \`session\` DROP FOREIGN KEY \`FK_06c3dda7cbe3a846ca721b36a01\``);
    await queryRunner.query(`ALTER TABLE \`client_relation\` DROP FOREIGN KEY \`FK_d86d7ec09682ed9c50ecb6a78f7\``);
    await queryRunner.query(`ALTER TABLE \`client_relation\` DROP FOREIGN KEY \`FK_0114e9b970c73440cf38d97fe17\``);
    await queryRunner.query(`ALTER TABLE \`client_relation\` DROP FOREIGN KEY \`FK_1cf4bf58227d2942bf6f2c6ca11\``);
    await queryRunner.query(`ALTER TABLE \`client_link\` DROP FOREIGN KEY \`FK_72883ab66138fd3484f38df94a0\``);
    await queryRunner.query(`ALTER TABLE \`client_link\` DROP FOREIGN KEY \`FK_e5788fcb30074baa6b752df7784\``);
    await queryRunner.query(`ALTER TABLE \`client_link\` DROP FOREIGN KEY \`FK_59ca5bc74a769bd9d7f4d4e65b1\``);
    await queryRunner.query(`ALTER TABLE \`client_link\` DROP FOREIGN KEY \`FK_2abb64f45782d6dccf8d4a41708\``);
    await queryRunner.query(`ALTER TABLE \`client_link\` DROP FOREIGN KEY \`FK_2cc4d58e16b62529b37ecfa3ae6\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP FOREIGN KEY \`FK_6b2a08a966106fe30d35c54d297\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP FOREIGN KEY \`FK_2e885a470716559d8c95bbab220\``);
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP FOREIGN KEY \`FK_7edb7bd5aa28f4d31beebdf8a31\``);
    await queryRunner.query(`ALTER TABLE \`employee\` DROP FOREIGN KEY \`FK_3f25598a5f106392263f58a2eb2\``);
    await queryRunner.query(`ALTER TABLE \`access_template\` DROP FOREIGN KEY \`FK_6613e633fceb1084304c11ce29b\``);
    await queryRunner.query(`DROP INDEX \`idx_timesheet_entry_company_id_id\` ON \`timesheet_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_timesheet_entry_company_id_employee_id_id\` ON \`timesheet_entry\``);
    await queryRunner.query(`DROP TABLE \`timesheet_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_session_employee_id\` ON \`session\``);
    await queryRunner.query(`DROP INDEX \`IDX_a83507eb0338ac037780e02f2b\` ON \`session\``);
    await queryRunner.query(`DROP TABLE \`session\``);
    await queryRunner.query(`DROP INDEX \`idx_invoice_company_id_id\` ON \`invoice\``);
    await queryRunner.query(`DROP INDEX \`uq_invoice_company_id_number\` ON \`invoice\``);
    await queryRunner.query(`DROP TABLE \`invoice\``);
    await queryRunner.query(`DROP INDEX \`idx_customer_company_id_id\` ON \`customer\``);
    await queryRunner.query(`DROP TABLE \`customer\``);
    await queryRunner.query(`DROP INDEX \`uq_client_relation_office_id_client_id\` ON \`client_relation\``);
    await queryRunner.query(`DROP INDEX \`idx_client_relation_client_id\` ON \`client_relation\``);
    await queryRunner.query(`DROP TABLE \`client_relation\``);
    await queryRunner.query(`DROP INDEX \`uq_client_link_grantee_id_client_id\` ON \`client_link\``);
    await queryRunner.query(`DROP INDEX \`idx_client_link_client_id_grantee_id\` ON \`client_link\``);
    await queryRunner.query(`DROP INDEX \`idx_client_link_template_id\` ON \`client_link\``);
    await queryRunner.query(`DROP TABLE \`client_link\``);
    await queryRunner.query(`DROP INDEX \`idx_user_key_company_id_id\` ON \`user_key\``);
    await queryRunner.query(`DROP INDEX \`idx_user_key_owner_id_id\` ON \`user_key\``);
    await queryRunner.query(`DROP INDEX \`IDX_f8f6c65e2502710f6bbbbdf53f\` ON \`user_key\``);
    await queryRunner.query(`DROP TABLE \`user_key\``);
    await queryRunner.query(`DROP INDEX \`idx_employee_company_id_id\` ON \`employee\``);
    await queryRunner.query(`DROP INDEX \`IDX_817d1d427138772d47eca04885\` ON \`employee\``);
    await queryRunner.query(`DROP TABLE \`employee\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_event_company_id_id\` ON \`audit_event\``);
    await queryRunner.query(`DROP TABLE \`audit_event\``);
    await queryRunner.query(`DROP INDEX \`IDX_608bb41e7e1ef5f6d7abb07e39\` ON \`application\``);
    await queryRunner.query(`DROP TABLE \`application\``);
    await queryRunner.query(`DROP INDEX \`uq_access_template_office_id_name\` ON \`access_template\``);
    await queryRunner.query(`DROP TABLE \`access_template\``);
    await queryRunner.query(`DROP INDEX \`IDX_348962080325561244ff386d7f\` ON \`company\``);
    await queryRunner.query(`DROP TABLE \`company\``);
  }
}
