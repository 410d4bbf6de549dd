import { Field, InputType } from 'type-graphql';

/**
 * The optional organisation number of an input that registers an organisation (a client company,
 * a customer); the services check it with `InputCheck.orgNumber`.
 */
@InputType()
export abstract class OrgNumberInput {
  @Field(() => String, { nullable: true, description: '9 digits.' })
  orgNumber?: string | null;
}
