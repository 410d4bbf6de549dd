import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { ReachBlockedReason } from '../../shared/domain-enums';
import { PageArgsType } from '../../shared/page-args';
import { ConnectionType } from '../../shared/pagination';
import { Application } from '../applications/application.entity';
import { AccessTemplate } from '../clients/access-template.entity';
import type { ClientRelation } from '../clients/client-relation.entity';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';

export { ReachBlockedReason };

registerEnumType(ReachBlockedReason, {
  name: 'ReachBlockedReason',
  description: 'Why a key cannot act at a linked client: the first reason that holds.',
  valuesConfig: {
    KEY_NOT_ACTIVE: { description: 'The key is revoked or expired.' },
    OWNER_DEACTIVATED: { description: 'The key’s owner has no LOGIN permission.' },
    INTEGRATIONS_NOT_ACTIVE: { description: 'The accounting office’s Integrations add-on is not active.' },
    API_ACCESS_OFF: { description: 'The client turned API access off for the office.' },
    BLOCKED_BY_CLIENT: { description: 'The client blocked this key, its application or its owner.' },
    NO_EFFECTIVE_PERMISSIONS: { description: 'Key ∩ owner ∩ template leaves nothing to do there.' },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: 'One client an accountant key is linked to, and what it can do there.',
})
export class KeyReach {
  @Field(() => Company)
  client!: Company;

  @Field(() => AccessTemplate)
  template!: AccessTemplate;

  @Field(() => [Permission], { description: 'What the key may do at the client now (empty when it cannot act).' })
  effectivePermissions!: Permission[];

  @Field({ description: 'Whether a request with X-Company-Id of this client would be let in.' })
  canAct!: boolean;

  @Field(() => ReachBlockedReason, { nullable: true, description: 'Why it cannot act, when it cannot.' })
  blockedReason!: ReachBlockedReason | null;
}

@ObjectType({ simpleResolvers: true })
export class KeyReachConnection extends ConnectionType(KeyReach, 'KeyReach') {}

/** One key or person of an office that can act in the client's books (R33), as the client sees it. */
@ObjectType({
  simpleResolvers: true,
  description: 'A key or a person of an accounting office linked to this company, and what they can do here.',
})
export class ClientAccess {
  @Field(() => UserKey, { nullable: true, description: 'The key, for a key’s link.' })
  userKey!: UserKey | null;

  @Field(() => Employee, { description: 'The person: the linked employee, or the key’s owner.' })
  employee!: Employee;

  @Field(() => Application, { nullable: true, description: 'The key’s catalog application.' })
  application!: Application | null;

  @Field(() => AccessTemplate)
  template!: AccessTemplate;

  @Field(() => [Permission], { description: 'What they may do in this company now.' })
  effectivePermissions!: Permission[];

  @Field(() => Date, { nullable: true, description: 'The key’s last request (null for a person).' })
  lastUsedAt!: Date | null;

  @Field({ description: 'This company blocked the key, its application or the person.' })
  blockedByClient!: boolean;

  /** The link's id: the page's order and cursor. */
  linkId!: string;

  /** The office the link belongs to. */
  officeId!: string;
}

@ObjectType({ simpleResolvers: true })
export class ClientAccessConnection extends ConnectionType(ClientAccess, 'ClientAccess') {}

/** An accounting office keeping this company's books (R33); `access` is resolved in the resolver. */
@ObjectType({ description: 'An accounting office that keeps this company’s books, and who of it acts here.' })
export class ClientOfficeAccess {
  constructor(
    readonly relation: ClientRelation,
    office: Company,
  ) {
    this.office = office;
    this.apiAccess = relation.apiAccess;
  }

  @Field(() => Company, { description: 'The office; its id is what setAccountantApiAccess and setClientBlock take.' })
  office: Company;

  @Field({ description: 'This company’s API switch for the office’s keys.' })
  apiAccess: boolean;
}

@InputType({ description: 'Blocks (or unblocks) one key, one application or one person of an office in this company.' })
export class SetClientBlockInput {
  @Field(() => ID)
  officeId!: string;

  @Field(() => ID, { nullable: true })
  userKeyId?: string | null;

  @Field(() => ID, { nullable: true })
  applicationId?: string | null;

  @Field(() => ID, { nullable: true })
  employeeId?: string | null;

  @Field()
  blocked!: boolean;
}

/** The arguments of `UserKey.reach`: a page of the linked clients, optionally by whether the key can act there. */
@ArgsType()
export class ReachArgs extends PageArgsType {
  @Field(() => Boolean, { nullable: true, description: 'Only clients where the key can act (true) or cannot (false).' })
  canAct?: boolean | null;
}
