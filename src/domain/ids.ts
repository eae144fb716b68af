/**
 * Incident ids: `YYYY-MM-DD-<slug>` from the detection date and the title. Lower-case ASCII
 * letters, digits and hyphens only, so an id is always a safe folder name and branch name.
 */
import { trimWhere } from './text.js';

export const MAX_SLUG_LENGTH = 48;
const ID_PATTERN = /^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugify(title: string): string {
  const hyphenated = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents come apart under NFKD; keep the base letter
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  const ascii = trimWhere(hyphenated, (c) => c === '-');
  if (ascii.length <= MAX_SLUG_LENGTH) return ascii || 'incident';
  // Cut at a word boundary when there is one close enough, never mid-way through a hyphen run.
  const cut = ascii.slice(0, MAX_SLUG_LENGTH);
  const lastHyphen = cut.lastIndexOf('-');
  return trimWhere(lastHyphen > MAX_SLUG_LENGTH / 2 ? cut.slice(0, lastHyphen) : cut, (c) => c === '-');
}

/** The id for an incident detected on `date` (YYYY-MM-DD); `taken` says whether an id exists. */
export function makeIncidentId(date: string, title: string, taken: (id: string) => boolean): string {
  const base = `${date}-${slugify(title)}`;
  if (!taken(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}

export function isIncidentId(text: string): boolean {
  return text.length <= MAX_SLUG_LENGTH + 20 && ID_PATTERN.test(text);
}

/**
 * The ids a person means by `query`: the id itself; else every id it begins (`2026-03-15-pay`);
 * else every id whose slug holds its words in a row (`payment`, `payment-outage`). A folder
 * path as the shell completes it (`incidents/<id>/`) is its id.
 */
export function matchIncidentIds(query: string, ids: readonly string[]): string[] {
  const text = query.trim().toLowerCase().replace(/^(?:\.\/)?incidents\//, '').replace(/\/+$/, '');
  if (text === '') return [];
  if (ids.includes(text)) return [text];
  const byPrefix = ids.filter((id) => id.startsWith(text));
  if (byPrefix.length > 0) return byPrefix;
  const words = `-${text.split(/[^a-z0-9]+/).filter(Boolean).join('-')}-`;
  if (words === '--') return [];
  // The slug starts after `YYYY-MM-DD`: a word of the title never matches part of the date.
  return ids.filter((id) => `${id.slice(10)}-`.includes(words));
}
