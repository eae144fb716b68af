/**
 * Reading every incident of the repository for list, stats and check. A file that cannot be
 * read is collected as a problem (file and line) and the rest are still read.
 */
import { FileError, IncError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import { listIncidentIds, loadIncident } from './incidents.js';
import type { Project } from './project.js';

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
  for (const id of listIncidentIds(project)) {
    try {
      const loaded = await loadIncident(project, id);
      records.push({ incident: loaded.incident, path: loaded.path, keyLines: loaded.frontMatter.keyLines });
    } catch (error) {
      if (error instanceof IncError) problems.push(error);
      else if (error instanceof Error) problems.push(new FileError(`incidents/${id}/incident.md`, 1, error.message));
      else throw error;
    }
  }
  return { records, problems };
}

/** Prints read problems as warnings on stderr: `inc: warning: path:line: message`. */
export function warnProblems(stderr: { write(text: string): unknown }, problems: IncError[]): void {
  for (const problem of problems) stderr.write(`inc: warning: ${problem.message} (skipped)\n`);
}
