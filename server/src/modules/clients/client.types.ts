import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { OrgNumberInput } from '../../shared/org-number-input';
import { SearchPageArgs } from '../../shared/page-args';
import { ConnectionType } from '../../shared/pagination';
import { ClientLink } from './client-link.entity';
import type { GranteeRef, LinkResult } from './client-link.service';
import { ClientRelation } from './client-relation.entity';

@InputType()
export class AccessTemplateInput {
  @Field({ description: '1–100 characters, unique within the office.' })
  name!: string;

  @Field(() => [Permission])
  permissions!: Permission[];
}

@InputType({ description: 'Give the fields to change.' })
export class UpdateAccessTemplateInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [Permission], { nullable: true })
  permissions?: Permission[] | null;
}

@InputType()
export class AddClientInput extends OrgNumberInput {
  @Field({ description: 'The client company’s name, 1–200 characters.' })
  name!: string;
}

@InputType({ description: 'Link a key or an employee (exactly one) to clients under a template.' })
export class BulkLinkClientsInput {
  @Field(() => [ID], { description: 'Company.id of each client (1–10,000).' })
  clientIds!: string[];

  @Field(() => ID, { nullable: true, description: 'An accountant key of the office.' })
  userKeyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'An employee of the office.' })
  employeeId?: string | null;

  @Field(() => ID)
  accessTemplateId!: string;
}

/** The key or the employee (exactly one) a link is for; the link inputs inherit its fields. */
@InputType()
abstract class GranteeRefInput implements GranteeRef {
  @Field(() => ID, { nullable: true })
  userKeyId?: string | null;

  @Field(() => ID, { nullable: true })
  employeeId?: string | null;
}

@InputType()
export class LinkClientInput extends GranteeRefInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => ID)
  accessTemplateId!: string;
}

@InputType()
export class UnlinkClientsInput extends GranteeRefInput {
  @Field(() => [ID])
  clientIds!: string[];
}

@InputType({ description: 'Done while acting in the client (X-Company-Id = the client).' })
export class SetAccountantApiAccessInput {
  @Field(() => ID, { description: 'The accounting office (Company.id).' })
  accountingOfficeId!: string;

  @Field(() => ID, { nullable: true, description: 'The responsible accountant, an employee of the office.' })
  accountantEmployeeId?: string | null;

  @Field()
  enabled!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class BulkLinkClientsPayload {
  constructor(private readonly result: LinkResult) {}

  @Field(() => [ClientLink], { description: 'The links, read back only when selected.' })
  get links(): Promise<ClientLink[]> {
    return this.result.links();
  }

  @Field(() => Int)
  get linkedCount(): number {
    return this.result.linkedCount;
  }
}

@ObjectType({ simpleResolvers: true })
export class UnlinkClientsPayload {
  @Field(() => Int)
  unlinkedCount!: number;
}

@ObjectType({ simpleResolvers: true })
export class ClientLinkConnection extends ConnectionType(ClientLink, 'ClientLink') {}

@ObjectType({ simpleResolvers: true })
export class ClientConnection extends ConnectionType(ClientRelation, 'Client') {}

/** The arguments of `clients`: a page of the office's clients by name, optionally by API access. */
@ArgsType()
export class ClientsArgs extends SearchPageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only clients whose API access is on (true) or off (false).' })
  apiAccess?: boolean | null;
}
