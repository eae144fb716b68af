/** postmortem.md of an incident, summarised for `inc show` and `inc list --json`. */
import type { PostmortemSummaryJson } from '../domain/incident-json.js';
import { summarisePostmortem } from '../domain/postmortem.js';
import { incidentPath, parseFrontMatterFile, POSTMORTEM_FILE, readOptionalFile } from './incidents.js';
import type { Project } from './project.js';

export async function loadPostmortemSummary(project: Project, id: string): Promise<PostmortemSummaryJson | null> {
  const path = incidentPath(id, POSTMORTEM_FILE);
  const text = readOptionalFile(project, path);
  if (text === undefined) return null;
  return summarisePostmortem(await parseFrontMatterFile(text, path));
}
