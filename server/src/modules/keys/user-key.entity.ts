import { NodeEntity } from '../../db/node-entity';
import { Field, registerEnumType } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { PermissionSet } from '../../auth/permission';
import { NodeIdColumn, PermissionBitsColumn, RefColumn, TextColumn, TextField, TimestampField } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Application } from '../applications/application.entity';
import { Employee } from '../employees/employee.entity';
import { keyStatusAt } from '../../rules/keys';
import { KeyAccessMode, UserKeyKind, UserKeyStatus } from '../../shared/domain-enums';
import { CompanyOwnedColumns } from '../companies/company-owned-columns';

export { UserKeyKind, UserKeyStatus, KeyAccessMode };

registerEnumType(UserKeyKind, {
  name: 'UserKeyKind',
  description: 'EMPLOYEE keys act in their own company; ACCOUNTANT keys act at linked clients of an accounting office.',
});

registerEnumType(UserKeyStatus, { name: 'UserKeyStatus' });

registerEnumType(KeyAccessMode, {
  name: 'KeyAccessMode',
  valuesConfig: {
    ALL_ACCESS: {
      description: '“Alle tilganger”: every permission; those the owner lacks are locked until delegated.',
    },
    COPY_EMPLOYEE: {
      description: '“Gi brukernøkkel denne brukerens tilganger”: a snapshot of the owner’s permissions.',
    },
    CUSTOM: { description: '“Bestem selv”: no permissions, or exactly the list given.' },
  },
});

/** A user key (brukernøkkel / employee token): lets an application act as its owner, within limits. */
@NodeEntity({
  description: 'A user key (brukernøkkel): a secret an application uses to act as one employee, within limits.',
})
@Index('idx_user_key_company_id_id', ['companyId', 'id'])
@Index('idx_user_key_owner_id_id', ['ownerId', 'id'])
@Index('uq_user_key_owner_id_active_name_key', ['ownerId', 'activeNameKey'], { unique: true })
@Index('idx_user_key_created_by_user_key_id', ['createdByUserKeyId'])
@Index('idx_user_key_secret_issued_by_user_key_id', ['secretIssuedByUserKeyId'])
@Index('idx_user_key_created_by_holder_id', ['createdByHolderId'])
@Index('idx_user_key_secret_issued_by_holder_id', ['secretIssuedByHolderId'])
// the expiry sweep (R35) finds the keys whose expiry falls in a notice window
@Index('idx_user_key_expires_at', ['expiresAt'])
export class UserKey extends CompanyOwnedColumns {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  ownerId!: string;

  @BelongsTo(() => Employee, { onDelete: 'CASCADE' })
  owner?: Employee;

  @RefColumn({ nullable: true })
  applicationId!: string | null;

  @BelongsTo(() => Application, { onDelete: 'RESTRICT', nullable: true })
  application?: Application | null;

  @TextField(100, { nullable: true, description: 'The application name typed by hand (custom setup).' })
  customApplicationName!: string | null;

  @TextField(100, { description: 'Display name shown in the overview.' })
  name!: string;

  /**
   * The name's look-alike key (see shared/names) while the key is not revoked, null once it is: a
   * display name is unique per owner among keys that are not revoked, however it is spelled.
   */
  @TextColumn(64, { nullable: true })
  activeNameKey!: string | null;

  @Field(() => UserKeyKind)
  @TextColumn(20)
  kind!: UserKeyKind;

  @Field(() => KeyAccessMode, { description: 'How the permissions were chosen at creation.' })
  @TextColumn(20)
  accessMode!: KeyAccessMode;

  @PermissionBitsColumn('permission_bits')
  permissionBits!: number;

  /** SHA-256 (hex) of the secret: the only form the secret is stored in (R8). */
  @Index({ unique: true })
  @TextColumn(64)
  secretHash!: string;

  @TimestampField({
    nullable: true,
    description: 'Until when the secret replaced by the last restore still works (null: it no longer does).',
  })
  previousSecretExpiresAt!: Date | null;

  /**
   * R30: the networks (canonical CIDRs, comma-separated) the key may be used from; null or empty
   * means anywhere. A column of the key, so the credential lookup brings it with no extra statement.
   */
  @Column({ type: 'text', nullable: true })
  allowedNetworksText!: string | null;

  /** Bumped on every restore; restores compare-and-set on it so concurrent restores cannot both win. */
  @Column({ type: 'int', default: 1 })
  secretVersion!: number;

  @TextField(20, { description: 'Identifies the secret in overviews: prefix and last 4 characters.' })
  tokenHint!: string;

  @RefColumn({ nullable: true })
  createdByEmployeeId!: string | null;

  /** R25: the key whose request created this one, if a key did (revoking it revokes this one, R26). */
  @RefColumn({ nullable: true })
  createdByUserKeyId!: string | null;

  /** R25: the holder of the creating key's secret at the time (R27 revokes by it). */
  @RefColumn({ nullable: true })
  createdByHolderId!: string | null;

  /**
   * R25: who holds the current secret, as a line of secrets one party held: set anew when someone
   * other than the key itself creates or restores it, kept when the key restores itself.
   */
  @RefColumn({ nullable: true })
  secretHolderId!: string | null;

  /**
   * R25: the key that obtained the current secret (by restoring this key), if a key did; kept when
   * the key restores itself. Revoking that key revokes this one (R26).
   */
  @RefColumn({ nullable: true })
  secretIssuedByUserKeyId!: string | null;

  /** R25: the holder of the obtaining key's secret at the time (R27 revokes by it). */
  @RefColumn({ nullable: true })
  secretIssuedByHolderId!: string | null;

  @TimestampField()
  createdAt!: Date;

  @TimestampField({ nullable: true, description: 'When the secret was last replaced (gjenopprett).' })
  restoredAt!: Date | null;

  @TimestampField({ nullable: true })
  revokedAt!: Date | null;

  @TimestampField({ nullable: true })
  expiresAt!: Date | null;

  @TimestampField({ nullable: true, description: 'Last request made with the key (kept to the minute).' })
  lastUsedAt!: Date | null;

  @Field(() => [String], {
    description: 'The IPv4/IPv6 networks (CIDR) the key may be used from; empty means anywhere.',
  })
  get allowedNetworks(): string[] {
    return this.allowedNetworksText ? this.allowedNetworksText.split(',') : [];
  }

  get permissionSet(): PermissionSet {
    return PermissionSet.fromBits(this.permissionBits);
  }

  /** R10 and expiry: the key's status at a given moment. */
  statusAt(now: Date): UserKeyStatus {
    return keyStatusAt(this, now);
  }

  @Field(() => UserKeyStatus)
  get status(): UserKeyStatus {
    return this.statusAt(new Date());
  }
}
