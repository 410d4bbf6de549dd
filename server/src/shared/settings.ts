/** Reading settings from environment values, for the server's configuration and each module's. */

/** An on/off setting (`1|on|true|yes`, `0|off|false|no`); empty or unset: the fallback. */
export function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|on|true|yes)$/i.test(value)) return true;
  if (/^(0|off|false|no)$/i.test(value)) return false;
  throw new Error(`${name} must be on or off (got "${value}")`);
}

/** An integer setting within `min`–`max`; empty or unset: the fallback. */
export function int(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer ${min}–${max} (got "${value}")`);
  return n;
}
