/**
 * `inc stats --compare`: is the change between two periods real? Pure: periods as calendar
 * ranges, the incidents of each, and per figure the change of the median and the mean with
 * its bootstrap interval and verdict (see uncertainty.ts).
 */
import type { Incident } from './incident.js';
import { FIGURES, type Figure } from './metrics.js';
import { figureSummaries, type MetricSummaries, UNCERTAINTY_METHOD, type UncertaintyMethod } from './stats.js';
import { daysInMonth, startOfDateInZone } from './time.js';
import { compareSamples, type SampleComparison } from './uncertainty.js';

/** A period: inclusive calendar dates (YYYY-MM-DD) of detection, and how the user named it. */
export interface Period {
  label: string;
  since: string;
  until: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

const validDate = (text: string): boolean => startOfDateInZone(text, 'UTC') !== undefined;

/** The forms --compare takes, for messages. */
export const PERIOD_FORMS = '2026 (a year), 2026-Q1 (a quarter), 2026-03 (a month) or 2026-01-01..2026-02-15 (dates, both included)';

/** `2026-Q1`, `2026-03`, `2026` or `2026-01-01..2026-02-15` as a period; undefined for anything else. */
export function parsePeriod(text: string): Period | undefined {
  const label = text.trim();
  let m = /^(\d{4})$/.exec(label);
  if (m) return { label, since: `${m[1]}-01-01`, until: `${m[1]}-12-31` };
  m = /^(\d{4})-[Qq]([1-4])$/.exec(label);
  if (m) {
    const year = Number(m[1]);
    const first = (Number(m[2]) - 1) * 3 + 1;
    return { label: label.toUpperCase(), since: `${year}-${pad(first)}-01`, until: `${year}-${pad(first + 2)}-${daysInMonth(year, first + 2)}` };
  }
  m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) return undefined;
    return { label, since: `${m[1]}-${m[2]}-01`, until: `${m[1]}-${m[2]}-${daysInMonth(year, month)}` };
  }
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(label);
  if (m && validDate(m[1]!) && validDate(m[2]!) && m[1]! <= m[2]!) return { label, since: m[1]!, until: m[2]! };
  return undefined;
}

/** A period from --since/--until dates (already checked as calendar dates). */
export function periodOf(since: string, until: string): Period {
  return { label: `${since}..${until}`, since, until };
}

/** Whether two periods share a day: their incidents would be counted on both sides. */
export function periodsOverlap(a: Period, b: Period): boolean {
  return a.since <= b.until && b.since <= a.until;
}

export interface PeriodReport extends Period {
  incidents: number;
  metrics: MetricSummaries;
}

export interface ComparisonReport {
  before: PeriodReport;
  after: PeriodReport;
  /** Per figure: after − before of the median and of the mean, with interval and verdict. */
  changes: Record<Figure, SampleComparison>;
  uncertainty: UncertaintyMethod;
}

/** Compares the figures of the incidents detected in `before` with those detected in `after`. */
export function comparePeriods(before: { period: Period; incidents: Incident[] }, after: { period: Period; incidents: Incident[] }): ComparisonReport {
  const a = figureSummaries(before.incidents);
  const b = figureSummaries(after.incidents);
  const changes = {} as Record<Figure, SampleComparison>;
  for (const figure of FIGURES) changes[figure] = compareSamples(a.values[figure], b.values[figure]);
  return {
    before: { ...before.period, incidents: before.incidents.length, metrics: a.metrics },
    after: { ...after.period, incidents: after.incidents.length, metrics: b.metrics },
    changes,
    uncertainty: UNCERTAINTY_METHOD,
  };
}
