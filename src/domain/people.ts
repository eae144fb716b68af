/**
 * Names of people (roles, `--by`): compared as people read them, so that `--commander bob`
 * after `--commander Bob` is no handoff. The spelling kept is the first one given.
 */

function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/** True when two names are the same person's as typed: letter case and spacing aside. */
export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/** The spelling already on record for this name, if any; else the name as given. */
export function firstSpelling(name: string, known: readonly (string | null | undefined)[]): string {
  return known.find((k): k is string => typeof k === 'string' && sameName(k, name)) ?? name;
}
