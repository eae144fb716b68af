/**
 * `inc stats` for people: aligned tables, severities coloured on a terminal (plain when
 * piped or with NO_COLOR: the caller passes a chalk at level 0), and a monthly trend of
 * incidents and MTTM as sparklines and bars, readable at a glance.
 */
import type { ChalkInstance } from 'chalk';
import { FIGURE_DEFINITIONS, FIGURES } from '../../domain/metrics.js';
import type { GroupStats, Recurrence, StatsReport } from '../../domain/stats.js';
import { severityColour } from '../colour.js';
import { renderTable } from '../table.js';
import { plural } from '../../domain/words.js';
import { HISTOGRAM_LABELS } from '../../domain/distribution.js';
import { bar, histogramCells, humanMinutes, percent, scopeText, sparkline, withInterval } from './format.js';
import { withoutTrailingSpaces } from '../../domain/text.js';

export interface TableOptions {
  chalk: ChalkInstance;
  /** Position of a severity in the matrix (0 = most severe), for its colour. */
  rankOf: (severity: string) => number;
  /** Months listed row by row (the sparkline shows them all). */
  maxMonthRows?: number;
}

const OPEN_ITEMS_SHOWN = 3;
const RECURRENCES_SHOWN = 5;

export function renderStatsTable(report: StatsReport, options: TableOptions): string {
  const { chalk } = options;
  const sev = (name: string) => severityColour(chalk, options.rankOf(name))(name);
  const dim = (text: string) => (text === '-' ? chalk.dim(text) : text);
  const bold = (text: string) => chalk.bold(text);
  const out: string[] = [];

  out.push(bold(`Incident response: ${scopeText(report.period)} (${report.period.zone})`));
  const drills = report.drills_excluded > 0 ? ` · ${plural(report.drills_excluded, 'drill')} left out (--include-drills counts them)` : '';
  const { declined, duplicate } = report.closed_without_response;
  const closed = declined + duplicate > 0 ? ` · closed without response, left out: ${[declined > 0 ? `${declined} declined` : '', duplicate > 0 ? plural(duplicate, 'duplicate') : ''].filter(Boolean).join(', ')}` : '';
  const recovered = report.recovered_before_detection > 0 ? ` · ${report.recovered_before_detection} recovered before detection (no TTM)` : '';
  out.push(`${plural(report.incidents, 'incident')}${drills}${closed}${recovered}`, '');

  out.push(
    renderTable(
      [
        { header: 'RESPONSE TIMES' },
        { header: 'N', align: 'right' },
        { header: 'MEDIAN (95% CI)', align: 'right' },
        { header: 'MEAN (95% CI)', align: 'right' },
        { header: 'P90', align: 'right' },
      ],
      FIGURES.map((f) => {
        const s = report.metrics[f];
        return [
          `${f.toUpperCase().padEnd(6)} ${FIGURE_DEFINITIONS[f].name}`,
          String(s.n),
          dim(withInterval(s.median, s.median_ci, s.too_few)),
          dim(withInterval(s.mean, s.mean_ci, s.too_few)),
          dim(humanMinutes(s.p90)),
        ];
      }),
      bold,
    ),
  );
  out.push(...distribution(report, bold));
  out.push(groupTable('SEVERITY', report.by_severity, sev, bold, dim));
  if (Object.keys(report.by_service).length > 0) out.push(groupTable('SERVICE', report.by_service, (s) => s, bold, dim));
  out.push(...trend(report, options, bold, dim));
  out.push(...followThrough(report, chalk));
  out.push(...commanders(report, chalk));
  out.push(...recurring(report, chalk));
  out.push(
    chalk.dim(
      `(low-high) is a 95% bootstrap interval; too few = under ${report.uncertainty.min_n} incidents, no interval. Is a change real? inc stats --compare 2026-Q1 2026-Q2. Definitions: inc stats --explain`,
    ),
  );
  return `${out.join('\n')}\n`;
}

function groupTable(header: string, groups: Record<string, GroupStats>, name: (s: string) => string, bold: (s: string) => string, dim: (s: string) => string): string {
  return renderTable(
    [
      { header },
      { header: 'INCIDENTS', align: 'right' },
      ...['MTTD', 'MTTA', 'MTTM', 'MTTR', 'IMPACT', 'TTM MEDIAN (95% CI)', 'TTM P90'].map((h) => ({ header: h, align: 'right' as const })),
    ],
    Object.entries(groups).map(([key, g]) => [
      name(key),
      String(g.incidents),
      ...FIGURES.map((f) => dim(humanMinutes(g.metrics[f].mean))),
      dim(withInterval(g.metrics.ttm.median, g.metrics.ttm.median_ci, g.metrics.ttm.too_few)),
      dim(humanMinutes(g.metrics.ttm.p90)),
    ]),
    bold,
  );
}

/** One histogram line per figure, bins log-scaled, under a header of bin labels. */
function distribution(report: StatsReport, bold: (s: string) => string): string[] {
  const counts = report.distribution;
  if (FIGURES.every((f) => report.metrics[f].n === 0)) return [];
  const width = 4;
  const label = (text: string) => text.padEnd(8);
  return [
    bold('DISTRIBUTION (incidents per duration, log scale; · none)'),
    `  ${label('')}${HISTOGRAM_LABELS.map((l) => l.padEnd(width)).join('').trimEnd()}`,
    ...FIGURES.filter((f) => report.metrics[f].n > 0).map((f) => `  ${label(f.toUpperCase())}${histogramCells(counts[f], width)}  n ${report.metrics[f].n}`),
    '',
  ];
}

function trend(report: StatsReport, options: TableOptions, bold: (s: string) => string, dim: (s: string) => string): string[] {
  const months = Object.keys(report.by_month);
  if (months.length === 0) return [];
  const counts = months.map((m) => report.monthly[m]?.incidents ?? 0);
  const mttm = months.map((m) => report.monthly[m]?.ttm.mean ?? null);
  const maxCount = Math.max(...counts);
  const maxMttm = Math.max(0, ...mttm.filter((v): v is number => v !== null));
  const mttmBar = (value: number | null) => (value === null ? '' : bar(value, maxMttm, 12));
  const lines = [
    bold(`TREND BY MONTH OF DETECTION (${report.period.zone}), ${months[0]} to ${months.at(-1)}`),
    `  incidents  ${sparkline(counts)}  max ${maxCount}`,
    `  MTTM       ${sparkline(mttm)}  max ${humanMinutes(maxMttm > 0 ? maxMttm : null)}`,
    '',
  ];
  const shown = months.slice(-(options.maxMonthRows ?? 24));
  const severities = Object.keys(report.by_severity);
  lines.push(
    renderTable(
      [
        { header: 'MONTH' },
        ...severities.map((s) => ({ header: s, align: 'right' as const })),
        { header: 'TOTAL', align: 'right' },
        { header: '' },
        { header: 'MTTM', align: 'right' },
        { header: '' },
      ],
      // Each bar stands beside the number it draws: incidents beside TOTAL, MTTM beside MTTM.
      shown.map((m) => [
        m,
        ...severities.map((s) => String(report.by_month[m]![s] ?? 0)),
        String(report.monthly[m]?.incidents ?? 0),
        bar(report.monthly[m]?.incidents ?? 0, maxCount, 12),
        dim(humanMinutes(report.monthly[m]?.ttm.mean ?? null)),
        mttmBar(report.monthly[m]?.ttm.mean ?? null),
      ]),
      bold,
    ).split('\n').map(withoutTrailingSpaces).join('\n'),
  );
  if (shown.length < months.length) lines.push(options.chalk.dim(`(${months.length - shown.length} earlier months: see --format csv or json)`), '');
  return lines;
}

function followThrough(report: StatsReport, chalk: ChalkInstance): string[] {
  const pm = report.postmortems;
  const items = report.action_items;
  const first = report.first_update;
  const warn = (count: number, text: string) => (count > 0 ? chalk.yellow(text) : text);
  return [
    `${chalk.bold('Postmortems ')}  ${pm.required} required · ${pm.written} written (coverage ${percent(pm.coverage)}) · ${pm.published} published · ${pm.on_time} on time · ${warn(pm.overdue, `${pm.overdue} overdue`)}`,
    `${chalk.bold('Action items')}  ${items.total} total · ${items.done} done (${percent(items.completion_rate)}) · ${items.open} open · ${items.wont_do} won't do · ${warn(items.overdue, `${items.overdue} overdue`)}`,
    `${chalk.bold('First update')}  n ${first.n} · mean ${humanMinutes(first.mean)} · median ${humanMinutes(first.median)} · p90 ${humanMinutes(first.p90)} · ${warn(first.late, `${first.late} later than the matrix asks`)} · ${first.without_update} without an update logged`,
    '',
  ];
}

function commanders(report: StatsReport, chalk: ChalkInstance): string[] {
  const { by_commander: list, unassigned } = report.commanders;
  if (list.length === 0 && unassigned === 0) return [];
  const max = Math.max(unassigned, ...list.map((c) => c.incidents));
  const rows = list.map((c) => [c.name, String(c.incidents), percent(c.share), bar(c.incidents, max, 15)]);
  if (unassigned > 0) rows.push([chalk.dim('(none recorded)'), String(unassigned), percent(unassigned / report.incidents), bar(unassigned, max, 15)]);
  const lines = [
    renderTable([{ header: 'INCIDENT COMMANDER' }, { header: 'INCIDENTS', align: 'right' }, { header: 'SHARE', align: 'right' }, { header: '' }], rows, (h) => chalk.bold(h)).split('\n').map(withoutTrailingSpaces).join('\n'),
  ];
  const top = list[0];
  if (top && report.incidents >= 4 && top.share > 0.5) {
    lines.push(chalk.yellow(`${top.name} commanded ${percent(top.share)} of incidents: rotate the role (hero culture is a single point of failure).`), '');
  }
  return lines;
}

function recurring(report: StatsReport, chalk: ChalkInstance): string[] {
  const kinds: [string, Recurrence[]][] = [
    ['root cause', report.recurring.root_causes],
    ['service', report.recurring.services],
  ];
  if (kinds.every(([, list]) => list.length === 0)) return [chalk.bold('Recurring: ') + 'no root cause or service in two or more incidents.', ''];
  const lines = [chalk.bold('RECURRING (in two or more incidents)')];
  for (const [kind, list] of kinds) {
    for (const r of list.slice(0, RECURRENCES_SHOWN)) {
      const open = r.open_action_items.length;
      lines.push(`  ${kind} ${chalk.bold(r.name)}: ${plural(r.incidents, 'incident')}, ${open > 0 ? chalk.yellow(plural(open, 'open action item')) : 'no open action items'}`);
      for (const item of r.open_action_items.slice(0, OPEN_ITEMS_SHOWN)) {
        lines.push(`    - ${item.action || '(no text)'} ${chalk.dim(`(${item.owner || 'no owner'}, due ${item.due || '-'}, ${item.status}, ${item.incident})`)}`);
      }
      if (open > OPEN_ITEMS_SHOWN) lines.push(chalk.dim(`    … and ${open - OPEN_ITEMS_SHOWN} more (inc actions --open)`));
    }
    if (list.length > RECURRENCES_SHOWN) lines.push(chalk.dim(`  … and ${list.length - RECURRENCES_SHOWN} more ${kind}s in two or more incidents (--format json lists them all)`));
  }
  lines.push('');
  return lines;
}
