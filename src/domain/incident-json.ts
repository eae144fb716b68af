/** The JSON shape scripts rely on (`inc describe show` lists its fields). */
import { type Incident, incidentFields } from './incident.js';
import { computeMetrics } from './metrics.js';
import { toIsoUtc } from './time.js';
import type { TimelineEntry } from './timeline.js';

export interface PostmortemSummaryJson {
  status: string;
  action_items: { total: number; done: number };
}

export interface TimelineEntryJson {
  at: string;
  text: string;
  author: string;
  kind: string | null;
}

/** A timeline entry as the JSON shows it: the time in UTC ISO form. */
export function timelineEntryJson(e: TimelineEntry): TimelineEntryJson {
  return { at: toIsoUtc(e.at), text: e.text, author: e.author, kind: e.kind };
}

export function incidentJson(
  incident: Incident,
  postmortem: PostmortemSummaryJson | null,
  timeline?: TimelineEntry[],
): Record<string, unknown> {
  const json: Record<string, unknown> = { ...incident.extra, ...incidentFields(incident) };
  if (timeline) {
    json.timeline = timeline.map(timelineEntryJson);
  }
  json.metrics = computeMetrics(incident.milestones);
  json.postmortem = postmortem;
  return json;
}
