import { NodeEntity } from '../../db/node-entity';
import { Field } from 'type-graphql';
import { Index } from 'typeorm';
import { Permission, PermissionSet } from '../../auth/permission';
import { NodeIdColumn, PermissionBitsColumn, RefColumn, TextColumn, TextField, TimestampField } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Company } from '../companies/company.entity';

/** A named set of permissions a key or employee has at the clients linked under it (R19). */
@NodeEntity({ description: 'An access template (tilgangsmal) of an accounting office.' })
@Index('uq_access_template_office_id_name_key', ['officeId', 'nameKey'], { unique: true })
export class AccessTemplate {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  officeId!: string;

  @BelongsTo(() => Company, { onDelete: 'CASCADE' })
  office?: Company;

  @TextField(100)
  name!: string;

  /** The name's look-alike key (see shared/names): template names are unique per office by it. */
  @TextColumn(64, { nullable: true })
  nameKey!: string | null;

  @PermissionBitsColumn('permission_bits')
  permissionBits!: number;

  @TimestampField()
  createdAt!: Date;

  @TimestampField()
  updatedAt!: Date;

  get permissionSet(): PermissionSet {
    return PermissionSet.fromBits(this.permissionBits);
  }

  @Field(() => [Permission])
  get permissions(): Permission[] {
    return this.permissionSet.toArray();
  }
}
