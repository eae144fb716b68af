/** The JSON shape scripts rely on (`inc describe show` lists its fields). */
import { formatInterruption, type Incident, incidentFields, recoveredBeforeDetection } from './incident.js';
import { incidentMetrics, type IncidentMetrics } from './metrics.js';
import { minutesBetween, roundMinutes, toIsoUtc } from './time.js';
import type { CorrectedEntry } from './corrections.js';

export interface PostmortemSummaryJson {
  status: string;
  action_items: { total: number; done: number };
}

export interface TimelineEntryJson {
  at: string;
  text: string;
  author: string;
  kind: string | null;
  /** Its stable name, for `inc amend` and `inc retract`. */
  ref: string;
  amended: boolean;
  superseded: boolean;
}

/** A timeline entry as the JSON shows it: the time in UTC ISO form, the text as corrected. */
export function timelineEntryJson(e: CorrectedEntry): TimelineEntryJson {
  return { at: toIsoUtc(e.at), text: e.text, author: e.author, kind: e.kind, ref: e.ref, amended: e.amended, superseded: e.superseded };
}

export function incidentJson(
  incident: Incident,
  postmortem: PostmortemSummaryJson | null,
  timeline?: CorrectedEntry[],
): Record<string, unknown> {
  const json: Record<string, unknown> = { ...incident.extra, ...incidentFields(incident), ...historyJson(incident) };
  if (timeline) {
    json.timeline = timeline.map(timelineEntryJson);
  }
  json.metrics = metricsJson(incidentMetrics(incident));
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

/**
 * The keys of what real incidents do besides the textbook, present in every incident's JSON
 * (null or empty where it did not happen) so that scripts need not test for them.
 */
export function historyJson(incident: Incident): Record<string, unknown> {
  const { triggered, started } = incident.milestones;
  return {
    triggered_at: triggered === undefined ? null : toIsoUtc(triggered),
    trigger_ref: incident.triggerRef,
    trigger_to_impact: triggered === undefined || started === undefined || started < triggered ? null : roundMinutes(minutesBetween(triggered, started)),
    recovered_before_detection: recoveredBeforeDetection(incident.milestones),
    relapses: incident.relapses.length,
    relapse_history: incident.relapses.map(formatInterruption),
    reopens: incident.reopens.length,
    reopen_history: incident.reopens.map(formatInterruption),
    duplicate_of: incident.duplicateOf,
    closed_at: incident.closedAt === null ? null : toIsoUtc(incident.closedAt),
  };
}
