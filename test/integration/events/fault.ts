import type { TestApp } from '../../testkit/app';

const TRIGGER = 'test_audit_fault';

/**
 * Runs `change` with a fault injected into its transaction: the database refuses to write the
 * audit record of `action` (a trigger), which every service writes after the change and its
 * events — so the change fails after emitting, as any later failure in its transaction would.
 */
export async function injectAuditFault<T>(app: TestApp, action: string, change: () => Promise<T>): Promise<T> {
  if (!/^[A-Za-z.]+$/.test(action)) throw new Error(`not an audit action: ${action}`);
  const db = app.server.db;
  await db.manager.query(
    db.dialect === 'mysql'
      ? `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON audit_event FOR EACH ROW BEGIN
           IF NEW.action = '${action}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected fault'; END IF; END`
      : `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON audit_event WHEN NEW.action = '${action}'
           BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
  );
  try {
    return await change();
  } finally {
    await db.manager.query(`DROP TRIGGER ${TRIGGER}`);
  }
}
