import { Entity, Index, PrimaryColumn } from 'typeorm';
import { RefColumn, TimestampColumn } from '../../db/columns';

/**
 * R8 + R28: the secrets that open a key, by their SHA-256 — the current one (no end) and, through
 * a rotation's overlap, the previous one (until `expiresAt`). The hash is the primary key, so the
 * credential lookup finds a key by either secret with one primary-key probe.
 */
@Entity()
@Index('idx_user_key_secret_user_key_id', ['userKeyId'])
export class UserKeySecret {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  secretHash!: string;

  @RefColumn()
  userKeyId!: string;

  /** Null for the current secret; the end of the overlap for a previous one. */
  @TimestampColumn({ nullable: true })
  expiresAt!: Date | null;
}
