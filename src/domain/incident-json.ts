/** The JSON shape scripts rely on (`inc describe show` lists its fields). */
import { type Incident, incidentFields } from './incident.js';
import { computeMetrics, type IncidentMetrics } from './metrics.js';
import { roundMinutes, toIsoUtc } from './time.js';
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
  json.metrics = metricsJson(computeMetrics(incident.milestones));
  json.postmortem = postmortem;
  return json;
}

/** Figures as JSON carries them: minutes with at most two decimals, null where unknown. */
export function metricsJson(metrics: IncidentMetrics): IncidentMetrics {
  const json = { ...metrics };
  for (const figure of Object.keys(json) as (keyof IncidentMetrics)[]) {
    const value = json[figure];
    if (value !== null) json[figure] = roundMinutes(value);
  }
  return json;
}
