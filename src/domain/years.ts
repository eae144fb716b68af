/**
 * The years inc reads in incident files. A time outside them is a typo or an attack: two
 * incidents dated 0100 and 9999 once made `inc stats` lay out 119,000 months. Reports lay
 * out at most these years' months.
 */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2199;
const FIRST_MS = Date.UTC(FIRST_YEAR, 0, 1);
const AFTER_LAST_MS = Date.UTC(LAST_YEAR + 1, 0, 1);

/** Why a time cannot be an incident's, or undefined when its year is in range. */
export function yearProblem(epochMs: number): string | undefined {
  // Compared as numbers first: readers ask for every time of every file, and a Date each showed.
  if (epochMs >= FIRST_MS && epochMs < AFTER_LAST_MS) return undefined;
  const year = new Date(epochMs).getUTCFullYear();
  if (year >= FIRST_YEAR && year <= LAST_YEAR) return undefined;
  return `the year ${year} is outside the years inc reads (${FIRST_YEAR} to ${LAST_YEAR})`;
}
