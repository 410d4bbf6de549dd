import type { MigrationInterface, QueryRunner } from 'typeorm';
import { onSqlite } from './dialect';

export class KeyRestoredBy1795647122304 implements MigrationInterface {
  name = 'KeyRestoredBy1795647122304';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return; // contained in the SQLite baseline (sqlite-baseline.ts)
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`restored_by_user_key_id\` varchar(32) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) return;
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`restored_by_user_key_id\``);
  }
}
