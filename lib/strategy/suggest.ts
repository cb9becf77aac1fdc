/**
 * "Did you mean ...?" for misspelt names: the closest candidate by edit distance (insertions,
 * deletions, substitutions and transpositions of adjacent letters), when it is close enough to
 * be a likely typo.
 *
 * @module
 */

/** Optimal string alignment distance between two strings (Damerau-Levenshtein, restricted). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j] + 1,
        d[i * cols + j - 1] + 1,
        d[(i - 1) * cols + j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The candidate closest to a misspelt name, or null when none is close: at most 2 edits, or a
 * third of the name's length for long names (case ignored; ties: the first candidate).
 *
 * @param name the name given
 * @param candidates the valid names
 * @returns the likely intended name, or null
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closestName } from "./suggest.ts";
 * assert.equal(closestName("exits", ["strategy", "entry", "exit"]), "exit");
 * assert.equal(closestName("stop_los_pct", ["profit_target_pct", "stop_loss_pct"]), "stop_loss_pct");
 * assert.equal(closestName("colour", ["strategy", "entry"]), null);
 * ```
 */
export function closestName(name: string, candidates: readonly string[]): string | null {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = editDistance(name.toLowerCase(), c.toLowerCase());
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : null;
}
