/**
 * Response figures of one incident, in minutes (fractions kept), as docs/metrics.md defines them.
 * A figure is null where a timestamp is missing or where the milestones are out of order:
 * never a negative time. An incident that recovered before anyone detected it has no TTM
 * (there was no response to time) but its impact is measured; an incident whose impact came
 * back after a mitigation (a relapse) has the impact windows summed.
 */
import { type Incident, type Interruption, type Milestone, milestoneKey, type Milestones } from './incident.js';
import { minutesBetween, toIsoUtc } from './time.js';

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

/**
 * The incident's figures. `relapses` are the mitigations that did not hold: the time from each
 * one to its relapse is not impact.
 */
export function computeMetrics(m: Milestones, relapses: readonly Interruption[] = NO_RELAPSES): IncidentMetrics {
  // Stats computes this for every incident: one object built in one shape, keys in FIGURES order.
  return {
    ttd: figureSpan('ttd', m),
    tta: figureSpan('tta', m),
    ttm: figureSpan('ttm', m),
    ttr: figureSpan('ttr', m),
    impact: relapses.length === 0 ? figureSpan('impact', m) : impactWithRelapses(m, relapses),
  };
}

const NO_RELAPSES: readonly Interruption[] = [];

/** An incident's figures: its milestones and its relapses. */
export function incidentMetrics(incident: Pick<Incident, 'milestones' | 'relapses'>): IncidentMetrics {
  return computeMetrics(incident.milestones, incident.relapses);
}

/**
 * Impact from start to the end that held, less every gap between a mitigation that did not
 * hold and its relapse. Null when the windows do not fit inside [started, end] in order.
 */
function impactWithRelapses(m: Milestones, relapses: readonly Interruption[]): number | null {
  const total = figureSpan('impact', m);
  if (total === null) return null;
  const end = m[figureEnd('impact', m)]!;
  let previous = m.started!;
  let gaps = 0;
  for (const { ended, back } of relapses) {
    if (ended < previous || back < ended || back > end) return null;
    gaps += back - ended;
    previous = back;
  }
  return total - gaps / 60_000;
}

/** Problems with the relapse or reopen history against the milestones, as sentences. */
export function interruptionProblems(m: Milestones, relapses: readonly Interruption[], reopens: readonly Interruption[]): string[] {
  const problems: string[] = [];
  const check = (list: readonly Interruption[], key: string, endKey: Milestone) => {
    let previous = key === 'relapse_history' ? m.started : undefined;
    list.forEach(({ ended, back }, index) => {
      const where = `${key} item ${index + 1}`;
      if (back < ended) problems.push(`${where}: came back at ${toIsoUtc(back)}, before it ended at ${toIsoUtc(ended)}`);
      if (previous !== undefined && ended < previous) problems.push(`${where}: ended at ${toIsoUtc(ended)}, before ${index === 0 ? 'started_at' : 'the previous item came back'} ${toIsoUtc(previous)}`);
      previous = back;
    });
    const end = m[endKey];
    const last = list[list.length - 1];
    if (last && end !== undefined && end < last.back) problems.push(`${milestoneKey(endKey)} ${toIsoUtc(end)} is before the last ${key} item came back, ${toIsoUtc(last.back)}`);
  };
  check(relapses, 'relapse_history', 'mitigated');
  check(reopens, 'reopen_history', 'resolved');
  return problems;
}


function figureSpan(figure: Figure, m: Milestones): number | null {
  return span(m[FIGURE_DEFINITIONS[figure].from], m[figureEnd(figure, m)]);
}

/**
 * Figures that are missing only because their milestones are out of order. TTM and TTR of an
 * incident that recovered before detection are not: they are null by definition.
 */
export function unusableFigures(m: Milestones): Figure[] {
  return FIGURES.filter((figure) => {
    const from = FIGURE_DEFINITIONS[figure].from;
    const to = m[figureEnd(figure, m)];
    if (from === 'detected' && (figure === 'ttm' || figure === 'ttr')) return false;
    return m[from] !== undefined && to !== undefined && to < m[from]!;
  });
}
