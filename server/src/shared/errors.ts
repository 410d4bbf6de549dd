import { GraphQLError } from 'graphql';
import { normalizeName } from './names';
import type { Permission } from './permission';
import { stringEnum, type EnumValue } from './string-enum';

/** Every error code the API returns (SPEC section 4), in one place. */
export const ErrorCode = stringEnum([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'PERMISSION_CEILING_EXCEEDED',
  'INTEGRATIONS_NOT_ACTIVE',
  'ACCOUNTANT_KEY_NOT_SUPPORTED',
  'CLIENT_API_ACCESS_DISABLED',
  'BLOCKED_BY_CLIENT',
  'RATE_LIMITED',
  'KEY_POLICY_VIOLATION',
  'NETWORK_NOT_ALLOWED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);
export type ErrorCode = EnumValue<typeof ErrorCode>;

/** HTTP status used when the error ends the whole request (before execution). */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.CLIENT_API_ACCESS_DISABLED]: 403,
  [ErrorCode.BLOCKED_BY_CLIENT]: 403,
  [ErrorCode.INTEGRATIONS_NOT_ACTIVE]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.NETWORK_NOT_ALLOWED]: 403,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

export class NokkelError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    const status = HTTP_STATUS[code];
    super(message, {
      extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) },
    });
    this.code = code;
    this.name = 'NokkelError';
  }
}

export class Unauthenticated extends NokkelError {
  constructor(message = 'A valid session token or key secret is required.') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class Forbidden extends NokkelError {
  constructor(message = 'You do not have access to this.', extensions: Record<string, unknown> = {}) {
    super(ErrorCode.FORBIDDEN, message, extensions);
  }
}

export class NotFound extends NokkelError {
  constructor(what: string, id?: string) {
    super(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found.` : `${what} was not found.`);
  }
}

export class Conflict extends NokkelError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.CONFLICT, message, extensions);
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class BadUserInput extends NokkelError {
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[] | string) {
    const list = typeof problems === 'string' ? [{ field: '', message: problems }] : problems;
    const message = list.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');
    super(ErrorCode.BAD_USER_INPUT, message, { fields: list.filter((p) => p.field) });
    this.problems = list;
  }
}

export class PermissionCeilingExceeded extends NokkelError {
  constructor(permissions: readonly Permission[], whose: string, verb: 'grant' | 'change' = 'grant') {
    super(
      ErrorCode.PERMISSION_CEILING_EXCEEDED,
      `Cannot ${verb} ${permissions.join(', ')}: ${whose} does not have ${permissions.length === 1 ? 'it' : 'them'}.`,
      { permissions: [...permissions] },
    );
  }
}

export class IntegrationsNotActive extends NokkelError {
  constructor(companyName: string) {
    super(
      ErrorCode.INTEGRATIONS_NOT_ACTIVE,
      `The Integrations add-on is not active for ${companyName}. An account or user administrator must activate it first (activateIntegrations).`,
    );
  }
}

export class AccountantKeyNotSupported extends NokkelError {
  constructor(message: string) {
    super(ErrorCode.ACCOUNTANT_KEY_NOT_SUPPORTED, message);
  }
}

export class ClientApiAccessDisabled extends NokkelError {
  constructor() {
    super(
      ErrorCode.CLIENT_API_ACCESS_DISABLED,
      'This client has turned off API access for its accounting office; keys of the office cannot act here.',
    );
  }
}

export class BlockedByClient extends NokkelError {
  constructor() {
    super(
      ErrorCode.BLOCKED_BY_CLIENT,
      'This client has blocked this key, its application or its owner; it cannot act here. Other clients are not affected.',
    );
  }
}

export class RateLimited extends NokkelError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `Too many requests. Retry after ${retryAfterSeconds} s.`, {
      retryAfter: retryAfterSeconds,
    });
  }
}

/** The limit of a company's key policy that a change would break (R29). */
export type KeyPolicyLimit = 'requireExpiry' | 'maxLifetimeDays';

export class KeyPolicyViolation extends NokkelError {
  constructor(limit: KeyPolicyLimit, message: string) {
    super(ErrorCode.KEY_POLICY_VIOLATION, message, { limit });
  }
}

export class NetworkNotAllowed extends NokkelError {
  constructor() {
    super(
      ErrorCode.NETWORK_NOT_ALLOWED,
      'This key may not be used from this network address. Its administrators can change the allowed networks.',
    );
  }
}

/** Collects per-field input problems and throws one BAD_USER_INPUT listing all of them. */
export class InputCheck {
  private readonly problems: FieldProblem[] = [];

  require(ok: boolean, field: string, message: string): this {
    if (!ok) this.problems.push({ field, message });
    return this;
  }

  text(value: string | null | undefined, field: string, { min = 1, max = 100 } = {}): this {
    const length = value?.trim().length ?? 0;
    return this.require(
      // characters are code points (as MySQL/MariaDB count them), not UTF-16 units: an emoji is one
      value != null && length >= min && [...value].length <= max,
      field,
      `must be ${min}–${max} characters`,
    );
  }

  /**
   * A name people will read (a key, an application typed by hand, a template, a client, a
   * customer): normalised (NFC, single spaces, trimmed), min–max characters, and no character that
   * hides or reorders text. Returns the name as it is stored.
   */
  name(value: string | null | undefined, field: string, { min = 1, max = 100 } = {}): string {
    if (value == null) {
      this.problems.push({ field, message: `must be ${min}–${max} characters` });
      return '';
    }
    const { value: name, problem } = normalizeName(value);
    const length = [...name].length;
    this.require(length >= min && length <= max, field, `must be ${min}–${max} characters`);
    if (problem) this.problems.push({ field, message: problem });
    return name;
  }

  /** A Norwegian organisation number, when one is given: exactly 9 digits. */
  orgNumber(value: string | null | undefined, field = 'orgNumber'): this {
    return this.require(value == null || /^\d{9}$/.test(value), field, 'must be 9 digits');
  }

  done(): void {
    if (this.problems.length) throw new BadUserInput(this.problems);
  }
}

export interface ClientFailure {
  clientId: string;
  code: ErrorCode;
  message: string;
}

/** R16: a bulk link where some clients failed; nothing was linked. */
export class BulkLinkFailed extends NokkelError {
  constructor(failures: ClientFailure[], total: number) {
    super(
      ErrorCode.BAD_USER_INPUT,
      `${failures.length} of ${total} clients cannot be linked, so none was linked: ${failures
        .slice(0, 5)
        .map((f) => `${f.clientId} (${f.message})`)
        .join('; ')}${failures.length > 5 ? '; …' : ''}`,
      { failures },
    );
  }
}
