/**
 * Incident folders on disk: incidents/<id>/{incident.md,timeline.md,postmortem.md}, the list
 * of ids, and which incident is this clone's current one (kept in .git/inc, out of git).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, type Stats } from 'node:fs';
import { statOf } from './file-cache.js';
import { join, relative, sep } from 'node:path';
import { FileError, IncError, UsageError } from '../domain/errors.js';
import { type FrontMatter, parseFrontMatter, quoteForMessage } from '../domain/frontmatter.js';
import { isIncidentId, matchIncidentIds } from '../domain/ids.js';
import { type Incident, incidentFromFrontMatter } from '../domain/incident.js';
import { type ParsedTimeline, parseTimeline } from '../domain/timeline.js';
import { writeFileAtomic } from './atomic.js';
import { absolutePath, ifPresent, INCIDENTS_DIR, type Project, readRepoFile, readRepoFileAndStat, replaceLink, trustFolder } from './project.js';

export const INCIDENT_FILE = 'incident.md';
export const TIMELINE_FILE = 'timeline.md';
export const POSTMORTEM_FILE = 'postmortem.md';

/** Repository-relative path of one of an incident's files. */
export function incidentPath(id: string, file?: string): string {
  return file ? `${INCIDENTS_DIR}/${id}/${file}` : `${INCIDENTS_DIR}/${id}`;
}

/**
 * Absolute path of a file of an incident (or of its folder). An id is one path segment
 * ([0-9a-z-]), so plain concatenation gives what join() would without its normalising: list
 * and stats ask 20,000 times, and join() showed in their profiles.
 */
export function incidentFile(project: Pick<Project, 'root'>, id: string, file?: string): string {
  if (!isIncidentId(id)) return join(project.root, ...incidentPath(id, file).split('/'));
  const root = project.root.endsWith(sep) ? project.root : project.root + sep;
  return file ? `${root}${INCIDENTS_DIR}${sep}${id}${sep}${file}` : `${root}${INCIDENTS_DIR}${sep}${id}`;
}

export function incidentExists(project: Project, id: string): boolean {
  return existsSync(absolutePath(project, incidentPath(id, INCIDENT_FILE)));
}

/** Every incident id in the repository, sorted (ids start with their date). */
export function listIncidentIds(project: Project): string[] {
  const dir = absolutePath(project, INCIDENTS_DIR);
  let isLink: boolean;
  try {
    isLink = lstatSync(dir).isSymbolicLink();
  } catch {
    return []; // no incidents/ yet
  }
  // A linked incidents/ (a hostile pull request's `incidents -> /`) is not listed.
  if (isLink) {
    throw new FileError(INCIDENTS_DIR, 1, 'is a symbolic link; inc reads incidents only from a real folder of the repository', `${replaceLink('folder')}.`);
  }
  trustFolder(dir);
  // Dirents tell real folders from links without a system call each; linked ones are skipped.
  const ids = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isIncidentId(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const id of ids) trustFolder(`${dir}${sep}${id}`); // dir is normalised: this is join()'s result
  return ids;
}

/**
 * Parses front matter, loading the full YAML reader only for files the fast reader declines.
 * No promise where nothing is waited for: the fast reader is synchronous, and a promise and
 * an await for each of 10,000 files showed in a cold listing.
 */
function frontMatterOf(text: string, file: string): FrontMatter | Promise<FrontMatter> {
  return parseFrontMatter(text, file) ?? import('../domain/yaml-document.js').then(({ readYamlMapping }) => parseFrontMatter(text, file, readYamlMapping)!);
}

export async function parseFrontMatterFile(text: string, file: string): Promise<FrontMatter> {
  return frontMatterOf(text, file);
}

export interface LoadedIncident {
  incident: Incident;
  frontMatter: FrontMatter;
  /** The file's text as read, so that writers can update it and rollbacks restore it. */
  text: string;
  path: string;
}

export async function loadIncident(project: Project, id: string): Promise<LoadedIncident> {
  return (await loadIncidentAndStat(project, id)).loaded;
}

export interface IncidentRead {
  loaded: LoadedIncident;
  /** The file's identity as it was read (see readRepoFileAndStat), for the cache. */
  stat: Stats | undefined;
}

/**
 * loadIncident for the cache of parsed incidents: also the identity of the file as it was
 * read, and a promise only for a file that needs the full YAML reader (see frontMatterOf).
 */
export function loadIncidentAndStat(project: Project, id: string): IncidentRead | Promise<IncidentRead> {
  const path = incidentPath(id, INCIDENT_FILE);
  const read = ifPresent(() => readRepoFileAndStat(incidentFile(project, id, INCIDENT_FILE), path));
  if (read === undefined) throw noIncident(id);
  const done = (frontMatter: FrontMatter): IncidentRead => ({ loaded: incidentOf(frontMatter, read.text, id, path), stat: read.stat });
  const frontMatter = frontMatterOf(read.text, path);
  return frontMatter instanceof Promise ? frontMatter.then(done) : done(frontMatter);
}

function noIncident(id: string): IncError {
  return new IncError(`no incident ${id} (${incidentPath(id, INCIDENT_FILE)} does not exist)`, 1, 'List incidents with `inc list --all`.');
}

function incidentOf(frontMatter: FrontMatter, text: string, id: string, path: string): LoadedIncident {
  const incident = incidentFromFrontMatter(frontMatter, path);
  if (incident.id !== id) {
    throw new FileError(path, frontMatter.keyLines.id ?? 1, `id is ${quoteForMessage(incident.id)} but the folder is "${id}"`, 'Make the id in the front matter match the folder name.');
  }
  return { incident, frontMatter, text, path };
}

export interface LoadedTimeline extends ParsedTimeline {
  text: string;
  path: string;
}

export function loadTimeline(project: Project, id: string): LoadedTimeline {
  const path = incidentPath(id, TIMELINE_FILE);
  const text = readIfPresent(absolutePath(project, path), path) ?? '';
  return { ...parseTimeline(text, path), text, path };
}

export function readOptionalFile(project: Project, relativePath: string): string | undefined {
  return readIfPresent(absolutePath(project, relativePath), relativePath);
}

/**
 * Like readOptionalFile, for a file that is usually absent (most incidents have no
 * postmortem.md): a stat that cannot fail answers first, since a failed open throws, and
 * 10,000 thrown errors showed in the profile of a cold `inc check`.
 */
export function readSparseFile(project: Project, relativePath: string): string | undefined {
  const absolute = absolutePath(project, relativePath);
  return statOf(absolute) === null ? undefined : readIfPresent(absolute, relativePath);
}

/** A file's text, or undefined where there is none. */
function readIfPresent(absolute: string, displayPath: string): string | undefined {
  return ifPresent(() => readRepoFile(absolute, displayPath));
}

/** Kept here too for the modules that import them from incidents.js. */
export { absolutePath, ifPresent };

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
const CLOSED_STATUSES = new Set(['resolved', 'declined', 'duplicate']);

export function isClosedStatus(status: string): boolean {
  return CLOSED_STATUSES.has(status);
}

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
