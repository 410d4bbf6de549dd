import type { EntityManager } from 'typeorm';
import { dialectOf, jsonRowSource, sqlTime, type Dialect } from '../../db/dialect';
import { newId } from '../../shared/ids';
import type { NewAccessEvent } from './event-types';

const COLUMNS = [
  { name: 'id', type: 'VARCHAR(32)' },
  { name: 'type', type: 'VARCHAR(60)' },
  { name: 'at', type: 'VARCHAR(30)' },
  { name: 'company_id', type: 'VARCHAR(32)' },
  { name: 'counterpart_company_id', type: 'VARCHAR(32)' },
  { name: 'data', type: 'LONGTEXT' },
] as const;

/** A SELECT giving access_event rows (id, type, at, company_id, counterpart_company_id, data). */
export interface EventRowsSelect {
  sql: string;
  params: unknown[];
}

const INSERT = `INSERT INTO access_event (${COLUMNS.map((c) => c.name).join(', ')})`;

/** Given events as a SELECT over one JSON parameter, however many there are. */
export function eventRowsSelect(dialect: Dialect, events: readonly NewAccessEvent[], at: Date): EventRowsSelect | null {
  if (!events.length) return null;
  const time = sqlTime(at);
  const rows = events.map((event) => {
    const data = JSON.stringify(event.data);
    assertNoSecret(event, data);
    const counterpart = event.counterpartCompanyId === event.companyId ? null : (event.counterpartCompanyId ?? null);
    return [newId('accessEvent'), event.type, time, event.companyId, counterpart, data];
  });
  const source = jsonRowSource(dialect, COLUMNS);
  return {
    sql: `SELECT ${COLUMNS.map((c) => source.col(c.name)).join(', ')} FROM ${source.from}`,
    params: [JSON.stringify(rows)],
  };
}

/**
 * R35: writes the rows of several SELECTs with one INSERT (UNION ALL), so a change whose events
 * come from several sources — given ones, and ones computed from the database — still adds a
 * single statement to its transaction, and none when there is nothing to write.
 */
export async function insertEventRows(
  manager: EntityManager,
  selects: readonly (EventRowsSelect | null)[],
): Promise<void> {
  const parts = selects.filter((s): s is EventRowsSelect => s !== null);
  if (!parts.length) return;
  await manager.query(
    `${INSERT} ${parts.map((p) => p.sql).join(' UNION ALL ')}`,
    parts.flatMap((p) => p.params),
  );
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
  await insertEventRows(manager, [eventRowsSelect(dialectOf(manager), events, at)]);
}

/** R35: `emitAccessEvents` for a single event. */
export function emitAccessEvent(manager: EntityManager, event: NewAccessEvent, at?: Date): Promise<void> {
  return emitAccessEvents(manager, [event], at);
}
