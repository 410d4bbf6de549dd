import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PermissionBitsColumn } from '../../db/columns';

/**
 * R34: a key's requests on one UTC day in one acting company: counts, and the permissions it
 * exercised (a bit mask, so a batch merges into a row with one OR).
 */
@ObjectType({ simpleResolvers: true, description: 'A key’s requests on one UTC day in one acting company.' })
@Entity()
export class KeyUsageDay {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  userKeyId!: string;

  @Field({ description: 'The day, YYYY-MM-DD (UTC).' })
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  companyId!: string;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  requests!: number;

  @Field(() => Int, { description: 'Requests answered with at least one error.' })
  @Column({ type: 'int', default: 0 })
  errors!: number;

  @PermissionBitsColumn('permission_bits')
  permissionBits!: number;
}
