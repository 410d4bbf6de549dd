import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { withAuthorization } from './authorization';
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
import { NodeResolver } from '../modules/nodes/node.resolver';
import { CompanyKeyPolicyResolver, KeyLifecycleResolver } from '../modules/keys/key-lifecycle.resolver';
import { UserKeyResolver } from '../modules/keys/user-key.resolver';
import { SessionResolver } from '../modules/sessions/session.resolver';
import { ViewerResolver } from '../modules/viewer/viewer.resolver';
import { resolveAsyncProperties } from './async-properties';
import { DateTimeScalar } from '../shared/scalars';
import { EVENT_RESOLVERS } from '../modules/events/event-resolvers';
import {
  ClientOfficeAccessResolver,
  CompanyAccountingOfficesResolver,
  UserKeyReachResolver,
} from '../modules/reach/reach.resolver';
import { KeyUsageDayResolver, SensitiveReadResolver, UserKeyUsageResolver } from '../modules/usage/usage.resolver';

let cached: GraphQLSchema | null = null;

/** The executable schema: type-graphql resolvers with `@requires` enforcement applied. Built once. */
export function buildNokkelSchema(): GraphQLSchema {
  cached ??= resolveAsyncProperties(
    withAuthorization(
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
          NodeResolver,
          ...EVENT_RESOLVERS,
          UserKeyReachResolver,
          CompanyAccountingOfficesResolver,
          ClientOfficeAccessResolver,
          UserKeyUsageResolver,
          KeyUsageDayResolver,
          SensitiveReadResolver,
        ],
        scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
        validate: false,
        emitSchemaFile: false,
      }),
    ),
  );
  return cached;
}
