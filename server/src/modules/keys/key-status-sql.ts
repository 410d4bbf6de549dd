import { UserKeyStatus } from './user-key.entity';

/**
 * R10/R11 in SQL: what each status of a key means, for the key row under `alias`, at the time
 * bound to the one `?` a clause may hold (revoked has none). The one place hand-written statements
 * take it from, so the overview's filter, the unused-key sweep and the events of a reduction agree
 * on which keys are live.
 */
export function keyStatusSql(alias: string): Readonly<Record<UserKeyStatus, string>> {
  return {
    [UserKeyStatus.REVOKED]: `${alias}.revoked_at IS NOT NULL`,
    [UserKeyStatus.EXPIRED]: `${alias}.revoked_at IS NULL AND ${alias}.expires_at IS NOT NULL AND ${alias}.expires_at <= ?`,
    [UserKeyStatus.ACTIVE]: `${alias}.revoked_at IS NULL AND (${alias}.expires_at IS NULL OR ${alias}.expires_at > ?)`,
  };
}
