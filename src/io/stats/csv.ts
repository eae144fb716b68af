/**
 * `inc stats --format csv`: one long, rectangular table that any CSV reader and every
 * spreadsheet pivot can use: `section,group,severity,measure,value`, one number per row.
 *
 * RFC 4180: comma-separated, CRLF line ends, a header row, fields quoted when they hold a
 * comma, a quote or a line break (quotes doubled). Cells that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) get a leading ' so they stay
 * text: only names from the files (services, commanders, root causes) can start so, since
 * every number inc writes is zero or more. Durations are minutes; ratios are 0..1; a figure
 * without data is an empty cell.
 */
import { FIGURES } from '../../domain/metrics.js';
import type { FigureSummary, GroupStats, Recurrence, StatsReport, Summary } from '../../domain/stats.js';

type Value = number | string | null;
type Row = [section: string, group: string, severity: string, measure: string, value: Value];

export const CSV_HEADER = ['section', 'group', 'severity', 'measure', 'value'] as const;

export function csvCell(value: Value): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function summaryRows(section: string, group: string, severity: string, prefix: string, summary: Summary): Row[] {
  return [
    [section, group, severity, `${prefix}_n`, summary.n],
    [section, group, severity, `${prefix}_mean_minutes`, summary.mean],
    [section, group, severity, `${prefix}_median_minutes`, summary.median],
    [section, group, severity, `${prefix}_p90_minutes`, summary.p90],
    [section, group, severity, `${prefix}_sum_seconds`, summary.sum_seconds],
  ];
}

/** A response figure: its summary, the ends of its 95% intervals (empty when too few) and the too-few mark (1 or 0). */
function figureRows(section: string, group: string, severity: string, prefix: string, summary: FigureSummary): Row[] {
  return [
    ...summaryRows(section, group, severity, prefix, summary),
    [section, group, severity, `${prefix}_median_ci_low_minutes`, summary.median_ci?.low ?? null],
    [section, group, severity, `${prefix}_median_ci_high_minutes`, summary.median_ci?.high ?? null],
    [section, group, severity, `${prefix}_mean_ci_low_minutes`, summary.mean_ci?.low ?? null],
    [section, group, severity, `${prefix}_mean_ci_high_minutes`, summary.mean_ci?.high ?? null],
    [section, group, severity, `${prefix}_too_few`, summary.too_few ? 1 : 0],
  ];
}

function groupRows(section: string, group: string, severity: string, stats: GroupStats): Row[] {
  return [
    [section, group, severity, 'incidents', stats.incidents],
    ...FIGURES.flatMap((figure) => figureRows(section, group, severity, figure, stats.metrics[figure])),
  ];
}

function recurrenceRows(section: string, list: Recurrence[]): Row[] {
  return list.flatMap((r): Row[] => [
    [section, r.name, '', 'incidents', r.incidents],
    [section, r.name, '', 'open_action_items', r.open_action_items.length],
  ]);
}

export function csvRows(report: StatsReport): Row[] {
  const rows: Row[] = [
    ['overall', '', '', 'incidents', report.incidents],
    ['overall', '', '', 'drills_excluded', report.drills_excluded],
    ...FIGURES.flatMap((figure) => figureRows('overall', '', '', figure, report.metrics[figure])),
  ];
  for (const [severity, stats] of Object.entries(report.by_severity)) rows.push(...groupRows('severity', '', severity, stats));
  for (const [service, stats] of Object.entries(report.by_service)) rows.push(...groupRows('service', service, '', stats));
  for (const [month, counts] of Object.entries(report.by_month)) {
    for (const [severity, count] of Object.entries(counts)) rows.push(['month', month, severity, 'incidents', count]);
    const monthly = report.monthly[month];
    if (monthly) rows.push(['month', month, '', 'incidents', monthly.incidents], ...summaryRows('month', month, '', 'ttm', monthly.ttm));
  }
  for (const [measure, value] of Object.entries(report.action_items)) rows.push(['action_items', '', '', measure, value]);
  for (const [measure, value] of Object.entries(report.postmortems)) rows.push(['postmortems', '', '', measure, value]);
  const { late, without_update: without, ...firstUpdate } = report.first_update;
  rows.push(
    ...summaryRows('first_update', '', '', 'first_update', firstUpdate),
    ['first_update', '', '', 'late', late],
    ['first_update', '', '', 'without_update', without],
  );
  for (const c of report.commanders.by_commander) {
    rows.push(['commander', c.name, '', 'incidents', c.incidents], ['commander', c.name, '', 'share', c.share]);
  }
  rows.push(['commander', '', '', 'unassigned', report.commanders.unassigned]);
  rows.push(...recurrenceRows('recurring_root_cause', report.recurring.root_causes), ...recurrenceRows('recurring_service', report.recurring.services));
  return rows;
}

export function renderCsv(report: StatsReport): string {
  return [CSV_HEADER as readonly Value[], ...csvRows(report)].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
