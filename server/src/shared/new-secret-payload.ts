import { Field, ObjectType, type ClassType } from 'type-graphql';

/** A payload's record field (e.g. `userKey: UserKey!`) beside its secret field (e.g. `token: String!`). */
export type RecordWithSecret<RecordField extends string, T, SecretField extends string> = Record<RecordField, T> &
  Record<SecretField, string>;

/**
 * The two fields of a payload that shows a new secret beside the record it opens, this once (a
 * key's token, a webhook endpoint's signing secret). Each payload names its fields, says in its own
 * words what the secret is, and extends the class returned here; nothing returns that class itself,
 * so the schema never shows it.
 */
export function NewSecretPayload<T extends object, RecordField extends string, SecretField extends string>(
  record: { field: RecordField; type: ClassType<T> },
  secret: { field: SecretField; description: string },
): ClassType<RecordWithSecret<RecordField, T, SecretField>> {
  @ObjectType({ simpleResolvers: true })
  class NewSecretPayloadFields {}
  // field names are the payload's own, so they are declared here rather than as class members
  Field(() => record.type)(NewSecretPayloadFields.prototype, record.field);
  Field(() => String, { description: secret.description })(NewSecretPayloadFields.prototype, secret.field);
  return NewSecretPayloadFields as ClassType<RecordWithSecret<RecordField, T, SecretField>>;
}
