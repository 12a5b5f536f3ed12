/** Levenshtein distance, small and bounded: only used to suggest a correction for a mistyped name. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** The candidate within 3 edits of `name`, if any (the closest one): the "did you mean …?" of typo hints. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const best = candidates.map((k) => [k, distance(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? best[0] : undefined;
}
