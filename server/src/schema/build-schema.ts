import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { withAuthorization } from '../auth/requires';
import { CatalogResolver } from '../modules/applications/application.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';
import {
  BusinessResolver,
  InvoiceFieldsResolver,
  TimesheetEntryFieldsResolver,
} from '../modules/business/business.resolver';
import {
  AccessTemplateResolver,
  ClientLinkResolver,
  ClientResolver,
  UserKeyClientsResolver,
} from '../modules/clients/client.resolver';
import { CompanyResolver } from '../modules/companies/company.resolver';
import { EmployeeResolver } from '../modules/employees/employee.resolver';
import { CompanyKeyPolicyResolver, KeyLifecycleResolver } from '../modules/keys/key-lifecycle.resolver';
import { UserKeyResolver } from '../modules/keys/user-key.resolver';
import { SessionResolver } from '../modules/sessions/session.resolver';
import { ViewerResolver } from '../modules/viewer/viewer.resolver';
import { DateTimeScalar } from '../shared/scalars';
import { EVENT_RESOLVERS } from '../modules/events/event-resolvers';

let cached: GraphQLSchema | null = null;

/** The executable schema: type-graphql resolvers with `@requires` enforcement applied. Built once. */
export function buildNokkelSchema(): GraphQLSchema {
  cached ??= withAuthorization(
    buildSchemaSync({
      resolvers: [
        SessionResolver,
        ViewerResolver,
        CompanyResolver,
        EmployeeResolver,
        CatalogResolver,
        UserKeyResolver,
        KeyLifecycleResolver,
        CompanyKeyPolicyResolver,
        UserKeyClientsResolver,
        AccessTemplateResolver,
        ClientResolver,
        ClientLinkResolver,
        BusinessResolver,
        InvoiceFieldsResolver,
        TimesheetEntryFieldsResolver,
        AuditResolver,
        ...EVENT_RESOLVERS,
      ],
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      validate: false,
      emitSchemaFile: false,
    }),
  );
  return cached;
}
