import { nameKey, nameSkeleton, normalizeName } from '../../server/src/shared/names';

/** Names that cannot lie: normalisation, refused characters and look-alike keys (UTS #39). */

test('“Kun lese”, “Kun Iese” and “Kun lеse” share one look-alike key; “Kun lesa” does not', () => {
  const [plain, capitalI, cyrillic] = ['Kun lese', 'Kun Iese', 'Kun lеse'].map(nameKey);
  expect(capitalI).toBe(plain);
  expect(cyrillic).toBe(plain);
  expect(nameKey('Kun lesa')).not.toBe(plain);
  expect(plain).toMatch(/^[0-9a-f]{64}$/);
});

test('the skeleton follows Unicode’s confusables table (digits and letters that look alike)', () => {
  expect(nameSkeleton('0')).toBe(nameSkeleton('O'));
  expect(nameSkeleton('paypal')).toBe(nameSkeleton('pаypаl')); // Cyrillic а
  expect(nameSkeleton('Bokføring')).not.toBe(nameSkeleton('Bokforing'));
});

test('normalisation: NFC, every run of spaces one ordinary space, trimmed; the key ignores how it was typed', () => {
  expect(normalizeName('  Bokfo\u0308ring\u00A0\u2003 AS ')).toEqual({ value: 'Bokföring AS', problem: null });
  expect(nameKey('Bokfo\u0308ring  AS')).toBe(nameKey('Bokföring AS'));
});

test.each([
  ['right-to-left override', '\u202E'],
  ['left-to-right isolate', '\u2066'],
  ['zero-width space', '\u200B'],
  ['zero-width joiner', '\u200D'],
  ['byte order mark', '\uFEFF'],
  ['soft hyphen', '\u00AD'],
  ['control', '\u0001'],
  ['tab', '\t'],
  ['line separator', '\u2028'],
  ['Hangul filler', '\u3164'],
  ['variation selector', '\uFE0F'],
  ['tag character', '\u{E0041}'],
  ['private use', '\uE000'],
])('a name holding a %s is refused', (_what, char) => {
  expect(normalizeName(`Kun${char}lese`).problem).toMatch(/invisible, control or text-direction/);
});

test('ordinary names in any script pass unchanged', () => {
  for (const name of [
    'Regnskap AS',
    'Bakeri Hansen AS',
    'Ærlig Øl & Ål',
    'Þórður ehf.',
    'Σπίτι',
    '東京会計',
    'Kafé 42',
  ]) {
    expect(normalizeName(name)).toEqual({ value: name, problem: null });
  }
});
