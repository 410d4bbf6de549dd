import type { MigrationInterface, QueryRunner } from 'typeorm';
import { onSqlite } from './dialect';

/** R35: the expiry sweep looks keys up by `expires_at` (a range per notice window). */
export class UserKeyExpiresAtIndex1796301000000 implements MigrationInterface {
  name = 'UserKeyExpiresAtIndex1796301000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) {
      await queryRunner.query(`CREATE INDEX "idx_user_key_expires_at" ON "user_key" ("expires_at") `);
      return;
    }
    await queryRunner.query(`CREATE INDEX \`idx_user_key_expires_at\` ON \`user_key\` (\`expires_at\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (onSqlite(queryRunner)) {
      await queryRunner.query(`DROP INDEX "idx_user_key_expires_at"`);
      return;
    }
    await queryRunner.query(`DROP INDEX \`idx_user_key_expires_at\` ON \`user_key\``);
  }
}
