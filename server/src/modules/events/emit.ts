import type { EntityManager } from 'typeorm';
import { newId } from '../../shared/ids';
import type { NewAccessEvent } from './event-types';
import { dialectOf, jsonRowSource, sqlTime, type Dialect } from './outbox-sql';

const COLUMNS = [
  { name: 'id', type: 'VARCHAR(32)' },
  { name: 'type', type: 'VARCHAR(60)' },
  { name: 'at', type: 'VARCHAR(30)' },
  { name: 'company_id', type: 'VARCHAR(32)' },
  { name: 'counterpart_company_id', type: 'VARCHAR(32)' },
  { name: 'data', type: 'LONGTEXT' },
] as const;

const statements = new Map<Dialect, string>();

function insertStatement(dialect: Dialect): string {
  let sql = statements.get(dialect);
  if (!sql) {
    const source = jsonRowSource(dialect, COLUMNS);
    const names = COLUMNS.map((c) => c.name);
    sql = `INSERT INTO access_event (${names.join(', ')}) SELECT ${names.map(source.col).join(', ')} FROM ${source.from}`;
    statements.set(dialect, sql);
  }
  return sql;
}

/** What a key secret, a session token or a webhook secret looks like, wherever it hides in a value. */
const SECRET_SHAPE = /\b(nkl|nks)_[0-9A-Za-z]{20,}|\bwhsec_[A-Za-z0-9+/=]{16,}/;

/** R35: an event's data holds ids, never a secret — a programming error if it ever does. */
function assertNoSecret(event: NewAccessEvent, json: string): void {
  if (SECRET_SHAPE.test(json)) {
    throw new Error(`An access event (${event.type}) must not carry a secret; put the key's id in its data instead.`);
  }
}

/**
 * R35: writes access events in the caller's transaction (`manager` is the transaction's), so a
 * change and its events commit or roll back together. One statement however many events: the
 * rows travel as one JSON parameter. The relay numbers and delivers them after the commit.
 */
export async function emitAccessEvents(
  manager: EntityManager,
  events: readonly NewAccessEvent[],
  at: Date = new Date(),
): Promise<void> {
  if (!events.length) return;
  const time = sqlTime(at);
  const rows = events.map((event) => {
    const data = JSON.stringify(event.data);
    assertNoSecret(event, data);
    const counterpart = event.counterpartCompanyId === event.companyId ? null : (event.counterpartCompanyId ?? null);
    return [newId('accessEvent'), event.type, time, event.companyId, counterpart, data];
  });
  await manager.query(insertStatement(dialectOf(manager)), [JSON.stringify(rows)]);
}

/** R35: `emitAccessEvents` for a single event. */
export function emitAccessEvent(manager: EntityManager, event: NewAccessEvent, at?: Date): Promise<void> {
  return emitAccessEvents(manager, [event], at);
}
