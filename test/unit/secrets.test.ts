import { createHash } from 'node:crypto';
import { KEY_SECRET_PATTERN, hashSecret, issueSecret, recogniseSecret } from '../../server/src/auth/secrets';

describe('secrets', () => {
  test('R8: a key secret carries 256 random bits, is recognised by its checksum, and only its SHA-256 is kept', () => {
    const s = issueSecret('nkl');
    expect(s.token).toMatch(/^nkl_[0-9A-Za-z]{49}$/);
    expect(KEY_SECRET_PATTERN.test(s.token)).toBe(true);
    expect(s.hash).toBe(createHash('sha256').update(s.token).digest('hex'));
    expect(s.hint).toBe(`nkl_…${s.token.slice(-4)}`);
    expect(recogniseSecret(s.token)).toBe('nkl');
  });

  test('secrets do not repeat', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => issueSecret('nkl').token));
    expect(seen.size).toBe(2000);
  });

  test('a changed character, a wrong prefix or a wrong length fails the checksum before any lookup', () => {
    const { token } = issueSecret('nkl');
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(recogniseSecret(flipped)).toBeNull();
    expect(recogniseSecret(token.replace('nkl_', 'nks_'))).toBeNull();
    expect(recogniseSecret(token + 'x')).toBeNull();
    expect(recogniseSecret('nkl_' + 'A'.repeat(49))).toBeNull();
    expect(hashSecret('x')).toHaveLength(64);
  });

  test('sessions have their own prefix', () => {
    expect(recogniseSecret(issueSecret('nks').token)).toBe('nks');
  });
});
