/**
 * Atlassian Statuspage's public API JSON, as any status page serves it and as widgets and
 * monitors read it: /api/v2/incidents.json ({page, incidents}) or /api/v2/summary.json
 * ({page, components, incidents, status}), saved to a file. Each incident becomes one inc
 * incident; each of its updates a timeline entry; the update statuses give the milestones:
 *
 * - detected_at: the incident's created_at (when it was declared on the page);
 * - identified_at: the first `identified` update;
 * - mitigated_at: the first `monitoring` update after which the status never went back to
 *   investigating or identified (a fix that held; an earlier one that did not is a relapse);
 * - resolved_at: the incident's resolved_at (or its last `resolved` update).
 *
 * Statuspage has no acknowledgement and no start of impact: those stay empty, never invented.
 * An update's time is its display_at (what the page shows, which a backfilled update sets),
 * else its created_at. Times carry the page's offset and are stored in UTC.
 */
import { FileError } from '../domain/errors.js';
import type { Milestones } from '../domain/incident.js';
import { KIND } from '../domain/response.js';
import { parseStoredTimestamp, toIsoUtc } from '../domain/time.js';
import { timelineTextProblem } from '../domain/timeline.js';
import { keepOrdered } from './order.js';
import { type ImportBatch, type ImportedEntry, type ImportedIncident, oneLine, type Unread } from './types.js';

/** Statuspage's incident statuses, in the order an incident goes through them. */
export const STATUSPAGE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;

/** Statuspage's impact levels, most severe first: the default severity map follows the matrix's order. */
export const STATUSPAGE_IMPACTS = ['critical', 'major', 'minor', 'none'] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** A component is affected when an update shows it in any state but operational. */
function affectedComponents(incident: Json, updates: Json[]): { names: string[]; operationalOnly: string[] } {
  const names = new Set<string>();
  const listed = new Set<string>();
  for (const component of Array.isArray(incident.components) ? incident.components : []) {
    const name = isObject(component) ? text(component.name) : undefined;
    if (name) names.add(name.trim());
  }
  for (const update of updates) {
    for (const component of Array.isArray(update.affected_components) ? update.affected_components : []) {
      // "No components were affected by this update." comes as a component without a code.
      if (!isObject(component) || !text(component.code)) continue;
      const name = text(component.name)?.trim();
      if (!name) continue;
      listed.add(name);
      const states = [component.old_status, component.new_status];
      if (states.some((state) => typeof state === 'string' && state !== 'operational')) names.add(name);
    }
  }
  return { names: [...names], operationalOnly: [...listed].filter((name) => !names.has(name)) };
}

/** A time with its offset, to the second: what inc stores, so that figures computed here and from the files agree. */
export function readOffsetTime(value: unknown): number | undefined {
  const at = text(value) === undefined ? undefined : parseStoredTimestamp(value as string);
  return at === undefined ? undefined : Math.floor(at / 1000) * 1000;
}

function updateTime(update: Json): number | undefined {
  return readOffsetTime(text(update.display_at) ?? update.created_at);
}

/** The milestones the statuses give, from updates sorted oldest first. */
export function statuspageMilestones(created: number, resolved: number | undefined, updates: { at: number; status: string }[]): Milestones {
  const milestones: Milestones = { detected: created };
  const identified = updates.find((u) => u.status === 'identified');
  if (identified) milestones.identified = identified.at;
  let held: number | undefined;
  for (const update of updates) {
    if (update.status === 'monitoring') held ??= update.at;
    else if (update.status === 'investigating' || update.status === 'identified') held = undefined;
  }
  if (held !== undefined) milestones.mitigated = held;
  const lastResolved = [...updates].reverse().find((u) => u.status === 'resolved');
  const resolvedAt = resolved ?? lastResolved?.at;
  if (resolvedAt !== undefined) milestones.resolved = resolvedAt;
  return milestones;
}

function readIncident(raw: unknown, index: number, file: string, page: Json | undefined, unread: Unread[]): ImportedIncident | undefined {
  const where = (id?: string) => `${file}#${id ?? `incidents[${index}]`}`;
  if (!isObject(raw)) {
    unread.push({ where: where(), why: 'not an incident object' });
    return undefined;
  }
  const id = text(raw.id);
  const name = text(raw.name);
  const created = readOffsetTime(raw.created_at);
  if (!id || !name || created === undefined) {
    const missing = [!id && 'id', !name && 'name', created === undefined && 'a created_at with an offset'].filter(Boolean).join(', ');
    unread.push({ where: where(id), why: `no ${missing}` });
    return undefined;
  }
  const title = oneLine(name);
  const titleProblem = timelineTextProblem(title);
  if (titleProblem) {
    unread.push({ where: where(id), why: `the name cannot be used: ${titleProblem}` });
    return undefined;
  }
  const updates: Json[] = (Array.isArray(raw.incident_updates) ? raw.incident_updates : []).filter(isObject);
  const entries: (ImportedEntry & { status: string })[] = [];
  for (const update of updates) {
    const at = updateTime(update);
    const status = text(update.status) ?? '';
    const body = oneLine(text(update.body) ?? '');
    if (at === undefined) {
      unread.push({ where: `${where(id)}/${text(update.id) ?? 'update'}`, why: 'an update without a readable time (display_at or created_at)' });
      continue;
    }
    const entryText = `Status update (${status || 'no status'}): ${body || '(no text)'}`;
    const problem = timelineTextProblem(entryText);
    if (problem) {
      unread.push({ where: `${where(id)}/${text(update.id) ?? 'update'}`, why: `the update text cannot be kept: ${problem}` });
      continue;
    }
    entries.push({ at, text: entryText, kind: KIND.update, status });
  }
  // The API lists updates newest first; a timeline reads oldest first (stable for equal times).
  entries.sort((a, b) => a.at - b.at);
  const resolved = readOffsetTime(raw.resolved_at);
  const key = `statuspage:${text(raw.page_id) ?? (page && text(page.id)) ?? 'page'}/${id}`;
  const milestones = keepOrdered(statuspageMilestones(created, resolved, entries), where(id), key, unread);
  const { names } = affectedComponents(raw, updates);
  const pageName = page ? text(page.name) : undefined;
  const url = text(raw.shortlink) ?? (page && text(page.url) ? `${text(page.url)!.replace(/\/+$/, '')}/incidents/${id}` : undefined);
  const fields: Record<string, string> = {};
  if (url) fields.source_url = url;
  const postmortem = text(raw.postmortem_body);
  const summary = entries.find((e) => e.status === 'investigating' || e.status === 'identified') ?? entries[0];
  const body = [
    '',
    `# ${title}`,
    '',
    '## Summary',
    '',
    `Imported from ${pageName ? `the ${pageName} status page` : 'a Statuspage page'}${url ? ` (${url})` : ''}, impact ${text(raw.impact) ?? 'not given'}.`,
    ...(summary ? ['', summary.text.replace(/^Status update \([^)]*\): /, '')] : []),
    '',
    '## Status updates',
    '',
    ...entries.map((e) => `- ${toIsoUtc(e.at)}, ${e.status || 'no status'}: ${e.text.replace(/^Status update \([^)]*\): /, '')}`),
    ...(postmortem ? ['', '## Postmortem', '', postmortem.trim()] : []),
    '',
  ].join('\n');
  return {
    key,
    title,
    severityWord: text(raw.impact)?.toLowerCase() ?? null,
    services: names,
    milestones,
    entries: entries.map(({ at, text: t, kind }) => ({ at, text: t, kind })),
    body,
    fields,
    where: where(id),
  };
}

/** Reads an incidents.json or summary.json text; a text that is neither is an error with its file. */
export function parseStatuspage(jsonText: string, file: string): ImportBatch {
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (error) {
    throw new FileError(file, 1, `not JSON (${error instanceof Error ? error.message : String(error)})`, 'Save the page\'s /api/v2/incidents.json as it is served.');
  }
  if (!isObject(data) || !Array.isArray(data.incidents)) {
    throw new FileError(file, 1, 'not a Statuspage incidents.json or summary.json (no "incidents" list)', 'Save the page\'s /api/v2/incidents.json as it is served.');
  }
  const page = isObject(data.page) ? data.page : undefined;
  const unread: Unread[] = [];
  const incidents: ImportedIncident[] = [];
  data.incidents.forEach((raw, index) => {
    const incident = readIncident(raw, index, file, page, unread);
    if (incident) incidents.push(incident);
  });
  const pageName = page ? text(page.name) : undefined;
  return { source: 'statuspage', by: pageName ? `${oneLine(pageName)} status page` : 'status page', incidents, unread };
}
