import type { MigrationInterface, QueryRunner } from 'typeorm';

/** R35: the expiry sweep looks keys up by `expires_at` (a range per notice window). */
export class UserKeyExpiresAtIndex1796301000000 implements MigrationInterface {
  name = 'UserKeyExpiresAtIndex1796301000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`idx_user_key_expires_at\` ON \`user_key\` (\`expires_at\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_user_key_expires_at\` ON \`user_key\``);
  }
}
