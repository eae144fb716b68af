/**
 * "Did you mean": only for real near-misses, as git does. A suggestion that is not one (`use`
 * answered with `sev`, `edit` with `init`) sends a responder the wrong way mid-incident, so
 * the bar is tight: one edit (a letter added, dropped, changed, or two swapped) for words of
 * up to four letters, two for longer ones; or the start of a name, three letters or more.
 */

/** Edits between a and b, where swapping two neighbouring letters is one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The names `typed` most likely meant, best first; empty when none is a near miss. */
export function nearMisses(typed: string, names: readonly string[]): string[] {
  const word = typed.toLowerCase();
  if (word === '') return [];
  const allowed = word.length <= 4 ? 1 : 2;
  const scored = names
    .map((name) => ({ name, distance: name.startsWith(word) && word.length >= 3 ? 0 : editDistance(word, name.toLowerCase()) }))
    .filter(({ distance }) => distance <= allowed);
  const best = Math.min(...scored.map(({ distance }) => distance));
  return scored.filter(({ distance }) => distance === best).map(({ name }) => name);
}
