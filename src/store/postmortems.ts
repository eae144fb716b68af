/** postmortem.md of incidents: summarised for `inc show` and `inc list --json`, action items for `inc actions`. */
import { IncError } from '../domain/errors.js';
import type { PostmortemSummaryJson } from '../domain/incident-json.js';
import { type ActionItem, parseActionItems, summarisePostmortem } from '../domain/postmortem.js';
import { type PostmortemFacts, postmortemFacts } from '../domain/postmortem-blocks.js';
import { statOf } from './file-cache.js';
import { incidentFile, incidentPath, listIncidentIds, loadIncident, loadTimeline, parseFrontMatterFile, POSTMORTEM_FILE, readOptionalFile } from './incidents.js';
import type { Project } from './project.js';

/** What the generated blocks of an incident's postmortem are made of, from its files on disk. */
export async function loadPostmortemFacts(project: Project, id: string): Promise<PostmortemFacts> {
  const { incident } = await loadIncident(project, id);
  return postmortemFacts(incident, loadTimeline(project, id));
}

export async function loadPostmortemSummary(project: Project, id: string): Promise<PostmortemSummaryJson | null> {
  if (nothingAt(project, id)) return null;
  const path = incidentPath(id, POSTMORTEM_FILE);
  const text = readOptionalFile(project, path);
  if (text === undefined) return null;
  return summarisePostmortem(await parseFrontMatterFile(text, path));
}

/**
 * True when the incident has no postmortem.md at all (not even a link): most have none, and
 * asking costs less than the exception a failed open throws, for each of 10,000 incidents.
 */
function nothingAt(project: Project, id: string): boolean {
  return statOf(incidentFile(project, id, POSTMORTEM_FILE)) === null;
}

export interface PostmortemActionItems {
  incident: string;
  /** Repository-relative path of postmortem.md. */
  path: string;
  items: ActionItem[];
}

/**
 * The action items of every postmortem, incident by incident (ids sorted, so oldest first).
 * A postmortem that cannot be read is collected as a problem and the others are still read.
 */
export async function loadAllActionItems(project: Project): Promise<{ postmortems: PostmortemActionItems[]; problems: IncError[] }> {
  const postmortems: PostmortemActionItems[] = [];
  const problems: IncError[] = [];
  for (const id of listIncidentIds(project)) {
    if (nothingAt(project, id)) continue;
    const path = incidentPath(id, POSTMORTEM_FILE);
    try {
      const text = readOptionalFile(project, path);
      if (text === undefined) continue;
      const fm = await parseFrontMatterFile(text, path);
      postmortems.push({ incident: id, path, items: parseActionItems(fm.body, fm.bodyStartLine) });
    } catch (error) {
      if (!(error instanceof IncError)) throw error;
      problems.push(error);
    }
  }
  return { postmortems, problems };
}
