import type { AttackContext } from './family';
import { setupOrigin } from './addresses';
import { dataOf } from './http';
import { sized, type AttackOptions } from './options';

/** What making keys needs of a step's context (the set-up before the families has this much too). */
export type KeyContext = Pick<AttackContext, 'shared' | 'signal' | 'world' | 'graphql'>;

/** Employee keys per pool, for the families that spend several keys of one person. */
export const keysPerPool = (options: AttackOptions): number => sized(options, 6, 3);

/**
 * Makes every family's keys before the first attack, while Kari's budgets are whole: a family that
 * spends them (key-budgets does on purpose) must not leave the next family unable to set up.
 */
export async function prepareKariKeys(ctx: KeyContext, options: AttackOptions): Promise<number> {
  await kariKeys(ctx, 'ACCOUNTANT', 3);
  for (const pool of ['budgets', 'fairness', 'counts']) await kariKeys(ctx, 'EMPLOYEE', keysPerPool(options), pool);
  return [...ctx.shared.values()].reduce<number>((n, keys) => n + (keys as IssuedKey[]).length, 0);
}

const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) { createUserKey(input: $input) { token userKey { id } } }`;

export interface IssuedKey {
  id: string;
  token: string;
}

/**
 * Keys of Kari (Regnskap AS) made through the API and kept for the rest of the run (keys live in
 * the database, so they outlive a server restart). `kind` ACCOUNTANT keys act at clients. Each
 * family asks for its own `pool`, so one family's spent budgets do not blunt the next: keys are
 * free, which is finding 9.
 */
export async function kariKeys(
  ctx: KeyContext,
  kind: 'EMPLOYEE' | 'ACCOUNTANT',
  count: number,
  pool = 'shared',
): Promise<IssuedKey[]> {
  const name = `keys:${kind}:${pool}`;
  const keys = (ctx.shared.get(name) as IssuedKey[] | undefined) ?? [];
  ctx.shared.set(name, keys);
  while (keys.length < count && !ctx.signal.aborted) {
    const n = keys.length;
    const input =
      kind === 'ACCOUNTANT'
        ? {
            employeeId: ctx.world.kari.employeeId,
            applicationId: ctx.world.fikenApplicationId,
            name: `Klientnøkkel ${pool} ${n}`,
            accessMode: 'CUSTOM',
            permissions: ['CUSTOMER_READ', 'INVOICE_READ'],
            accountantKey: true,
          }
        : {
            employeeId: ctx.world.kari.employeeId,
            customApplicationName: 'Budsjettskript',
            name: `Skript ${pool} ${n}`,
            accessMode: 'COPY_EMPLOYEE',
          };
    const answer = await ctx.graphql({
      query: CREATE_KEY,
      variables: { input },
      token: ctx.world.kari.token,
      origin: setupOrigin(1),
    });
    const { createUserKey } = dataOf<{ createUserKey: { token: string; userKey: { id: string } } }>(
      answer,
      `creating ${kind} key ${n}`,
    );
    keys.push({ id: createUserKey.userKey.id, token: createUserKey.token });
  }
  return keys.slice(0, count);
}
