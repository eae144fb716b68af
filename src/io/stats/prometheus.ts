/**
 * `inc stats --format prometheus`: the text exposition format that node_exporter's textfile
 * collector reads (write to a temp file, then rename into its folder). Base units: seconds,
 * ratios 0..1. Every family has # HELP and # TYPE; label values are escaped; no timestamps.
 *
 * Response times are summaries (quantile 0.5 and 0.9, _sum, _count) in two families each, so
 * that no `sum()` counts an incident twice: `inc_time_to_mitigate_seconds` has exactly one
 * series per severity (summing them over `severity` gives the overall _sum and _count), and
 * `inc_time_to_mitigate_all_seconds` holds the overall figure, whose quantiles cannot be
 * summed from the severities' ones. _sum is the exact total of whole seconds, not a rounded
 * mean times n.
 * Counts in a chosen period go up and down, so they are gauges (no `_total` suffix, which
 * promtool reserves for counters). A figure without data has _count 0 and no quantiles:
 * never NaN.
 */
import { milestoneKey } from '../../domain/incident.js';
import { FIGURE_DEFINITIONS, FIGURES, type Figure } from '../../domain/metrics.js';
import type { StatsReport, Summary } from '../../domain/stats.js';

/** The per-severity family of a figure; its overall family is ALL_SEVERITIES_NAME of it. */
const METRIC_NAMES: Record<Figure, string> = {
  ttd: 'inc_time_to_detect_seconds',
  tta: 'inc_time_to_acknowledge_seconds',
  ttm: 'inc_time_to_mitigate_seconds',
  ttr: 'inc_time_to_resolve_seconds',
  impact: 'inc_impact_seconds',
};

/** `inc_time_to_detect_seconds` -> `inc_time_to_detect_all_seconds`: the overall figure. */
export function allSeveritiesName(name: string): string {
  return name.replace(/_seconds$/, '_all_seconds');
}

/** `Time to detect (started_at to detected_at), in seconds.` */
function figureHelp(figure: Figure): string {
  const { name, from, to } = FIGURE_DEFINITIONS[figure];
  return `${name[0]!.toUpperCase()}${name.slice(1)} (${milestoneKey(from)} to ${to.map(milestoneKey).join(', else ')}), in seconds.`;
}

type Labels = Record<string, string>;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value: integers as such, others with at most three decimals. */
function number(value: number): string {
  return String(Math.round(value * 1000) / 1000 + 0);
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'summary', help: string): this {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labels: Labels, value: number | null): this {
    if (value !== null && Number.isFinite(value)) this.lines.push(`${name}${labelText(labels)} ${number(value)}`);
    return this;
  }

  /** Summary series from minutes: quantiles only where there are values. */
  summary(name: string, labels: Labels, summary: Summary): this {
    const seconds = (minutes: number | null) => (minutes === null ? null : minutes * 60);
    this.sample(name, { ...labels, quantile: '0.5' }, seconds(summary.median));
    this.sample(name, { ...labels, quantile: '0.9' }, seconds(summary.p90));
    this.sample(`${name}_sum`, labels, summary.sum_seconds);
    this.sample(`${name}_count`, labels, summary.n);
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

export function renderPrometheus(report: StatsReport): string {
  const out = new Exposition();
  const severities = Object.entries(report.by_severity);

  out.family('inc_incidents', 'gauge', 'Incidents detected in the selected period, by severity (drills left out unless included).');
  for (const [severity, stats] of severities) out.sample('inc_incidents', { severity }, stats.incidents);
  out.family('inc_drills_excluded', 'gauge', 'Drills that matched the filters and were left out of every figure.');
  out.sample('inc_drills_excluded', {}, report.drills_excluded);

  for (const figure of FIGURES) {
    const name = METRIC_NAMES[figure];
    out.family(name, 'summary', `${figureHelp(figure)} One series per severity: sum() over severity gives all incidents' _sum and _count.`);
    for (const [severity, stats] of severities) out.summary(name, { severity }, stats.metrics[figure]);
    const all = allSeveritiesName(name);
    out.family(all, 'summary', `${figureHelp(figure)} All incidents of the selection (quantiles cannot be summed from the severities').`);
    out.summary(all, {}, report.metrics[figure]);
  }

  out.family('inc_incidents_by_month', 'gauge', 'Incidents by month of detection (configured zone) and severity.');
  for (const [month, counts] of Object.entries(report.by_month)) {
    for (const [severity, count] of Object.entries(counts)) out.sample('inc_incidents_by_month', { month, severity }, count);
  }
  out.family('inc_service_incidents', 'gauge', 'Incidents that affected each service (one incident may affect several: do not sum over service).');
  for (const [service, stats] of Object.entries(report.by_service)) out.sample('inc_service_incidents', { service }, stats.incidents);

  const items = report.action_items;
  out.family('inc_action_items', 'gauge', 'Postmortem action items by state (done, open, wont_do).');
  out.sample('inc_action_items', { state: 'done' }, items.done);
  out.sample('inc_action_items', { state: 'open' }, items.open);
  out.sample('inc_action_items', { state: 'wont_do' }, items.wont_do);
  out.family('inc_action_items_overdue', 'gauge', 'Action items past their due date and neither done nor dropped.');
  out.sample('inc_action_items_overdue', {}, items.overdue);
  out.family('inc_action_items_completion_ratio', 'gauge', 'Done action items over all action items (0..1).');
  out.sample('inc_action_items_completion_ratio', {}, items.completion_rate);

  const pm = report.postmortems;
  const postmortemGauges: [string, number | null, string][] = [
    ['inc_postmortems_required', pm.required, 'Resolved non-drill incidents whose severity requires a postmortem.'],
    ['inc_postmortems_written', pm.written, 'Required postmortems that exist (postmortem.md).'],
    ['inc_postmortems_published', pm.published, 'Required postmortems with status published.'],
    ['inc_postmortems_on_time', pm.on_time, 'Required postmortems published by their due date.'],
    ['inc_postmortems_overdue', pm.overdue, 'Required postmortems not published and past their due date.'],
    ['inc_postmortem_coverage_ratio', pm.coverage, 'Written over required postmortems (0..1).'],
  ];
  for (const [name, value, help] of postmortemGauges) out.family(name, 'gauge', help).sample(name, {}, value);

  const first = report.first_update;
  out.family('inc_time_to_first_update_seconds', 'summary', 'Detection to the first stakeholder update logged (timeline kind "update"), in seconds.');
  out.summary('inc_time_to_first_update_seconds', {}, first);
  out.family('inc_first_update_late_incidents', 'gauge', "Incidents whose first update came later than the severity's update_every_minutes.");
  out.sample('inc_first_update_late_incidents', {}, first.late);
  out.family('inc_incidents_without_update', 'gauge', 'Incidents whose severity expects updates and that have none logged.');
  out.sample('inc_incidents_without_update', {}, first.without_update);

  out.family('inc_commander_incidents', 'gauge', 'Incidents per incident commander (a rotating role; one name carrying most is hero culture).');
  for (const c of report.commanders.by_commander) out.sample('inc_commander_incidents', { commander: c.name }, c.incidents);
  out.family('inc_incidents_without_commander', 'gauge', 'Incidents with no incident commander recorded.');
  out.sample('inc_incidents_without_commander', {}, report.commanders.unassigned);

  out.family('inc_recurring_root_cause_incidents', 'gauge', 'Root-cause tags found in two or more postmortems.');
  for (const r of report.recurring.root_causes) out.sample('inc_recurring_root_cause_incidents', { root_cause: r.name }, r.incidents);
  out.family('inc_recurring_root_cause_open_action_items', 'gauge', 'Open action items of the postmortems that share a recurring root cause.');
  for (const r of report.recurring.root_causes) out.sample('inc_recurring_root_cause_open_action_items', { root_cause: r.name }, r.open_action_items.length);
  return out.toString();
}
