import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { PageArgsType } from '../../shared/page-args';
import { ConnectionType } from '../../shared/pagination';
import { SensitiveRead } from './sensitive-read.entity';

/** The arguments of `sensitiveReads`: a page of the log, optionally of one key only. */
@ArgsType()
export class SensitiveReadsArgs extends PageArgsType {
  @Field(() => ID, { nullable: true, description: 'Only the reads of this key.' })
  userKeyId?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class SensitiveReadConnection extends ConnectionType(SensitiveRead, 'SensitiveRead') {}
