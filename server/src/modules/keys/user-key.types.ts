import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { NewSecretPayload } from '../../shared/new-secret-payload';
import { ConnectionType } from '../../shared/pagination';
import { KeyAccessMode, UserKey, UserKeyKind, UserKeyStatus } from './user-key.entity';

@InputType({ description: 'A new user key. Give exactly one of applicationId and customApplicationName.' })
export class CreateUserKeyInput {
  @Field(() => ID, { description: 'The owner: the employee the key acts as.' })
  employeeId!: string;

  @Field(() => ID, { nullable: true, description: 'An application from the catalog.' })
  applicationId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Custom setup: an application name typed by hand (1–100 characters).',
  })
  customApplicationName?: string | null;

  @Field({ description: 'Display name shown in the overview (1–100 characters).' })
  name!: string;

  @Field(() => KeyAccessMode)
  accessMode!: KeyAccessMode;

  @Field(() => [Permission], { nullable: true, description: 'With accessMode CUSTOM: exactly these permissions.' })
  permissions?: Permission[] | null;

  @Field(() => Boolean, { nullable: true, description: 'An accountant key of an accounting office.' })
  accountantKey?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working (must be in the future).' })
  expiresAt?: Date | null;
}

@InputType()
export class UserKeyFilter {
  @Field(() => ID, { nullable: true })
  employeeId?: string | null;

  @Field(() => ID, { nullable: true })
  applicationId?: string | null;

  @Field(() => UserKeyKind, { nullable: true })
  kind?: UserKeyKind | null;

  @Field(() => UserKeyStatus, { nullable: true })
  status?: UserKeyStatus | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'The new key and its secret. The secret is shown this once and never again.',
})
export class CreateUserKeyPayload extends NewSecretPayload(
  { field: 'userKey', type: UserKey },
  { field: 'token', description: 'The secret. Store it now: it cannot be read again, only replaced (restoreUserKey).' },
) {}

@ObjectType({ simpleResolvers: true, description: 'The key with its new secret; the old secret no longer works.' })
export class RestoreUserKeyPayload extends NewSecretPayload(
  { field: 'userKey', type: UserKey },
  { field: 'token', description: 'The new secret, shown this once.' },
) {}

@ObjectType({ simpleResolvers: true, description: 'One catalog permission as seen on a key.' })
export class KeyPermissionGrant {
  @Field(() => Permission)
  permission!: Permission;

  @Field({ description: 'The key holds it.' })
  granted!: boolean;

  @Field({ description: 'Usable now: granted, and the owner has it.' })
  effective!: boolean;

  @Field({ description: 'The owner lacks it: inert until it is delegated to the owner.' })
  locked!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class UserKeyConnection extends ConnectionType(UserKey, 'UserKey') {}
