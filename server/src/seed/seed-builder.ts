import type { EntityManager, ObjectLiteral } from 'typeorm';
import { hashPassword } from '../auth/password';
import { Permission, PermissionSet } from '../auth/permission';
import { KEY_PREFIX, issueSecret } from '../auth/secrets';
import { newId } from '../shared/ids';
import { nameKey } from '../shared/names';
import { AccessTemplate } from '../modules/clients/access-template.entity';
import { Application } from '../modules/applications/application.entity';
import { ClientLink } from '../modules/clients/client-link.entity';
import { ClientRelation } from '../modules/clients/client-relation.entity';
import { Company, CompanyKind } from '../modules/companies/company.entity';
import type { CreateCustomerInput } from '../modules/business/business.types';
import { Customer } from '../modules/business/customer.entity';
import { Employee } from '../modules/employees/employee.entity';
import { Invoice } from '../modules/business/invoice.entity';
import { TimesheetEntry } from '../modules/business/timesheet-entry.entity';
import { INTEGRATIONS_TERMS_VERSION } from '../modules/companies/company.service';
import { recordKeySecret } from '../modules/keys/key-secrets';
import { KeyAccessMode, UserKey, UserKeyKind } from '../modules/keys/user-key.entity';

/**
 * Writes data straight into the database (demo data, test fixtures, benchmarks). It bypasses the
 * API on purpose and therefore the audit log: nothing written here is a change by a user.
 */
export class SeedBuilder {
  private readonly passwordHashes = new Map<string, Promise<string>>();

  constructor(private readonly manager: EntityManager) {}

  /** A new row of `entity` with exactly these values, inserted as given (none of the API's defaults). */
  private async insertNew<T extends ObjectLiteral>(entity: new () => T, values: Partial<T>): Promise<T> {
    const row = Object.assign(new entity(), values);
    await this.manager.insert(entity, row);
    return row;
  }

  private passwordHash(password: string): Promise<string> {
    let hash = this.passwordHashes.get(password);
    if (!hash) {
      hash = hashPassword(password);
      this.passwordHashes.set(password, hash);
    }
    return hash;
  }

  async company(fields: {
    name: string;
    orgNumber?: string | null;
    kind?: CompanyKind;
    integrationsActive?: boolean;
  }): Promise<Company> {
    const now = new Date();
    return this.insertNew(Company, {
      id: newId('company'),
      name: fields.name,
      orgNumber: fields.orgNumber ?? null,
      kind: fields.kind ?? CompanyKind.REGULAR,
      integrationsActivatedAt: fields.integrationsActive ? now : null,
      integrationsActivatedById: null,
      integrationsTermsVersion: fields.integrationsActive ? INTEGRATIONS_TERMS_VERSION : null,
      nextInvoiceNumber: 1,
      createdAt: now,
    });
  }

  /** Records who activated the Integrations add-on of a company seeded as active. */
  async markIntegrationsActivatedBy(company: Company, employee: Employee): Promise<void> {
    await this.manager.update(Company, { id: company.id }, { integrationsActivatedById: employee.id });
    company.integrationsActivatedById = employee.id;
  }

  async employee(
    company: Company,
    fields: {
      name: string;
      email?: string | null;
      password?: string | null;
      permissions: readonly Permission[];
      annualSalary?: number | null;
    },
  ): Promise<Employee> {
    return this.insertNew(Employee, {
      id: newId('employee'),
      companyId: company.id,
      name: fields.name,
      email: fields.email?.toLowerCase() ?? null,
      passwordHash: fields.password ? await this.passwordHash(fields.password) : null,
      permissionBits: PermissionSet.of(fields.permissions).bits,
      annualSalary: fields.annualSalary ?? null,
      createdAt: new Date(),
    });
  }

  async application(fields: {
    name: string;
    vendor?: string | null;
    description?: string | null;
    supportsAccountantKeys: boolean;
  }): Promise<Application> {
    return this.insertNew(Application, {
      id: newId('application'),
      name: fields.name,
      vendor: fields.vendor ?? null,
      description: fields.description ?? null,
      supportsAccountantKeys: fields.supportsAccountantKeys,
    });
  }

  async accessTemplate(office: Company, name: string, permissions: readonly Permission[]): Promise<AccessTemplate> {
    const now = new Date();
    return this.insertNew(AccessTemplate, {
      id: newId('accessTemplate'),
      officeId: office.id,
      name,
      nameKey: nameKey(name),
      permissionBits: PermissionSet.of(permissions).bits,
      createdAt: now,
      updatedAt: now,
    });
  }

  async clientRelation(
    office: Company,
    client: Company,
    fields: { apiAccess?: boolean; accountant?: Employee } = {},
  ): Promise<ClientRelation> {
    return this.insertNew(ClientRelation, {
      id: newId('clientRelation'),
      officeId: office.id,
      clientId: client.id,
      clientOrgNumber: client.orgNumber,
      // fixtures may give clients look-alike names (sorting tests do); the demo data gets its keys
      // from repairData, as data from before the names rule does
      clientNameKey: null,
      accountantEmployeeId: fields.accountant?.id ?? null,
      apiAccess: fields.apiAccess ?? true,
      apiAccessChangedAt: null,
      createdAt: new Date(),
    });
  }

  /** A key with a known secret (returned once here, as the API would). */
  async userKey(
    owner: Employee,
    fields: {
      name?: string;
      application?: Application | null;
      customApplicationName?: string;
      permissions: readonly Permission[];
      kind?: UserKeyKind;
      expiresAt?: Date | null;
      /** The networks it may be used from, in canonical CIDR form (none: anywhere). */
      allowedNetworks?: readonly string[];
    },
  ): Promise<{ userKey: UserKey; token: string }> {
    const secret = issueSecret(KEY_PREFIX);
    const id = newId('userKey');
    const userKey = await this.insertNew(UserKey, {
      id,
      companyId: owner.companyId,
      ownerId: owner.id,
      applicationId: fields.application?.id ?? null,
      customApplicationName: fields.application ? null : (fields.customApplicationName ?? 'Seeded application'),
      name: fields.name ?? 'Seeded key',
      kind: fields.kind ?? UserKeyKind.EMPLOYEE,
      accessMode: KeyAccessMode.CUSTOM,
      permissionBits: PermissionSet.of(fields.permissions).bits,
      secretHash: secret.hash,
      secretVersion: 1,
      tokenHint: secret.hint,
      // seeded keys may share a display name (fixtures make many); keys made through the API may not
      activeNameKey: null,
      createdByEmployeeId: owner.id,
      createdByUserKeyId: null,
      createdByHolderId: null,
      secretHolderId: id,
      secretIssuedByUserKeyId: null,
      secretIssuedByHolderId: null,
      createdAt: new Date(),
      restoredAt: null,
      revokedAt: null,
      expiresAt: fields.expiresAt ?? null,
      lastUsedAt: null,
      allowedNetworksText: fields.allowedNetworks?.length ? fields.allowedNetworks.join(',') : null,
    });
    await recordKeySecret(this.manager, userKey.id, secret.hash);
    return { userKey, token: secret.token };
  }

  async clientLink(
    office: Company,
    client: Company,
    grantee: UserKey | Employee,
    template: AccessTemplate,
  ): Promise<ClientLink> {
    const now = new Date();
    const isKey = grantee instanceof UserKey;
    return this.insertNew(ClientLink, {
      id: newId('clientLink'),
      officeId: office.id,
      clientId: client.id,
      granteeId: grantee.id,
      userKeyId: isKey ? grantee.id : null,
      employeeId: isKey ? null : grantee.id,
      templateId: template.id,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** A customer with what the API's createCustomer takes besides the name. */
  async customer(company: Company, name: string, fields: Omit<CreateCustomerInput, 'name'> = {}): Promise<Customer> {
    return this.insertNew(Customer, {
      id: newId('customer'),
      companyId: company.id,
      name,
      orgNumber: fields.orgNumber ?? null,
      email: fields.email ?? null,
      createdAt: new Date(),
    });
  }

  async invoice(company: Company, customer: Customer, amount: number): Promise<Invoice> {
    await this.manager.increment(Company, { id: company.id }, 'nextInvoiceNumber', 1);
    const { nextInvoiceNumber } = await this.manager.findOneByOrFail(Company, { id: company.id });
    return this.insertNew(Invoice, {
      id: newId('invoice'),
      companyId: company.id,
      number: String(nextInvoiceNumber - 1),
      customerId: customer.id,
      amount,
      createdAt: new Date(),
    });
  }

  async hours(
    employee: Employee,
    date: string,
    hours: number,
    description: string | null = null,
  ): Promise<TimesheetEntry> {
    return this.insertNew(TimesheetEntry, {
      id: newId('timesheetEntry'),
      companyId: employee.companyId,
      employeeId: employee.id,
      date,
      hours,
      description,
      createdAt: new Date(),
    });
  }
}
