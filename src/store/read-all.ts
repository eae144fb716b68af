/**
 * Reading every incident of the repository for list, stats, open's service prompt and the
 * search for the one open incident. A file that cannot be read is collected as a problem
 * (file and line) and the rest are still read. Unchanged files are taken from this clone's
 * cache of parsed incidents (incident-cache.ts).
 */
import { FileError, IncError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import { statOf } from './file-cache.js';
import { IncidentCache } from './incident-cache.js';
import { INCIDENT_FILE, incidentFile, incidentPath, listIncidentIds, loadIncidentAndStat } from './incidents.js';
import type { Project } from './project.js';
import { visible } from '../domain/sanitise.js';

export interface IncidentRecord {
  incident: Incident;
  /** Repository-relative path of incident.md. */
  path: string;
  keyLines: Record<string, number>;
}

export interface ReadAllResult {
  records: IncidentRecord[];
  problems: IncError[];
}

export async function loadAllIncidents(project: Project): Promise<ReadAllResult> {
  const records: IncidentRecord[] = [];
  const problems: IncError[] = [];
  // Unchanged files come from the cache: parsing 10,000 of them takes most of a second.
  const cache = new IncidentCache(project.stateDir, project.fileClock());
  for (const id of listIncidentIds(project)) {
    const path = incidentPath(id, INCIDENT_FILE);
    if (cache.has(id)) {
      // Whether the entry holds is a question for the file's stat, asked without reading it.
      const stat = statOf(incidentFile(project, id, INCIDENT_FILE));
      const cached = stat && cache.get(id, stat);
      if (cached) {
        records.push({ incident: cached.incident, path, keyLines: cached.keyLines });
        continue;
      }
    }
    try {
      // The stat of a file read comes from the open file, before the read: a later change shows.
      const read = loadIncidentAndStat(project, id, project.saveCaches);
      const { loaded, stat } = read instanceof Promise ? await read : read;
      const keyLines = cache.intern(loaded.frontMatter.keyLines);
      records.push({ incident: loaded.incident, path: loaded.path, keyLines });
      if (stat) cache.set(id, stat, { incident: loaded.incident, keyLines });
    } catch (error) {
      if (error instanceof IncError) problems.push(error);
      else if (error instanceof Error) problems.push(new FileError(path, 1, error.message));
      else throw error;
    }
  }
  if (project.saveCaches) cache.save();
  return { records, problems };
}

/** Prints read problems as warnings on stderr: `inc: warning: path:line: message (skipped)`. */
export function warnProblems(stderr: { write(text: string): unknown }, problems: IncError[]): void {
  // A message quotes the file's text: shown visibly, on one line (domain/sanitise.ts).
  for (const problem of problems) stderr.write(`${visible(`inc: warning: ${problem.message} (skipped)`)}\n`);
}
