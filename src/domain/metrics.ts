/**
 * Response figures of one incident, in minutes (fractions kept), as docs/metrics.md defines them.
 * A figure is null where a timestamp is missing or where the milestones are out of order:
 * never a negative time.
 */
import { type Milestone, milestoneKey, type Milestones } from './incident.js';
import { minutesBetween } from './time.js';

export const FIGURES = ['ttd', 'tta', 'ttm', 'ttr', 'impact'] as const;
export type Figure = (typeof FIGURES)[number];
export type IncidentMetrics = Record<Figure, number | null>;

export interface FigureDefinition {
  /** What the figure measures, as the stats reports name it. */
  name: string;
  /** Its row in a postmortem's metrics table. */
  label: string;
  from: Milestone;
  /** Where it ends: the first of these milestones that is set. */
  to: readonly Milestone[];
}

/** The one place that says which milestones each figure spans; everything else derives from it. */
export const FIGURE_DEFINITIONS: Record<Figure, FigureDefinition> = {
  ttd: { name: 'time to detect', label: 'TTD, time to detect', from: 'started', to: ['detected'] },
  tta: { name: 'time to acknowledge', label: 'TTA, time to acknowledge', from: 'detected', to: ['acknowledged'] },
  ttm: { name: 'time to mitigate', label: 'TTM, time to mitigate', from: 'detected', to: ['mitigated'] },
  ttr: { name: 'time to resolve', label: 'TTR, time to resolve', from: 'detected', to: ['resolved'] },
  impact: { name: 'user impact', label: 'Impact, how long users were affected', from: 'started', to: ['mitigated', 'resolved'] },
};

/** The milestone a figure ends at for these milestones: the first of its ends that is set, else the last one. */
export function figureEnd(figure: Figure, m: Milestones): Milestone {
  const ends = FIGURE_DEFINITIONS[figure].to;
  for (let i = 0; i < ends.length - 1; i += 1) if (m[ends[i]!] !== undefined) return ends[i]!;
  return ends[ends.length - 1]!;
}

/** A figure's end as people read it: `mitigated_at (resolved_at where never mitigated)`. */
export function figureEndText(figure: Figure): string {
  const [first, ...fallbacks] = FIGURE_DEFINITIONS[figure].to;
  const fallback = fallbacks.map(milestoneKey).join(', else ');
  return fallback === '' ? milestoneKey(first!) : `${milestoneKey(first!)} (${fallback} where never ${first})`;
}

function span(from: number | undefined, to: number | undefined): number | null {
  if (from === undefined || to === undefined || to < from) return null;
  return minutesBetween(from, to);
}

export function computeMetrics(m: Milestones): IncidentMetrics {
  // Stats computes this for every incident: one object built in one shape, keys in FIGURES order.
  return {
    ttd: figureSpan('ttd', m),
    tta: figureSpan('tta', m),
    ttm: figureSpan('ttm', m),
    ttr: figureSpan('ttr', m),
    impact: figureSpan('impact', m),
  };
}

function figureSpan(figure: Figure, m: Milestones): number | null {
  return span(m[FIGURE_DEFINITIONS[figure].from], m[figureEnd(figure, m)]);
}

/** Figures that are missing only because their milestones are out of order. */
export function unusableFigures(m: Milestones): Figure[] {
  return FIGURES.filter((figure) => {
    const from = m[FIGURE_DEFINITIONS[figure].from];
    const to = m[figureEnd(figure, m)];
    return from !== undefined && to !== undefined && to < from;
  });
}
