/**
 * The write that milestones, severity, roles and status updates share: incident.md changed and
 * rows appended to timeline.md, in one commit. incident.md is read again under the write lock,
 * so a change another responder committed meanwhile is the one built upon; the timeline is
 * appended to as text (its rows need no parsing to add one).
 */
import type { LoadedIncident } from '../store/incidents.js';
import { incidentPath, loadIncident, readOptionalFile, TIMELINE_FILE } from '../store/incidents.js';
import type { Identity } from '../store/git.js';
import type { Project } from '../store/project.js';
import { writeAndCommit, type WriteResult } from '../store/write.js';
import { appendTimelineRows, type TimelineEntry } from '../domain/timeline.js';

export interface IncidentChange {
  /** The new text of incident.md. */
  incidentText: string;
  rows: TimelineEntry[];
  /** Commit message: names the incident and the action. */
  message: string;
}

export async function changeIncident(
  project: Project,
  id: string,
  noCommit: boolean,
  /** Returns null where there is nothing to change: then nothing is written or committed. */
  plan: (loaded: LoadedIncident, author: Identity) => IncidentChange | null,
): Promise<WriteResult> {
  return writeAndCommit(project, { noCommit }, async ({ author }) => {
    const loaded = await loadIncident(project, id);
    const change = plan(loaded, author);
    if (change === null) return { files: [], message: '' };
    const timelinePath = incidentPath(id, TIMELINE_FILE);
    return {
      files: [
        { path: loaded.path, content: change.incidentText },
        { path: timelinePath, content: appendTimelineRows(readOptionalFile(project, timelinePath) ?? '', change.rows) },
      ],
      message: change.message,
    };
  });
}
