/**
 * Response figures of one incident, in minutes (fractions kept), as SPEC.md defines them.
 * A figure is null where a timestamp is missing or where the milestones are out of order:
 * never a negative time.
 */
import type { Milestone, Milestones } from './incident.js';
import { minutesBetween } from './time.js';

export const FIGURES = ['ttd', 'tta', 'ttm', 'ttr', 'impact'] as const;
export type Figure = (typeof FIGURES)[number];
export type IncidentMetrics = Record<Figure, number | null>;

export const FIGURE_DEFINITIONS: Record<Figure, { name: string; from: Milestone; to: string }> = {
  ttd: { name: 'time to detect', from: 'started', to: 'detected_at' },
  tta: { name: 'time to acknowledge', from: 'detected', to: 'acknowledged_at' },
  ttm: { name: 'time to mitigate', from: 'detected', to: 'mitigated_at' },
  ttr: { name: 'time to resolve', from: 'detected', to: 'resolved_at' },
  impact: { name: 'impact', from: 'started', to: 'mitigated_at (resolved_at where never mitigated)' },
};

function span(from: number | undefined, to: number | undefined): number | null {
  if (from === undefined || to === undefined || to < from) return null;
  return minutesBetween(from, to);
}

export function computeMetrics(m: Milestones): IncidentMetrics {
  return {
    ttd: span(m.started, m.detected),
    tta: span(m.detected, m.acknowledged),
    ttm: span(m.detected, m.mitigated),
    ttr: span(m.detected, m.resolved),
    impact: span(m.started, m.mitigated ?? m.resolved),
  };
}

/** Figures that are missing only because their milestones are out of order. */
export function unusableFigures(m: Milestones): Figure[] {
  const pairs: Record<Figure, [number | undefined, number | undefined]> = {
    ttd: [m.started, m.detected],
    tta: [m.detected, m.acknowledged],
    ttm: [m.detected, m.mitigated],
    ttr: [m.detected, m.resolved],
    impact: [m.started, m.mitigated ?? m.resolved],
  };
  return FIGURES.filter((f) => {
    const [from, to] = pairs[f];
    return from !== undefined && to !== undefined && to < from;
  });
}
