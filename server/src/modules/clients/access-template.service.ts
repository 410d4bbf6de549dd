import type { AuthenticatedActing } from '../../auth/acting-context';
import { PermissionSet, type Permission } from '../../auth/permission';
import type { Database } from '../../db/database';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors';
import { Conflict, Forbidden, InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { appendAudit } from '../audit/audit-log';
import { CompanyKind } from '../companies/company.entity';
import { AccessTemplate } from './access-template.entity';
import { ClientLink } from './client-link.entity';
import type { AccessTemplateInput, UpdateAccessTemplateInput } from './client.types';

/** The acting company, which must be an accounting office acting in its own books. */
export function requireOffice(acting: AuthenticatedActing): void {
  if (!acting.isHome || acting.company.kind !== CompanyKind.ACCOUNTING_OFFICE) {
    throw new Forbidden('Only an accounting office, acting in its own company, manages clients and access templates.');
  }
}

/** R19: access templates of an accounting office. */
export class AccessTemplateService {
  constructor(private readonly db: Database) {}

  list(acting: AuthenticatedActing): Promise<AccessTemplate[]> {
    return this.db.manager.find(AccessTemplate, {
      where: { officeId: acting.company.id },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** A template of the acting office; another office's is NOT_FOUND. */
  async get(acting: AuthenticatedActing, id: string): Promise<AccessTemplate> {
    const template = await this.db.manager.findOneBy(AccessTemplate, { id, officeId: acting.company.id });
    if (!template) throw new NotFound('AccessTemplate', id);
    return template;
  }

  private async assertNameFree(officeId: string, name: string, exceptId?: string): Promise<void> {
    const existing = await this.db.manager.findOneBy(AccessTemplate, { officeId, name });
    if (existing && existing.id !== exceptId) throw new Conflict(`An access template named “${name}” already exists.`);
  }

  async create(acting: AuthenticatedActing, input: AccessTemplateInput, now: Date): Promise<AccessTemplate> {
    requireOffice(acting);
    new InputCheck().text(input.name, 'name').done();
    const name = input.name.trim();
    await this.assertNameFree(acting.company.id, name);
    const template = Object.assign(new AccessTemplate(), {
      id: newId('accessTemplate'),
      officeId: acting.company.id,
      name,
      permissionBits: PermissionSet.of(input.permissions).bits,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(async (manager) => {
      await manager.insert(AccessTemplate, template).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new Conflict(`An access template named “${name}” already exists.`) : error;
      });
      await appendAudit(
        manager,
        acting,
        {
          action: 'accessTemplate.create',
          companyId: acting.company.id,
          targetType: 'AccessTemplate',
          targetId: template.id,
          details: { name, permissions: template.permissions },
        },
        now,
      );
    });
    return template;
  }

  /** R19: an edit changes the effective permissions of every link using the template at the next request. */
  async update(
    acting: AuthenticatedActing,
    id: string,
    input: UpdateAccessTemplateInput,
    now: Date,
  ): Promise<AccessTemplate> {
    requireOffice(acting);
    const check = new InputCheck();
    if (input.name != null) check.text(input.name, 'name');
    check.done();
    const template = await this.get(acting, id);
    const before = template.permissionSet;
    if (input.name != null) {
      await this.assertNameFree(acting.company.id, input.name.trim(), id);
      template.name = input.name.trim();
    }
    if (input.permissions != null) template.permissionBits = PermissionSet.of(input.permissions as Permission[]).bits;
    template.updatedAt = now;
    await this.db.transaction(async (manager) => {
      await manager
        .update(
          AccessTemplate,
          { id },
          { name: template.name, permissionBits: template.permissionBits, updatedAt: now },
        )
        .catch((error: unknown) => {
          throw isUniqueViolation(error)
            ? new Conflict(`An access template named “${template.name}” already exists.`)
            : error;
        });
      await appendAudit(
        manager,
        acting,
        {
          action: 'accessTemplate.update',
          companyId: acting.company.id,
          targetType: 'AccessTemplate',
          targetId: id,
          details: {
            name: template.name,
            added: template.permissionSet.minus(before).toArray(),
            removed: before.minus(template.permissionSet).toArray(),
          },
        },
        now,
      );
    });
    return template;
  }

  /** R19: a template in use by any link cannot be deleted (CONFLICT). */
  async delete(acting: AuthenticatedActing, id: string, now: Date): Promise<boolean> {
    requireOffice(acting);
    const template = await this.get(acting, id);
    return this.db.transaction(async (manager) => {
      const inUse = await manager.countBy(ClientLink, { templateId: id });
      // a link added between this count and the delete is caught by the RESTRICT foreign key
      if (inUse > 0) {
        throw new Conflict(
          `The access template “${template.name}” is used by ${inUse} client link(s); relink or unlink them first.`,
          {
            linkCount: inUse,
          },
        );
      }
      await manager.delete(AccessTemplate, { id }).catch((error: unknown) => {
        throw isForeignKeyViolation(error)
          ? new Conflict(
              `The access template “${template.name}” is in use by a client link; relink or unlink it first.`,
            )
          : error;
      });
      await appendAudit(
        manager,
        acting,
        {
          action: 'accessTemplate.delete',
          companyId: acting.company.id,
          targetType: 'AccessTemplate',
          targetId: id,
          details: { name: template.name },
        },
        now,
      );
      return true;
    });
  }
}
