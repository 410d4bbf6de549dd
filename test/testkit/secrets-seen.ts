/** Secrets handed out in this test process (by the API or the seed); no log line may contain one. */
export const issuedSecrets = new Set<string>();
const SECRET = /\b(nkl|nks)_[0-9A-Za-z]{49}\b/g;

export function rememberSecrets(text: string): void {
  for (const m of text.matchAll(SECRET)) issuedSecrets.add(m[0]);
}
