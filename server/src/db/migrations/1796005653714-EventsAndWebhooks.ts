import type { MigrationInterface, QueryRunner } from 'typeorm';
import { onSqlite } from './dialect';

export class EventsAndWebhooks1796005653714 implements MigrationInterface {
  name = 'EventsAndWebhooks1796005653714';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return; // contained in the SQLite baseline (sqlite-baseline.ts)
    await queryRunner.query(
      `CREATE TABLE \`access_event\` (\`id\` varchar(32) NOT NULL, \`type\` varchar(60) NOT NULL, \`at\` datetime(3) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`counterpart_company_id\` varchar(32) NULL, \`data\` text NOT NULL, \`seq\` bigint NULL, \`dedupe_key\` varchar(120) NULL, UNIQUE INDEX \`uq_access_event_dedupe_key\` (\`dedupe_key\`), INDEX \`idx_access_event_seq_id\` (\`seq\`, \`id\`), INDEX \`idx_access_event_counterpart_company_id_seq\` (\`counterpart_company_id\`, \`seq\`), INDEX \`idx_access_event_company_id_seq\` (\`company_id\`, \`seq\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_endpoint\` (\`id\` varchar(32) NOT NULL, \`company_id\` varchar(32) NOT NULL, \`url\` varchar(2000) NOT NULL, \`secret_sealed\` text NOT NULL, \`previous_secret_sealed\` text NULL, \`previous_secret_expires_at\` datetime(3) NULL, \`secret_hint\` varchar(20) NOT NULL, \`disabled_at\` datetime(3) NULL, \`disabled_reason\` varchar(500) NULL, \`failing_since\` datetime(3) NULL, \`next_attempt_at\` datetime(3) NULL, \`lease_owner\` varchar(100) NULL, \`lease_until\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`idx_webhook_endpoint_company_id_id\` (\`company_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_delivery\` (\`id\` varchar(32) NOT NULL, \`endpoint_id\` varchar(32) NOT NULL, \`event_id\` varchar(32) NOT NULL, \`position\` bigint NOT NULL, \`status\` varchar(12) NOT NULL, \`attempt_count\` int NOT NULL DEFAULT '0', \`retry_count\` int NOT NULL DEFAULT '0', \`first_attempt_at\` datetime(3) NULL, \`last_attempt_at\` datetime(3) NULL, \`last_status_code\` int NULL, \`delivered_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_webhook_delivery_event_id\` (\`event_id\`), INDEX \`idx_webhook_delivery_endpoint_id_id\` (\`endpoint_id\`, \`id\`), INDEX \`idx_webhook_delivery_status_endpoint_id\` (\`status\`, \`endpoint_id\`), INDEX \`idx_webhook_delivery_endpoint_id_status_position\` (\`endpoint_id\`, \`status\`, \`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_attempt\` (\`id\` varchar(32) NOT NULL, \`delivery_id\` varchar(32) NOT NULL, \`at\` datetime(3) NOT NULL, \`status_code\` int NULL, \`duration_ms\` int NOT NULL, \`error\` varchar(500) NULL, INDEX \`idx_webhook_attempt_delivery_id_id\` (\`delivery_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_subscription\` (\`endpoint_id\` varchar(32) NOT NULL, \`event_type\` varchar(60) NOT NULL, PRIMARY KEY (\`endpoint_id\`, \`event_type\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`outbox_sequence\` (\`name\` varchar(40) NOT NULL, \`last_seq\` bigint NOT NULL DEFAULT '0', PRIMARY KEY (\`name\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`sweep_run\` (\`sweep\` varchar(40) NOT NULL, \`period_start\` datetime(3) NOT NULL, \`instance\` varchar(100) NOT NULL, \`started_at\` datetime(3) NOT NULL, \`finished_at\` datetime(3) NULL, PRIMARY KEY (\`sweep\`, \`period_start\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_endpoint\` ADD CONSTRAINT \`FK_4a79282f52579d78a0967cfee3f\` FOREIGN KEY (\`company_id\`) REFERENCES \`company\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_delivery\` ADD CONSTRAINT \`FK_f53f5aec02217a54927b13e39d9\` FOREIGN KEY (\`endpoint_id\`) REFERENCES \`webhook_endpoint\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_delivery\` ADD CONSTRAINT \`FK_b723a573cd78b4cff3404153ad1\` FOREIGN KEY (\`event_id\`) REFERENCES \`access_event\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_attempt\` ADD CONSTRAINT \`FK_d7ed48c4841159bfd6bdee166ea\` FOREIGN KEY (\`delivery_id\`) REFERENCES \`webhook_delivery\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_subscription\` ADD CONSTRAINT \`FK_c7f8b0aa9965abcc7da54115065\` FOREIGN KEY (\`endpoint_id\`) REFERENCES \`webhook_endpoint\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return;
    await queryRunner.query(`ALTER TABLE \`webhook_subscription\` DROP FOREIGN KEY \`FK_c7f8b0aa9965abcc7da54115065\``);
    await queryRunner.query(`ALTER TABLE \`webhook_attempt\` DROP FOREIGN KEY \`FK_d7ed48c4841159bfd6bdee166ea\``);
    await queryRunner.query(`ALTER TABLE \`webhook_delivery\` DROP FOREIGN KEY \`FK_b723a573cd78b4cff3404153ad1\``);
    await queryRunner.query(`ALTER TABLE \`webhook_delivery\` DROP FOREIGN KEY \`FK_f53f5aec02217a54927b13e39d9\``);
    await queryRunner.query(`ALTER TABLE \`webhook_endpoint\` DROP FOREIGN KEY \`FK_4a79282f52579d78a0967cfee3f\``);
    await queryRunner.query(`DROP TABLE \`sweep_run\``);
    await queryRunner.query(`DROP TABLE \`outbox_sequence\``);
    await queryRunner.query(`DROP TABLE \`webhook_subscription\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_attempt_delivery_id_id\` ON \`webhook_attempt\``);
    await queryRunner.query(`DROP TABLE \`webhook_attempt\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_endpoint_id_status_position\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_status_endpoint_id\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_endpoint_id_id\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_event_id\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP TABLE \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_endpoint_company_id_id\` ON \`webhook_endpoint\``);
    await queryRunner.query(`DROP TABLE \`webhook_endpoint\``);
    await queryRunner.query(`DROP INDEX \`idx_access_event_company_id_seq\` ON \`access_event\``);
    await queryRunner.query(`DROP INDEX \`idx_access_event_counterpart_company_id_seq\` ON \`access_event\``);
    await queryRunner.query(`DROP INDEX \`idx_access_event_seq_id\` ON \`access_event\``);
    await queryRunner.query(`DROP INDEX \`uq_access_event_dedupe_key\` ON \`access_event\``);
    await queryRunner.query(`DROP TABLE \`access_event\``);
  }
}
