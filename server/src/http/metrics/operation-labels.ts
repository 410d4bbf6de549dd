/**
 * Operation names as label values. The names are chosen by clients, so they are kept only when
 * they are GraphQL names, and only the first `max` distinct ones: a client sending a new name per
 * request would otherwise make a new time series per request.
 */
export class OperationLabels {
  /** No operation was resolved (the request failed before, or named none that the document has). */
  static readonly UNKNOWN = 'unknown';
  /** An operation without a name. */
  static readonly ANONYMOUS = 'anonymous';
  /** Names beyond the first `max`. */
  static readonly OTHER = 'other';

  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** The label of a resolved operation's name (null or undefined: an anonymous operation). */
  of(name: string | null | undefined): string {
    if (!name) return OperationLabels.ANONYMOUS;
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) return OperationLabels.UNKNOWN;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return OperationLabels.OTHER;
    this.seen.add(name);
    return name;
  }
}
