import type { Database } from '../../db/database';
import { isDeactivated } from '../../rules/people';
import { blockSubjectsOfKey, canActFilter, reachAtClient } from '../../rules/reach';
import { keyStatusAt } from '../../rules/keys';
import { UserKeyKind, UserKeyStatus } from '../../shared/domain-enums';
import { type Page } from '../../shared/pagination';
import { encodeCursor, keysetWindow, toPage } from '../../db/pagination';
import type { Company } from '../companies/company.entity';
import type { Employee } from '../employees/employee.entity';
import type { UserKey } from '../keys/user-key.entity';
import { ReachRepository } from './reach.repository';
import type { KeyReach, ReachArgs } from './reach.types';

/**
 * R32: where an accountant key can act — one node per linked client, with the effective
 * permissions and the first reason it cannot act — a keyset page (by client id) in one statement
 * whatever the page size: the links with their client, template, the client's switch and block.
 */
export class ReachService {
  private readonly links: ReachRepository;

  constructor(db: Database) {
    this.links = new ReachRepository(db);
  }

  async reach(
    key: UserKey,
    owner: Pick<Employee, 'permissionSet'>,
    office: Pick<Company, 'integrationsActivatedAt'>,
    args: ReachArgs,
    now: Date,
  ): Promise<Page<KeyReach>> {
    const { first, after } = keysetWindow(args);
    const keyLevel = {
      keyActive: keyStatusAt(key, now) === UserKeyStatus.ACTIVE,
      ownerActive: !isDeactivated(owner.permissionSet),
      officeIntegrationsActive: office.integrationsActivatedAt != null,
    };
    const filter = canActFilter(keyLevel, key.permissionSet, owner.permissionSet);
    const nothing = key.kind !== UserKeyKind.ACCOUNTANT || (args.canAct === true && !filter.anyLinkCanAct);
    if (nothing)
      return toPage<KeyReach>(
        [],
        first,
        () => '',
        () => 0,
      );

    const narrowing =
      args.canAct != null && filter.anyLinkCanAct
        ? { canAct: args.canAct, permissionMask: filter.permissionMask.bits }
        : null;
    const { rows, count } = await this.links.linksOfKey(key.id, blockSubjectsOfKey(key), narrowing, { first, after });
    const nodes = rows.map((link): KeyReach => {
      const at = reachAtClient(
        { ...keyLevel, linked: true, apiAccess: link.apiAccess, blockedByClient: link.blockedByClient },
        key.permissionSet,
        owner.permissionSet,
        link.template.permissionSet,
      );
      return {
        client: link.client,
        template: link.template,
        effectivePermissions: at.effectivePermissions.toArray(),
        canAct: at.canAct,
        blockedReason: at.blockedReason,
      };
    });
    return toPage(nodes, first, (node) => encodeCursor([node.client.id]), count);
  }
}
