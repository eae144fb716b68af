/**
 * `inc stats`: pure aggregation of incidents, their postmortems and their stakeholder updates
 * into the report every output format renders (docs/metrics.md; `inc describe stats` lists the JSON fields). The report is
 * the JSON itself, so that table, CSV, markdown and Prometheus all show the same numbers.
 *
 * Durations are minutes, rounded to the hundredth (0.6 s); ratios are fractions 0..1 rounded
 * to four places. An empty set gives n: 0 and nulls: never a negative number or NaN.
 */
import { type Incident, type Milestone, isClosedWithoutResponse, milestoneConflicts, milestoneKey, ORDER_RULES, recoveredBeforeDetection } from './incident.js';
import { incidentMetrics, FIGURE_DEFINITIONS, FIGURES, type Figure, figureEnd, figureEndText, type IncidentMetrics } from './metrics.js';
import { type ActionItem, isOpen, isOverdue, leadingDate } from './postmortem.js';
import { findSeverity, type SeverityLevel, type SeverityMatrix, valueProblem } from './severity.js';
import { addBusinessDays, dateInZone, isPlainUtc, parseIsoLike, parseStoredTimestamp, roundMinutes } from './time.js';
import { HISTOGRAM_EDGES_MINUTES, logHistogram } from './distribution.js';
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE, type Interval, MIN_N, percentile, RESAMPLED_MEAN_LIMIT, sortedIntervals, sortedSample } from './uncertainty.js';
import { correctTimeline } from './corrections.js';
import { parseTimeline } from './timeline.js';

export { percentile } from './uncertainty.js';

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------
// Inputs

export interface StatsFilter {
  /** Inclusive calendar dates (YYYY-MM-DD) in the zone, compared with the detection date. */
  since: string | null;
  until: string | null;
  /** A severity name as the matrix spells it. */
  severity: string | null;
  service: string | null;
  includeDrills: boolean;
}

export const NO_FILTER: StatsFilter = { since: null, until: null, severity: null, service: null, includeDrills: false };

/** What stats needs from a postmortem.md (see postmortemFacts). */
export interface PostmortemFacts {
  status: string;
  /** Front-matter `due_date` (YYYY-MM-DD), or null to use the matrix's business days. */
  due: string | null;
  /** Front-matter `published_at` (YYYY-MM-DD), when a person recorded it. */
  publishedOn: string | null;
  rootCauses: string[];
  actionItems: ActionItem[];
}

export interface StatsEntry {
  incident: Incident;
  postmortem: PostmortemFacts | null;
  /** Times of the timeline entries of kind "update" (stakeholder updates sent), any order. */
  updates: number[];
}

export interface StatsOptions {
  matrix: SeverityMatrix;
  zone: string;
  /** Today's date in the zone (YYYY-MM-DD): overdue items and postmortems, the trend's end. */
  today: string;
  filter: StatsFilter;
}

// ---------------------------------------------------------------------------------------
// Output: the JSON of `inc stats --json`

export interface Summary {
  n: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
  /** The exact total in seconds (figures are whole seconds), for sums that must add up. */
  sum_seconds: number;
}

/** A response figure: its summary and how sure it is (see uncertainty.ts). */
export interface FigureSummary extends Summary {
  /** 95% bootstrap interval of the median; null when too_few. */
  median_ci: Interval | null;
  /** 95% bootstrap interval of the mean; null when too_few. */
  mean_ci: Interval | null;
  /** n below the minimum for an interval: too few to compare. */
  too_few: boolean;
}

export type MetricSummaries = Record<Figure, FigureSummary>;

/** How the intervals were computed, so that a reader of the JSON can redo them. */
export interface UncertaintyMethod {
  method: 'bootstrap percentile';
  level: number;
  resamples: number;
  seed: number;
  generator: 'mulberry32';
  min_n: number;
}

export const UNCERTAINTY_METHOD: UncertaintyMethod = {
  method: 'bootstrap percentile',
  level: CONFIDENCE,
  resamples: BOOTSTRAP_RESAMPLES,
  seed: BOOTSTRAP_SEED,
  generator: 'mulberry32',
  min_n: MIN_N,
};

export interface GroupStats {
  incidents: number;
  metrics: MetricSummaries;
}

export interface OpenActionItem {
  incident: string;
  action: string;
  owner: string;
  due: string;
  status: string;
}

export interface Recurrence {
  name: string;
  incidents: number;
  ids: string[];
  open_action_items: OpenActionItem[];
}

export interface StatsReport {
  incidents: number;
  drills_excluded: number;
  metrics: MetricSummaries;
  by_severity: Record<string, GroupStats>;
  by_month: Record<string, Record<string, number>>;
  action_items: { total: number; done: number; completion_rate: number | null; open: number; wont_do: number; overdue: number };
  postmortems: { required: number; written: number; coverage: number | null; published: number; on_time: number; overdue: number };
  /** Closed without a response (matched the filters): left out of every figure, counted here. */
  closed_without_response: { declined: number; duplicate: number };
  /** Selected incidents whose impact ended before detection: no TTM or TTR, impact counted. */
  recovered_before_detection: number;
  period: { since: string | null; until: string | null; zone: string; severity: string | null; service: string | null; include_drills: boolean };
  by_service: Record<string, GroupStats>;
  monthly: Record<string, { incidents: number; ttm: Summary }>;
  first_update: Summary & { late: number; without_update: number };
  commanders: { unassigned: number; by_commander: { name: string; incidents: number; share: number }[] };
  recurring: { root_causes: Recurrence[]; services: Recurrence[] };
  uncertainty: UncertaintyMethod;
  /** Incidents per log-scaled duration bin, per figure, over the selection (see distribution.ts). */
  distribution: { edges_minutes: number[] } & Record<Figure, number[]>;
}

export interface StatsWarning {
  incident: string;
  message: string;
}

export interface StatsOutcome {
  report: StatsReport;
  warnings: StatsWarning[];
}

// ---------------------------------------------------------------------------------------
// Numbers

function round(value: number, places: number): number {
  const factor = 10 ** places;
  // `+ 0` turns -0 into 0: JSON must never show a negative sign.
  return Math.round(value * factor) / factor + 0;
}

export { roundMinutes };
export const roundRatio = (ratio: number): number => round(ratio, 4);

/** n, mean, median (mean of the middle two for an even n), p90 and exact sum of minutes. */
export function summarise(values: readonly number[]): Summary {
  return summariseSorted(sortedSample(values));
}

function summariseSorted(sorted: Float64Array): Summary {
  if (sorted.length === 0) return { n: 0, mean: null, median: null, p90: null, sum_seconds: 0 };
  // Indexed loops: for..of boxes every number it steps over until the loop is optimised.
  let sum = 0;
  for (let i = 0; i < sorted.length; i += 1) sum += sorted[i]!;
  return {
    n: sorted.length,
    mean: roundMinutes(sum / sorted.length),
    median: roundMinutes(percentile(sorted, 50)!),
    p90: roundMinutes(percentile(sorted, 90)!),
    // Figures are whole seconds: rounding to the millisecond drops only the float noise of * 60.
    sum_seconds: round(sum * 60, 3),
  };
}

/** A response figure's summary with the bootstrap intervals of its median and mean. */
export function summariseFigure(values: readonly number[]): FigureSummary {
  const sorted = sortedSample(values);
  const intervals = sortedIntervals(sorted);
  return { ...summariseSorted(sorted), median_ci: intervals.median, mean_ci: intervals.mean, too_few: intervals.too_few };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : roundRatio(part / whole);
}

// ---------------------------------------------------------------------------------------
// Selection

export interface Selection<T> {
  selected: T[];
  drillsExcluded: number;
  /** Declined and duplicate incidents that matched the filters: out of every figure. */
  closedWithoutResponse?: { declined: number; duplicate: number };
  warnings: StatsWarning[];
}

/**
 * Keeps the incidents the filter asks for. Drills that pass the other filters are counted
 * as excluded unless included. Without detected_at an incident has no date: it is left out
 * when --since/--until are given (with a warning), and out of the monthly counts anyway.
 */
export function selectIncidents<T extends { incident: Incident }>(items: T[], options: Pick<StatsOptions, 'matrix' | 'zone' | 'filter'>): Selection<T> {
  const { filter, zone } = options;
  const canonical = severityNamer(options.matrix);
  const dateOf = dateFormatter(zone);
  const selected: T[] = [];
  const warnings: StatsWarning[] = [];
  let drillsExcluded = 0;
  const closedWithoutResponse = { declined: 0, duplicate: 0 };
  for (const item of items) {
    const { incident } = item;
    if (filter.severity !== null && canonical(incident.severity) !== filter.severity) continue;
    if (filter.service !== null && !incident.services.includes(filter.service)) continue;
    if (filter.since !== null || filter.until !== null) {
      const detected = incident.milestones.detected;
      if (detected === undefined) {
        warnings.push({ incident: incident.id, message: 'has no detected_at, so no date: left out of the --since/--until selection' });
        continue;
      }
      const date = dateOf(detected);
      if ((filter.since !== null && date < filter.since) || (filter.until !== null && date > filter.until)) continue;
    }
    if (incident.drill && !filter.includeDrills) {
      drillsExcluded += 1;
      continue;
    }
    if (isClosedWithoutResponse(incident.status)) {
      closedWithoutResponse[incident.status] += 1;
      continue;
    }
    selected.push(item);
  }
  return { selected, drillsExcluded, closedWithoutResponse, warnings };
}

/** The matrix's spelling of an incident's severity (sev1 -> SEV1); unknown names as written. */
function severityNamer(matrix: SeverityMatrix): (written: string) => string {
  const cache = new Map<string, SeverityLevel | undefined>();
  return (written) => levelOf(matrix, cache, written)?.name ?? written;
}

function levelOf(matrix: SeverityMatrix, cache: Map<string, SeverityLevel | undefined>, written: string): SeverityLevel | undefined {
  if (!cache.has(written)) cache.set(written, findSeverity(matrix, written));
  return cache.get(written);
}

// ---------------------------------------------------------------------------------------
// Per-incident figures

export interface UsableFigures {
  figures: IncidentMetrics;
  /** Figures left out because a milestone they use is out of order with another one. */
  unusable: Figure[];
  conflicts: string[];
}

/**
 * The incident's figures, leaving out every figure that uses a milestone involved in an
 * order conflict: when acknowledged_at is after resolved_at, either could be the wrong one,
 * so TTA and TTR are both suspect even though neither is negative.
 */
export function usableFigures(incident: Incident): UsableFigures {
  const figures = incidentMetrics(incident);
  const conflicts = milestoneConflicts(incident.milestones);
  if (conflicts.length === 0) return { figures, unusable: [], conflicts: [] };
  const involved = new Set<Milestone>(conflicts.flatMap((c) => [c.earlier, c.later]));
  const unusable: Figure[] = [];
  for (const figure of FIGURES) {
    const from = FIGURE_DEFINITIONS[figure].from;
    const to = figureEnd(figure, incident.milestones);
    const bothSet = incident.milestones[from] !== undefined && incident.milestones[to] !== undefined;
    if (bothSet && (involved.has(from) || involved.has(to))) {
      figures[figure] = null;
      unusable.push(figure);
    }
  }
  return { figures, unusable, conflicts: conflicts.map((c) => c.message) };
}

// ---------------------------------------------------------------------------------------
// Aggregation

class FigureLists {
  readonly values: Record<Figure, number[]> = { ttd: [], tta: [], ttm: [], ttr: [], impact: [] };
  incidents = 0;

  add(figures: IncidentMetrics): void {
    this.incidents += 1;
    for (let i = 0; i < FIGURES.length; i += 1) {
      const figure = FIGURES[i]!;
      const value = figures[figure];
      if (value !== null) this.values[figure].push(value);
    }
  }

  summarise(): GroupStats {
    return { incidents: this.incidents, metrics: summariseAll(this.values) };
  }

  distribution(): StatsReport['distribution'] {
    const { values } = this;
    return {
      edges_minutes: [...HISTOGRAM_EDGES_MINUTES],
      ttd: logHistogram(values.ttd),
      tta: logHistogram(values.tta),
      ttm: logHistogram(values.ttm),
      ttr: logHistogram(values.ttr),
      impact: logHistogram(values.impact),
    };
  }
}

/**
 * The figures of these incidents (out-of-order milestones left out of what they touch) as
 * summaries with intervals, and the values behind them.
 */
export function figureSummaries(incidents: readonly Incident[]): { metrics: MetricSummaries; values: Record<Figure, number[]> } {
  const lists = new FigureLists();
  for (const incident of incidents) lists.add(usableFigures(incident).figures);
  return { metrics: summariseAll(lists.values), values: lists.values };
}

function summariseAll(values: Record<Figure, number[]>): MetricSummaries {
  return {
    ttd: summariseFigure(values.ttd),
    tta: summariseFigure(values.tta),
    ttm: summariseFigure(values.ttm),
    ttr: summariseFigure(values.ttr),
    impact: summariseFigure(values.impact),
  };
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * `YYYY-MM-DD` of an instant in a zone, as dateInZone gives it, through Intl's `format`
 * rather than `formatToParts` (five times faster, and stats asks once per incident). Falls
 * back to dateInZone should a runtime format dates otherwise.
 */
export function dateFormatter(zone: string): (epochMs: number) => string {
  // In UTC a date is a whole number of days since 1970: one string per day, no Intl at all.
  const utcDays = new Map<number, string>();
  const utcDate = (epochMs: number) => getOrAdd(utcDays, Math.floor(epochMs / DAY_MS), () => dateInZone(epochMs, zone));
  let format: Intl.DateTimeFormat | undefined;
  return (epochMs) => {
    if (isPlainUtc(epochMs, zone)) return utcDate(epochMs);
    format ??= getOrAdd(dateFormats, zone, () => new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }));
    const text = format.format(epochMs); // 02/01/2026
    if (text.length !== 10 || text[2] !== '/' || text[5] !== '/') return dateInZone(epochMs, zone);
    return `${text.slice(6)}-${text.slice(0, 2)}-${text.slice(3, 5)}`;
  };
}

/** Every month from `first` to `last` (YYYY-MM), both included. */
export function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = last.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

function openItems(entry: StatsEntry): OpenActionItem[] {
  return (entry.postmortem?.actionItems ?? [])
    .filter(isOpen)
    .map((item) => ({ incident: entry.incident.id, action: item.action, owner: item.owner, due: item.due, status: item.statusText || 'todo' }));
}

/** Incidents grouped by a name (a root-cause tag, a service), case aside, once per incident. */
class NamedGroups {
  private readonly groups = new Map<string, { name: string; entries: StatsEntry[] }>();
  /** Each spelling's group key, so that 10,000 incidents do not lower-case the same names. */
  private readonly keys = new Map<string, string>();

  add(name: string, entry: StatsEntry): void {
    const key = getOrAdd(this.keys, name, () => name.trim().toLowerCase());
    const group = getOrAdd(this.groups, key, () => ({ name: name.trim(), entries: [] as StatsEntry[] }));
    if (group.entries.at(-1) !== entry) group.entries.push(entry);
  }

  /** The groups found in two or more incidents, most first, with their open action items. */
  recurring(): Recurrence[] {
    return [...this.groups.values()]
      .filter((g) => g.entries.length >= 2)
      .map((g) => ({
        name: g.name,
        incidents: g.entries.length,
        ids: g.entries.map((e) => e.incident.id),
        open_action_items: g.entries.flatMap(openItems),
      }))
      .sort((a, b) => b.incidents - a.incidents || compareText(a.name, b.name));
  }
}

/** Everything the report counts, fed one selected incident at a time. */
class StatsTally {
  readonly warnings: StatsWarning[] = [];
  private readonly levels = new Map<string, SeverityLevel | undefined>();
  private readonly dateOf: (epochMs: number) => string;
  private readonly overall = new FigureLists();
  private readonly bySeverity: Map<string, FigureLists>;
  private readonly byService = new Map<string, FigureLists>();
  private readonly months = new Map<string, { counts: Map<string, number>; ttm: number[] }>();
  private readonly firstUpdates = { minutes: [] as number[], late: 0, without: 0 };
  private readonly commanders = new Map<string, number>();
  private unassigned = 0;
  private recoveredBeforeDetection = 0;
  private readonly rootCauses = new NamedGroups();
  private readonly services = new NamedGroups();
  private readonly items = { total: 0, done: 0, open: 0, wont_do: 0, overdue: 0 };
  private readonly postmortems = { required: 0, written: 0, published: 0, on_time: 0, overdue: 0 };

  constructor(private readonly options: StatsOptions) {
    this.bySeverity = new Map(options.matrix.levels.map((l) => [l.name, new FigureLists()]));
    this.dateOf = dateFormatter(options.zone);
  }

  add(entry: StatsEntry): void {
    const { incident } = entry;
    const level = levelOf(this.options.matrix, this.levels, incident.severity);
    const severity = level?.name ?? incident.severity;
    const figures = this.figuresOf(incident);
    if (recoveredBeforeDetection(incident.milestones)) this.recoveredBeforeDetection += 1;
    this.overall.add(figures);
    getOrAdd(this.bySeverity, severity, () => new FigureLists()).add(figures);
    const services = incident.services.length > 1 ? [...new Set(incident.services)] : incident.services;
    for (let i = 0; i < services.length; i += 1) {
      getOrAdd(this.byService, services[i]!, () => new FigureLists()).add(figures);
      this.services.add(services[i]!, entry);
    }
    this.addToMonth(incident, severity, figures);
    this.addFirstUpdate(entry, level);
    if (incident.commander) this.commanders.set(incident.commander, (this.commanders.get(incident.commander) ?? 0) + 1);
    else this.unassigned += 1;
    const causes = entry.postmortem?.rootCauses ?? [];
    for (let i = 0; i < causes.length; i += 1) this.rootCauses.add(causes[i]!, entry);
    countActionItems(entry, this.options.today, this.items);
    countPostmortem(entry, level, this.dateOf, this.options.today, this.postmortems);
  }

  private figuresOf(incident: Incident): IncidentMetrics {
    const { figures, unusable, conflicts } = usableFigures(incident);
    if (unusable.length > 0) {
      this.warnings.push({
        incident: incident.id,
        message: `milestones out of order (${conflicts.join('; ')}): left out of ${unusable.map((f) => f.toUpperCase()).join(', ')}`,
      });
    }
    return figures;
  }

  private addToMonth(incident: Incident, severity: string, figures: IncidentMetrics): void {
    const detected = incident.milestones.detected;
    if (detected === undefined) {
      this.warnings.push({ incident: incident.id, message: 'has no detected_at: left out of the monthly counts' });
      return;
    }
    const month = getOrAdd(this.months, this.dateOf(detected).slice(0, 7), () => ({ counts: new Map<string, number>(), ttm: [] as number[] }));
    month.counts.set(severity, (month.counts.get(severity) ?? 0) + 1);
    if (figures.ttm !== null) month.ttm.push(figures.ttm);
  }

  private addFirstUpdate(entry: StatsEntry, level: SeverityLevel | undefined): void {
    const detected = entry.incident.milestones.detected;
    if (detected === undefined) return;
    const first = firstAtOrAfter(entry.updates, detected);
    // A cadence the matrix cannot give (a bad value, warned about) judges no update late.
    const expectedEvery = level && !valueProblem(level, 'updateEveryMinutes') ? level.updateEveryMinutes : null;
    if (first === undefined) {
      if (expectedEvery !== null) this.firstUpdates.without += 1;
      return;
    }
    const minutes = (first - detected) / 60_000;
    this.firstUpdates.minutes.push(minutes);
    if (expectedEvery !== null && minutes > expectedEvery) this.firstUpdates.late += 1;
  }

  report(incidents: number, drillsExcluded: number, closed = { declined: 0, duplicate: 0 }): StatsReport {
    const { filter, zone } = this.options;
    const severityNames = [...this.bySeverity.keys()];
    const months = monthsToShow([...this.months.keys()]);
    const { items, postmortems: pm } = this;
    return {
      incidents,
      drills_excluded: drillsExcluded,
      metrics: this.overall.summarise().metrics,
      by_severity: Object.fromEntries(severityNames.map((name) => [name, this.bySeverity.get(name)!.summarise()])),
      by_month: Object.fromEntries(
        months.map((month) => [month, Object.fromEntries(severityNames.map((name) => [name, this.months.get(month)?.counts.get(name) ?? 0]))]),
      ),
      action_items: { total: items.total, done: items.done, completion_rate: ratio(items.done, items.total), open: items.open, wont_do: items.wont_do, overdue: items.overdue },
      postmortems: { required: pm.required, written: pm.written, coverage: ratio(pm.written, pm.required), published: pm.published, on_time: pm.on_time, overdue: pm.overdue },
      closed_without_response: { ...closed },
      recovered_before_detection: this.recoveredBeforeDetection,
      period: { since: filter.since, until: filter.until, zone, severity: filter.severity, service: filter.service, include_drills: filter.includeDrills },
      by_service: Object.fromEntries([...this.byService.keys()].sort(compareText).map((name) => [name, this.byService.get(name)!.summarise()])),
      monthly: Object.fromEntries(
        months.map((month) => {
          const data = this.months.get(month);
          const count = [...(data?.counts.values() ?? [])].reduce((a, b) => a + b, 0);
          return [month, { incidents: count, ttm: summarise(data?.ttm ?? []) }];
        }),
      ),
      first_update: { ...summarise(this.firstUpdates.minutes), late: this.firstUpdates.late, without_update: this.firstUpdates.without },
      commanders: {
        unassigned: this.unassigned,
        by_commander: [...this.commanders.entries()]
          .map(([name, count]) => ({ name, incidents: count, share: roundRatio(count / incidents) }))
          .sort((a, b) => b.incidents - a.incidents || compareText(a.name, b.name)),
      },
      recurring: { root_causes: this.rootCauses.recurring(), services: this.services.recurring() },
      uncertainty: UNCERTAINTY_METHOD,
      distribution: this.overall.distribution(),
    };
  }
}

/** Aggregates already selected entries (see selectIncidents) into the report. */
export function computeStats(selection: Selection<StatsEntry>, options: StatsOptions): StatsOutcome {
  const tally = new StatsTally(options);
  for (const entry of selection.selected) tally.add(entry);
  return { report: tally.report(selection.selected.length, selection.drillsExcluded, selection.closedWithoutResponse), warnings: [...selection.warnings, ...tally.warnings] };
}

/** Selection and aggregation in one step, for callers that have every entry at hand. */
export function statsFor(entries: StatsEntry[], options: StatsOptions): StatsOutcome {
  return computeStats(selectIncidents(entries, options), options);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstAtOrAfter(times: number[], from: number): number | undefined {
  let first: number | undefined;
  for (let i = 0; i < times.length; i += 1) {
    const at = times[i]!;
    if (at >= from && (first === undefined || at < first)) first = at;
  }
  return first;
}

/**
 * The months of the trend: from the month of the selection's first incident to that of its
 * last, gaps filled with zeros. Not up to today: a history that ended earlier would show as a
 * row of empty months, and a --since far back as years of them.
 */
function monthsToShow(found: string[]): string[] {
  const seen = [...found].sort();
  return seen.length === 0 ? [] : monthRange(seen[0]!, seen.at(-1)!);
}

function countActionItems(entry: StatsEntry, today: string, totals: { total: number; done: number; open: number; wont_do: number; overdue: number }): void {
  const items = entry.postmortem?.actionItems ?? [];
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    totals.total += 1;
    if (item.status === 'done') totals.done += 1;
    else if (item.status === "won't do") totals.wont_do += 1;
    else totals.open += 1;
    if (isOverdue(item, today)) totals.overdue += 1;
  }
}

const dueDates = new Map<string, string>();

/** The resolution date plus business days; many incidents share a resolution date. */
function dueDate(resolvedOn: string, businessDays: number): string {
  return getOrAdd(dueDates, `${resolvedOn}+${businessDays}`, () => addBusinessDays(resolvedOn, businessDays));
}

/**
 * Postmortem rules (printed by --explain): required for a resolved, non-drill incident whose
 * severity says postmortem_required; written when postmortem.md exists (or incident.md points
 * at one kept elsewhere with postmortem_url, counted as published); due on the front
 * matter's `due_date`, else the resolution date plus the matrix's business days; on time when
 * published and, where the front matter records `published_at`, published by the due date;
 * overdue when not yet published and the due date has passed.
 */
function countPostmortem(
  entry: StatsEntry,
  level: SeverityLevel | undefined,
  dateOf: (epochMs: number) => string,
  today: string,
  totals: { required: number; written: number; published: number; on_time: number; overdue: number },
): void {
  const { incident, postmortem } = entry;
  const resolved = incident.milestones.resolved;
  // A level whose postmortem values are bad (warned about) is left out of the coverage.
  if (!level || valueProblem(level, 'postmortemRequired') || valueProblem(level, 'postmortemDueBusinessDays')) return;
  if (!level.postmortemRequired || resolved === undefined || incident.drill) return;
  totals.required += 1;
  const due = postmortem?.due ?? dueDate(dateOf(resolved), level.postmortemDueBusinessDays ?? 5);
  // A postmortem kept elsewhere (postmortem_url, as inc check accepts it) is written and published.
  const external = !postmortem && typeof incident.extra.postmortem_url === 'string' && incident.extra.postmortem_url.trim() !== '';
  const published = postmortem?.status === 'published' || external;
  if (postmortem || external) totals.written += 1;
  if (published) {
    totals.published += 1;
    if (!postmortem || postmortem.publishedOn === null || postmortem.publishedOn <= due) totals.on_time += 1;
  } else if (today > due) {
    totals.overdue += 1;
  }
}

// ---------------------------------------------------------------------------------------
// Stakeholder updates in a timeline.md

/** The end of a row whose last cell reads "update"; the row is then checked cell by cell. */
const UPDATE_CELL_AT_END = /\|[ \t]*update[ \t]*\|[ \t]*\r?$/gim;
const RETRACT_CELL_AT_END = /\|[ \t]*retract[ \t]*\|[ \t]*\r?$/im;
const PIPE = 124;
const BACKSLASH = 92;

/** Positions of the `|` that separate cells (a `\` escapes the next character, as in splitRow). */
function cellPipes(line: string): number[] {
  const pipes: number[] = [];
  for (let i = 0; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code === BACKSLASH) i += 1;
    else if (code === PIPE) pipes.push(i);
  }
  return pipes;
}

/**
 * Times of the timeline rows of kind "update", read as parseTimeline reads them (time in
 * the first cell, UTC; kind in the fourth) without splitting every row: over 10,000
 * timelines a full parse was most of the cost of `inc stats`, and only these rows matter.
 */
export function updateTimes(timelineText: string): number[] {
  // Three searches for one character each cost a tenth of one for a class of three.
  const otherBreaks = timelineText.includes('\r') || timelineText.includes('\u2028') || timelineText.includes('\u2029');
  const ends = otherBreaks ? rowEndsByRegex(timelineText) : rowEndsByLine(timelineText);
  // A retracted update was not sent: the few timelines that retract anything are read in full.
  if (ends === RETRACTS) {
    return correctTimeline(parseTimeline(timelineText, 'timeline.md').entries)
      .entries.filter((e) => e.kind?.trim().toLowerCase() === 'update')
      .map((e) => e.at);
  }
  const times: number[] = [];
  for (let i = 0; i < ends.length; i += 2) {
    const line = timelineText.slice(ends[i]!, ends[i + 1]).trim();
    const pipes = cellPipes(line);
    // `| time | event | by | update |`: the kind is the fourth cell, so exactly five pipes.
    if (pipes.length !== 5 || pipes[0] !== 0) continue;
    const cell = (n: number) => line.slice(pipes[n]! + 1, pipes[n + 1]).trim();
    if (cell(3).toLowerCase() !== 'update' || cell(1) === '') continue;
    const time = cell(0);
    const at = parseStoredTimestamp(time) ?? parseIsoLike(time, 'UTC');
    if (at !== undefined) times.push(at);
  }
  return times;
}

const RETRACTS = 'retracts';

/**
 * Where each row that UPDATE_CELL_AT_END finds starts (its line's, after the line feed before
 * it) and ends (the end of the match), two numbers a row; RETRACTS where RETRACT_CELL_AT_END
 * finds a row.
 */
function rowEndsByRegex(text: string): number[] | typeof RETRACTS {
  if (RETRACT_CELL_AT_END.test(text)) return RETRACTS;
  const ends: number[] = [];
  for (const match of text.matchAll(UPDATE_CELL_AT_END)) ends.push(text.lastIndexOf('\n', match.index) + 1, match.index + match[0].length);
  return ends;
}

/**
 * rowEndsByRegex for a text whose only line breaks are line feeds, without a regular
 * expression: there `$` is a line's end, and a match of either pattern is what reading the
 * line back from its end finds (its runs of blanks are bounded by pipes and letters, so there
 * is one way to read it), or nothing. One look at the end of each line, where the patterns
 * tried a match at every pipe of every row (a fifth of a cold `inc stats`).
 */
function rowEndsByLine(text: string): number[] | typeof RETRACTS {
  const ends: number[] = [];
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const kind = kindCellAtEnd(text, start, end);
    if (kind === 'retract') return RETRACTS;
    if (kind === 'update') ends.push(start, end);
    start = end + 1;
  }
  return ends;
}

/** Whether text[from, to) ends in `| update |` or `| retract |` (any case, blanks around), and which. */
function kindCellAtEnd(text: string, from: number, to: number): 'update' | 'retract' | undefined {
  let at = skipBlanksBack(text, from, to);
  if (at === from || text.charCodeAt(at - 1) !== PIPE) return undefined;
  const wordEnd = skipBlanksBack(text, from, at - 1);
  for (const word of ['update', 'retract'] as const) {
    at = wordEnd - word.length;
    if (at - 1 < from || !endsWithWord(text, at, word)) continue;
    at = skipBlanksBack(text, from, at);
    if (at > from && text.charCodeAt(at - 1) === PIPE) return word;
  }
  return undefined;
}

/** Where a run of spaces and tabs that ends at `to` starts (not before `from`). */
function skipBlanksBack(text: string, from: number, to: number): number {
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to -= 1;
  return to;
}

/** Whether text at `at` spells `word` (lower-case ASCII letters) in any case, as /word/i reads it. */
function endsWithWord(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i += 1) if ((text.charCodeAt(at + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Reading a postmortem's front matter (pure: from parsed data)

/** A date as YYYY-MM-DD from a front-matter value (2026-03-20 or 2026-03-20T...), else null. */
function dateValue(value: unknown): string | null {
  return typeof value === 'string' ? leadingDate(value) : null;
}

/** Root-cause tags: a list, or one text with commas. */
function tagList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return raw
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map((v) => String(v).trim())
    .filter((v) => v !== '');
}

export function postmortemFacts(data: Record<string, unknown>, status: string, actionItems: ActionItem[]): PostmortemFacts {
  return {
    status,
    due: dateValue(data.due_date ?? data.due),
    publishedOn: dateValue(data.published_at ?? data.published_on ?? data.published),
    rootCauses: tagList(data.root_causes),
    actionItems,
  };
}

// ---------------------------------------------------------------------------------------
// Definitions, for --explain

export function statsDefinitions(): { term: string; definition: string }[] {
  const figures = FIGURES.map((figure) => {
    const d = FIGURE_DEFINITIONS[figure];
    return {
      term: `${figure.toUpperCase()} (${d.name})`,
      definition: `minutes from ${milestoneKey(d.from)} to ${figureEndText(figure)}.`,
    };
  });
  return [
    ...figures,
    { term: 'missing or out of order', definition: `an incident without either timestamp of a figure does not count in it. Only the order that must hold in reality is enforced: ${ORDER_RULES} An incident whose files break it (a hand edit) is left out of every figure that uses an out-of-order milestone, with a warning naming it: never a negative time.` },
    { term: 'recovered_before_detection', definition: 'selected incidents whose impact ended (mitigated_at, else resolved_at) before detected_at: the system recovered before anyone noticed. They have no TTM (there was no response to time), no TTR where resolved before detection, and their impact counts as usual.' },
    { term: 'relapses', definition: 'impact that came back after a mitigation (inc relapse). mitigated_at is the mitigation that held, so TTM runs to it; impact sums the impact windows: from started_at to the end, less each time between a mitigation that did not hold and its relapse (relapse_history). A reopened incident counts its last resolution (reopen_history keeps the earlier ones).' },
    { term: 'closed_without_response', definition: 'declined (a false alarm, not an incident: inc decline) and duplicate (inc duplicate) incidents that matched the filters: left out of every figure, of the monthly counts and of the postmortem requirement, and counted here.' },
    { term: 'n', definition: 'how many incidents have the figure.' },
    { term: 'mean (MTTx)', definition: 'the average over those incidents, in minutes rounded to the hundredth.' },
    { term: 'median', definition: 'the middle value; for an even n, the mean of the two middle values.' },
    { term: 'p90', definition: "the 90th percentile, interpolating linearly between the closest ranks (numpy's default): 90% of incidents took this long or less." },
    {
      term: 'median_ci, mean_ci (95% CI)',
      definition: `how sure the median and the mean are: a 95% bootstrap percentile interval. The figure's values are resampled with replacement ${BOOTSTRAP_RESAMPLES} times (generator mulberry32, seed ${BOOTSTRAP_SEED}, so the same files give the same interval on every machine); the interval runs from the 2.5th to the 97.5th percentile of the resampled medians (or means). A resample's median is drawn directly from the distribution of its middle order statistics, which is the same as sorting it; above ${RESAMPLED_MEAN_LIMIT} values the resampled mean is taken from its Cornish-Fisher limit (the sample's mean, variance and skewness), which is what resampling it converges to. The table shows them as 32m (24-41).`,
    },
    { term: 'too_few', definition: `fewer than ${MIN_N} incidents have the figure: no interval is given and no change can be judged, whatever the numbers look like.` },
    {
      term: 'why means mislead',
      definition:
        'incident durations are long-tailed, close to log-normal: a few very long incidents pull the mean far above the typical one and move it from period to period. Štěpán Davidovič, "Incident Metrics in SRE" (Google, 2021), shows that with 50 to 300 incidents a 10% change of MTTx cannot be told from chance. Read the median with its interval, and judge a change with inc stats --compare, not by two means side by side.',
    },
    {
      term: '--compare A B',
      definition: `the figures of the incidents detected in period A and in period B (2026-Q1, 2026-03, 2026, 2026-01-01..2026-02-15, or two --since/--until pairs; they may not overlap), and per figure the change of the median and of the mean (B - A) with its 95% bootstrap interval: each of the ${BOOTSTRAP_RESAMPLES} resamples draws from both periods independently. The verdict is "a real change" only where the interval excludes zero, otherwise "not distinguishable from noise at this n"; under ${MIN_N} incidents on either side, "too few to compare".`,
    },
    { term: 'distribution', definition: 'incidents per duration bin, on a log scale (<1m, 1m, 2m, 5m, 10m, 20m, 1h, 2h, 4h, 8h, 1d+; a value on an edge counts in the bin above it), over the selection: the table draws it as one bar per bin, · for none.' },
    { term: 'sum_seconds', definition: 'the exact total of the figure in seconds (every figure is whole seconds), which the Prometheus _sum carries: not the rounded mean times n.' },
    { term: 'incidents', definition: 'incidents detected in the period (--since/--until: inclusive calendar dates of detected_at in the configured zone), open ones included.' },
    { term: 'drills_excluded', definition: 'drills (drill: true) that matched the filters but were left out; --include-drills counts them like incidents.' },
    { term: 'by_month', definition: 'incidents per month of detected_at in the configured zone, per severity, from the month of the first selected incident to that of the last; months between without incidents show 0.' },
    { term: 'action_items', definition: "every action item in the postmortems of the selected incidents: done, open (todo, in progress or an unknown word) and won't do. completion_rate = done / total (0..1; null with no items). overdue = due date before today and neither done nor won't do." },
    { term: 'postmortems', definition: "required = resolved, non-drill incidents whose severity has postmortem_required. written = those with a postmortem.md, or a postmortem_url in incident.md (kept elsewhere, counted as published). coverage = written / required (0..1; null when none is required). due = the postmortem's front-matter `due_date`, else the resolution date plus the matrix's postmortem_due_business_days (Monday to Friday). on_time = published, and where the front matter records published_at (YYYY-MM-DD), published by its due date (inc never asks git when a file changed). overdue = not published and its due date has passed." },
    { term: 'first_update', definition: 'minutes from detected_at to the first timeline entry of kind "update" (a stakeholder update, as `inc comms` logs) at or after detection, over the incidents that have one. late = later than the severity\'s update_every_minutes; without_update = incidents whose severity expects updates and that have none logged.' },
    { term: 'commanders', definition: 'incidents per incident commander, most first, with their share of all incidents: one name carrying most incidents is "hero culture", a single point of failure: rotate the role.' },
    { term: 'recurring', definition: 'root-cause tags (postmortem front matter `root_causes`) and services found in two or more incidents, with the action items of those postmortems that are still open: "ignoring repeat incidents" is a named pitfall.' },
  ];
}
