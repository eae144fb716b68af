/**
 * Which incident a command acts on: the one named (id, unique prefix or slug word), the one
 * whose folder the command runs in, this clone's current one (kept in .git/inc, out of git)
 * while it is open, or the only open one. Apart from incidents.ts because finding the open
 * ones reads every incident (read-all.ts), which itself reads through incidents.ts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { isIncidentId, matchIncidentIds } from '../domain/ids.js';
import { isClosed } from '../domain/incident.js';
import { writeFileAtomic } from './atomic.js';
import { incidentExists, listIncidentIds, loadIncident, noIncident } from './incidents.js';
import { INCIDENTS_DIR, type Project } from './project.js';

const CURRENT_FILE = 'current';

/** Nothing is open and none was named: `inc status` shows "nothing open" instead of failing. */
export class NoOpenIncidentError extends UsageError {}

/** The id this clone last made current (`inc open`, `inc use`), whether or not it is still open. */
export function getCurrentIncident(project: Project): string | undefined {
  try {
    const id = readFileSync(join(project.stateDir, CURRENT_FILE), 'utf8').trim();
    return isIncidentId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export function setCurrentIncident(project: Project, id: string | undefined): void {
  const path = join(project.stateDir, CURRENT_FILE);
  if (id === undefined) rmSync(path, { force: true });
  else writeFileAtomic(path, `${id}\n`);
}

/** Statuses after which an incident takes no more writes without its id being named. */
export const isClosedStatus = isClosed;

/**
 * Finds the incident an id argument means: the id, a unique prefix of it, or words of its
 * slug. `what` names the argument in messages (`--incident`, `ID`).
 */
export function findIncidentId(project: Project, query: string, what = '--incident'): string {
  if (isIncidentId(query) && incidentExists(project, query)) return query;
  // Ids are lower-case letters, digits and hyphens: anything else (../, a space) names none.
  if (!/^[a-z0-9-]{1,80}$/.test(query.replace(/^(?:\.\/)?incidents\//, '').replace(/\/+$/, ''))) {
    throw new UsageError(`${what} ${query}: not an incident id (YYYY-MM-DD-slug), nor a prefix or a word of one`, 'List incidents with `inc list --all`.');
  }
  const ids = listIncidentIds(project);
  const matches = matchIncidentIds(query, ids);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    if (isIncidentId(query)) throw noIncident(query);
    throw new UsageError(`${what} ${query}: no incident id begins with it or has it in its name`, 'List incidents with `inc list --all`.');
  }
  const shown = matches.slice(-10).reverse();
  throw new UsageError(
    `${what} ${query} matches ${matches.length} incidents`,
    `Give more of the id: ${shown.join(', ')}${matches.length > shown.length ? `, and ${matches.length - shown.length} older` : ''}.`,
  );
}

/** The incident whose folder (or a folder inside it) is the working directory. */
function incidentOfFolder(project: Project): string | undefined {
  if (!project.cwd) return undefined;
  const inside = relative(project.root, project.cwd).split(sep);
  if (inside[0] !== INCIDENTS_DIR || inside[1] === undefined || !isIncidentId(inside[1])) return undefined;
  return incidentExists(project, inside[1]) ? inside[1] : undefined;
}

/**
 * What a command does with the incident: `write` refuses to fall back on a closed current
 * incident; `read` (show, status) shows it when nothing else is open; `review` (postmortem)
 * takes the current one, closed or not, since a postmortem follows the resolution.
 */
export type IncidentUse = 'write' | 'read' | 'review';

export interface ResolveOptions {
  use?: IncidentUse;
  /** How the explicit id was given, for messages: `--incident` (default) or `ID`. */
  what?: string;
  /** Where notes go (a closed incident shown because nothing is open). */
  note?: (text: string) => void;
}

/**
 * Which incident a command acts on: the one named (id, prefix or slug word); else the one
 * whose folder the command runs in; else this clone's current one while it is open; else the
 * only open one. A write never goes to a closed incident unless it is named: it is refused,
 * listing the open ones.
 */
export async function resolveIncidentId(project: Project, explicit: string | undefined, options: ResolveOptions = {}): Promise<string> {
  const use = options.use ?? 'write';
  if (explicit) return findIncidentId(project, explicit, options.what);
  const folder = incidentOfFolder(project);
  if (folder) return folder;

  const current = getCurrentIncident(project);
  let closedCurrent: { id: string; status: string } | undefined;
  if (current && incidentExists(project, current)) {
    if (use === 'review') return current;
    const { incident } = await loadIncident(project, current);
    if (!isClosedStatus(incident.status)) return current;
    closedCurrent = { id: current, status: incident.status };
  }

  // Through the cache of parsed incidents. A broken file is reported by the commands that
  // read it; it is not a candidate here.
  const open = await openIncidentIds(project);
  if (closedCurrent && use === 'write') {
    throw new UsageError(
      `${closedCurrent.id} is ${closedCurrent.status}, so it is no longer the current incident; inc will not write to it unless you name it`,
      open.length === 0
        ? `No incident is open. To add to ${closedCurrent.id}, name it: --incident ${closedCurrent.id}.`
        : `Open: ${open.join(', ')}. Name the one you mean with --incident ID (\`inc use ID\` makes it current), or --incident ${closedCurrent.id} for the ${closedCurrent.status} one.`,
    );
  }
  if (open.length === 1) return open[0]!;
  if (open.length === 0) {
    if (closedCurrent) {
      options.note?.(`${closedCurrent.id} is ${closedCurrent.status} and no incident is open: showing it.`);
      return closedCurrent.id;
    }
    throw new NoOpenIncidentError(
      'no incident is open and none was named',
      'Name one with --incident ID (see `inc list --all`), or declare one with `inc open`.',
    );
  }
  throw new UsageError(
    `${open.length} incidents are open and ${closedCurrent ? `the current one, ${closedCurrent.id}, is ${closedCurrent.status}` : 'this clone has no current one'}`,
    `Name one with --incident ID, or make one current with \`inc use ID\`: ${open.join(', ')}`,
  );
}

/** The ids of the incidents not closed, in id order (oldest first). */
export async function openIncidentIds(project: Project): Promise<string[]> {
  const { loadAllIncidents } = await import('./read-all.js');
  return (await loadAllIncidents(project)).records.filter((r) => !isClosedStatus(r.incident.status)).map((r) => r.incident.id);
}
