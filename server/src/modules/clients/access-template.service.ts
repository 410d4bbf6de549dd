import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import { PermissionSet, type Permission } from '../../auth/permission';
import type { Database } from '../../db/database';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors';
import {
  assertActsAsOffice,
  assertRoomForTemplate,
  assertTemplateDeletable,
  assertTemplatePermissions,
} from '../../rules/client-access';
import { Conflict, InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { nameKey } from '../../shared/names';
import { auditOwnChange } from '../audit/audit-log';
import { companyRepository } from '../companies/company.repository';
import { emitPermissionsReduced } from '../events/permissions-reduced';
import { AccessTemplate } from './access-template.entity';
import { ClientLink } from './client-link.entity';
import type { AccessTemplateInput, UpdateAccessTemplateInput } from './client.types';

/** R16 + R19: the acting company, which must be an accounting office acting in its own books. */
export const requireOffice = assertActsAsOffice;

function nameTaken(name: string): Conflict {
  return new Conflict(`An access template named “${name}” (or a name that looks the same) already exists.`);
}

/** R19 + R22: access templates of an accounting office. */
export class AccessTemplateService {
  constructor(private readonly db: Database) {}

  list(acting: AuthenticatedActing): Promise<AccessTemplate[]> {
    return this.db.manager.find(AccessTemplate, {
      where: { officeId: acting.company.id },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** A template of the acting office; another office's is NOT_FOUND. */
  async get(
    acting: AuthenticatedActing,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<AccessTemplate> {
    const template = await manager.findOneBy(AccessTemplate, { id, officeId: acting.company.id });
    if (!template) throw new NotFound('AccessTemplate', id);
    return template;
  }

  /** Whether another template of the office has a name that looks the same. */
  private async nameInUse(manager: EntityManager, officeId: string, key: string, exceptId?: string): Promise<boolean> {
    const existing = await manager.findOneBy(AccessTemplate, { officeId, nameKey: key });
    return existing !== null && existing.id !== exceptId;
  }

  /** R22: a template holds no administration permission; R19: at most MAX_TEMPLATES_PER_OFFICE per office. */
  async create(acting: AuthenticatedActing, input: AccessTemplateInput, now: Date): Promise<AccessTemplate> {
    requireOffice(acting);
    const check = new InputCheck();
    const name = check.name(input.name, 'name');
    check.done();
    const permissions = PermissionSet.of(input.permissions);
    assertTemplatePermissions(permissions);
    const template = Object.assign(new AccessTemplate(), {
      id: newId('accessTemplate'),
      officeId: acting.company.id,
      name,
      nameKey: nameKey(name),
      permissionBits: permissions.bits,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(async (manager) => {
      // the office's row orders concurrent creations, so the count below cannot be raced past
      await companyRepository(manager).lockedForChange(acting.company.id);
      assertRoomForTemplate(await manager.countBy(AccessTemplate, { officeId: acting.company.id }));
      if (await this.nameInUse(manager, acting.company.id, template.nameKey!)) throw nameTaken(name);
      await manager.insert(AccessTemplate, template).catch((error: unknown) => {
        throw isUniqueViolation(error) ? nameTaken(name) : error;
      });
      await auditOwnChange(
        manager,
        acting,
        'accessTemplate.create',
        { type: 'AccessTemplate', id: template.id },
        { name, permissions: template.permissions },
        now,
      );
    });
    return template;
  }

  /**
   * R19: an edit changes the effective permissions of every link using the template at the next
   * request. R22: the new permissions hold no administration permission.
   */
  async update(
    acting: AuthenticatedActing,
    id: string,
    input: UpdateAccessTemplateInput,
    now: Date,
  ): Promise<AccessTemplate> {
    requireOffice(acting);
    const check = new InputCheck();
    const name = input.name != null ? check.name(input.name, 'name') : null;
    check.done();
    const permissions = input.permissions != null ? PermissionSet.of(input.permissions as Permission[]) : null;
    if (permissions) assertTemplatePermissions(permissions);
    return this.db.transaction(async (manager) => {
      const template = await this.get(acting, id, manager);
      const before = template.permissionSet;
      if (name !== null) {
        const key = nameKey(name);
        if (await this.nameInUse(manager, acting.company.id, key, id)) throw nameTaken(name);
        Object.assign(template, { name, nameKey: key });
      }
      if (permissions) template.permissionBits = permissions.bits;
      template.updatedAt = now;
      await manager
        .update(
          AccessTemplate,
          { id },
          { name: template.name, nameKey: template.nameKey, permissionBits: template.permissionBits, updatedAt: now },
        )
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? nameTaken(template.name) : error;
        });
      // R35: a change of the permissions (not of the name) is a change of access, with its reductions
      const added = template.permissionSet.minus(before).toArray();
      const removed = before.minus(template.permissionSet).toArray();
      if (added.length || removed.length) {
        await emitPermissionsReduced(
          manager,
          { cause: 'ACCESS_TEMPLATE', templateId: id, before, after: template.permissionSet },
          now,
          [
            {
              type: 'access_template.updated',
              companyId: acting.company.id,
              data: {
                templateId: id,
                officeId: acting.company.id,
                addedPermissions: added,
                removedPermissions: removed,
              },
            },
          ],
        );
      }
      await auditOwnChange(
        manager,
        acting,
        'accessTemplate.update',
        { type: 'AccessTemplate', id: id },
        { name: template.name, added, removed },
        now,
      );
      return template;
    });
  }

  /** R19: a template in use by any link cannot be deleted (CONFLICT). */
  async delete(acting: AuthenticatedActing, id: string, now: Date): Promise<boolean> {
    requireOffice(acting);
    const template = await this.get(acting, id);
    return this.db.transaction(async (manager) => {
      // a link added between this count and the delete is caught by the RESTRICT foreign key
      assertTemplateDeletable(template.name, await manager.countBy(ClientLink, { templateId: id }));
      await manager.delete(AccessTemplate, { id }).catch((error: unknown) => {
        throw isForeignKeyViolation(error)
          ? new Conflict(
              `The access template “${template.name}” is in use by a client link; relink or unlink it first.`,
            )
          : error;
      });
      await auditOwnChange(
        manager,
        acting,
        'accessTemplate.delete',
        { type: 'AccessTemplate', id: id },
        { name: template.name },
        now,
      );
      return true;
    });
  }
}
