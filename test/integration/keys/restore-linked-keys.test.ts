import { Permission } from '../../../server/src/auth/permission';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';
import { BULK_LINK } from '../clients/helpers';
import { addEmployee, createKey, type IssuedKey } from './helpers';
import { RESTORE_KEY } from './documents';

/**
 * Restoring a key hands out a fresh secret with everything the key holds — at clients too — so who
 * may restore a linked accountant key is decided by who may give client access (R6, R15).
 */

const kit = useWorld({ sessions: ['kari'] });

const { LOGIN, CUSTOMER_READ, INVOICE_READ, EMPLOYEE_READ, USER_ADMIN, CLIENT_ADMIN } = Permission;

const CUSTOMERS = '{ customers(first: 10) { totalCount } }';

/** An accountant key of Kari's holding only CUSTOMER_READ, linked through the API to Bakeri under "Kun lese". */
async function linkedAccountantKey(name: string): Promise<IssuedKey> {
  const key = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name,
    accountantKey: true,
    permissions: [CUSTOMER_READ],
  });
  expectOk(
    await kit.app.api.request(
      BULK_LINK,
      {
        input: { clientIds: [kit.world.bakeri.id], userKeyId: key.userKey.id, accessTemplateId: kit.world.kunLese.id },
      },
      { token: kit.token.kari },
    ),
  );
  expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: key.token, companyId: kit.world.bakeri.id }));
  return key;
}

describe('restoring an accountant key hands out its reach at clients (R6, R15)', () => {
  test('R15: an end-user key cannot restore its owner’s linked accountant key and so act at the client', async () => {
    const linked = await linkedAccountantKey('Fiken for Bakeri');
    // an end-user key of Kari's that can do more at home than the accountant key holds, but nothing at clients
    const endUser = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ, INVOICE_READ],
    });
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token: endUser.token, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );

    const res = await kit.app.api.request(RESTORE_KEY, { id: linked.userKey.id }, { token: endUser.token });
    expectCode(res, 'FORBIDDEN');
    expect(JSON.stringify(res.data ?? {})).not.toMatch(/nkl_[0-9A-Za-z]{49}/);
    // nothing was replaced: the integration that holds the secret keeps working
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: linked.token, companyId: kit.world.bakeri.id }));
  });

  test('R6: a user administrator with no access at a client cannot restore a key linked there', async () => {
    const linked = await linkedAccountantKey('PowerOffice for Bakeri');
    const una = await addEmployee(kit.app, kit.world.office, [LOGIN, USER_ADMIN, EMPLOYEE_READ, CUSTOMER_READ], 'Una');
    const unaToken = await una.session();
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token: unaToken, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );

    expectCode(await kit.app.api.request(RESTORE_KEY, { id: linked.userKey.id }, { token: unaToken }), 'FORBIDDEN');
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: linked.token, companyId: kit.world.bakeri.id }));
  });

  test('R6: who may give client access (CLIENT_ADMIN), and the owner in person, may still restore a linked key', async () => {
    const byClientAdmin = await linkedAccountantKey('Bank Feed for Bakeri');
    const clientAdmin = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ, CLIENT_ADMIN],
    });
    const restored = expectOk(
      await kit.app.api.request(RESTORE_KEY, { id: byClientAdmin.userKey.id }, { token: clientAdmin.token }),
    );
    const atBakeri = { token: restored.restoreUserKey.token, companyId: kit.world.bakeri.id };
    expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri));

    const byOwner = await linkedAccountantKey('Fiken (Kari) for Bakeri');
    expectOk(await kit.app.api.request(RESTORE_KEY, { id: byOwner.userKey.id }, { token: kit.token.kari }));

    // an accountant key linked nowhere has no reach to hand out: restoring it needs no more than before
    const unlinked = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      accountantKey: true,
      permissions: [CUSTOMER_READ],
    });
    const endUser = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ],
    });
    expectOk(await kit.app.api.request(RESTORE_KEY, { id: unlinked.userKey.id }, { token: endUser.token }));
  });
});
