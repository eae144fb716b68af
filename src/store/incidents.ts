/**
 * Incident folders on disk: incidents/<id>/{incident.md,timeline.md,postmortem.md} and the
 * list of ids. Which incident a command acts on is current-incident.ts.
 */
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { statOf } from './file-cache.js';
import { join, sep } from 'node:path';
import { FileError, IncError } from '../domain/errors.js';
import { type FrontMatter, parseFrontMatter, quoteForMessage } from '../domain/frontmatter.js';
import { isIncidentId } from '../domain/ids.js';
import { type Incident, incidentFromFrontMatter } from '../domain/incident.js';
import { type ParsedTimeline, parseTimeline } from '../domain/timeline.js';
import { type CorrectedTimeline, incidentTimeline } from '../domain/corrections.js';
import { absolutePath, ifPresent, INCIDENTS_DIR, type Project, readRepoFile, readRepoFileAndStat, replaceLink, trustFolder } from './project.js';
import type { FolderEntry } from '../domain/check.js';

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

/** Every entry directly under incidents/, for `inc check` to report what is not an incident folder. */
export function listIncidentEntries(project: Project): FolderEntry[] {
  const dir = absolutePath(project, INCIDENTS_DIR);
  try {
    if (lstatSync(dir).isSymbolicLink()) return []; // listIncidentIds refuses it
    return readdirSync(dir, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      kind: entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other',
    }));
  } catch {
    return []; // no incidents/ yet
  }
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
 * read (unless `withStat` is false: no cache to keep), and a promise only for a file that
 * needs the full YAML reader (see frontMatterOf).
 */
export function loadIncidentAndStat(project: Project, id: string, withStat = true): IncidentRead | Promise<IncidentRead> {
  const path = incidentPath(id, INCIDENT_FILE);
  const read = ifPresent(() => readRepoFileAndStat(incidentFile(project, id, INCIDENT_FILE), path, withStat));
  if (read === undefined) throw noIncident(id);
  const done = (frontMatter: FrontMatter): IncidentRead => ({ loaded: incidentOf(frontMatter, read.text, id, path), stat: read.stat });
  const frontMatter = frontMatterOf(read.text, path);
  return frontMatter instanceof Promise ? frontMatter.then(done) : done(frontMatter);
}

export function noIncident(id: string): IncError {
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

/**
 * An incident's timeline as readers show it (corrections applied, superseded milestone rows
 * flagged); `problems` holds the rows that could not be read and the corrections that name
 * nothing.
 */
export function loadCorrectedTimeline(project: Project, incident: Pick<Incident, 'id' | 'milestones' | 'relapses' | 'reopens'>): CorrectedTimeline {
  const timeline = loadTimeline(project, incident.id);
  const corrected = incidentTimeline(incident, timeline.entries, timeline.path);
  return { ...corrected, problems: [...timeline.problems, ...corrected.problems] };
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
