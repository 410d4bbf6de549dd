import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyRestoredBy1795647122304 implements MigrationInterface {
  name = 'KeyRestoredBy1795647122304';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`user_key\` ADD \`restored_by_user_key_id\` varchar(32) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`user_key\` DROP COLUMN \`restored_by_user_key_id\``);
  }
}
