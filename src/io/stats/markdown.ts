/**
 * `inc stats --format markdown`: GitHub-flavoured tables to paste into a report or a pull
 * request. A `|` in a name is escaped as `\|` so that the table stays a table (cmark-gfm).
 */
import { FIGURE_DEFINITIONS, FIGURES } from '../../domain/metrics.js';
import type { FigureSummary, GroupStats, Recurrence, StatsReport } from '../../domain/stats.js';
import { markdownCell as tableCell } from '../../domain/postmortem.js';
import { escapeHtml } from '../../domain/sanitise.js';
import { plural } from '../../domain/words.js';
import { humanMinutes, intervalText, percent, scopeText, sparkline } from './format.js';

/** A cell of the report: names as written, raw HTML as text (entities), a line break as a space. */
export function markdownCell(text: string): string {
  return tableCell(escapeHtml(text), { trim: false, lineBreak: ' ' });
}

/** A GitHub table; every column but the first right-aligned unless said otherwise. */
export function markdownTable(headers: string[], rows: string[][], rightAligned = headers.map((_, i) => i > 0)): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const separator = `|${headers.map((_, i) => (rightAligned[i] ? '---:' : '---')).join('|')}|`;
  return [line(headers.map(markdownCell)), separator, ...rows.map((row) => line(row.map(markdownCell)))].join('\n');
}

function groupTable(title: string, groups: Record<string, GroupStats>): string[] {
  const rows = Object.entries(groups).map(([name, g]) => [
    name,
    String(g.incidents),
    ...FIGURES.map((f) => humanMinutes(g.metrics[f].mean)),
    humanMinutes(g.metrics.ttm.median),
    humanMinutes(g.metrics.ttm.p90),
    ciCell(g.metrics.ttm, 'median'),
  ]);
  if (rows.length === 0) return [];
  return [`## ${title}`, '', markdownTable([title.replace(/^By s/, 'S'), 'Incidents', 'MTTD', 'MTTA', 'MTTM', 'MTTR', 'Mean impact', 'TTM median', 'TTM p90', 'TTM median 95% CI'], rows), ''];
}

/** The 95% interval of a figure's median or mean, `too few` under the minimum n. */
function ciCell(summary: FigureSummary, which: 'median' | 'mean'): string {
  const interval = which === 'median' ? summary.median_ci : summary.mean_ci;
  if (interval !== null) return intervalText(interval);
  return summary.too_few && summary.n > 0 ? 'too few' : '-';
}

function recurringLines(kind: string, list: Recurrence[]): string[] {
  return list.flatMap((r) => [
    `- **${markdownCell(kind)} ${markdownCell(r.name)}**: ${r.incidents} incidents (${r.ids.map((id) => `\`${id}\``).join(', ')}); ${r.open_action_items.length} open action items`,
    ...r.open_action_items.map((item) => `  - ${markdownCell(item.action || '(no text)')} (${markdownCell(item.owner || 'no owner')}, due ${markdownCell(item.due || '-')}, ${markdownCell(item.incident)})`),
  ]);
}

export function renderMarkdown(report: StatsReport): string {
  const p = report.period;
  const out: string[] = [
    '# Incident response report',
    '',
    `${scopeText(p, 'severity ').replace(/^./, (c) => c.toUpperCase())} (dates in ${p.zone}). **${plural(report.incidents, 'incident')}**; ${plural(report.drills_excluded, 'drill')} left out.`,
    '',
    '## Response times',
    '',
    markdownTable(
      ['Figure', 'n', 'Mean', 'Median', 'p90', 'Median 95% CI', 'Mean 95% CI'],
      FIGURES.map((f) => {
        const s = report.metrics[f];
        return [`${f.toUpperCase()} (${FIGURE_DEFINITIONS[f].name})`, String(s.n), humanMinutes(s.mean), humanMinutes(s.median), humanMinutes(s.p90), ciCell(s, 'median'), ciCell(s, 'mean')];
      }),
    ),
    '',
    `Intervals: 95% bootstrap percentile (${report.uncertainty.resamples} resamples, seed ${report.uncertainty.seed}); too few = under ${report.uncertainty.min_n} incidents.`,
    '',
    ...groupTable('By severity', report.by_severity),
    ...groupTable('By service', report.by_service),
  ];

  const months = Object.keys(report.by_month);
  if (months.length > 0) {
    const severities = Object.keys(report.by_severity);
    const trend = sparkline(months.map((m) => report.monthly[m]?.incidents ?? 0));
    const mttm = sparkline(months.map((m) => report.monthly[m]?.ttm.mean ?? null));
    out.push(
      '## By month',
      '',
      `Incidents \`${trend}\` · MTTM \`${mttm}\` (${months[0]} to ${months.at(-1)})`,
      '',
      markdownTable(
        ['Month', ...severities, 'Total', 'MTTM'],
        months.map((m) => [m, ...severities.map((s) => String(report.by_month[m]![s] ?? 0)), String(report.monthly[m]?.incidents ?? 0), humanMinutes(report.monthly[m]?.ttm.mean ?? null)]),
      ),
      '',
    );
  }

  const pm = report.postmortems;
  const items = report.action_items;
  const first = report.first_update;
  out.push(
    '## Follow-through',
    '',
    markdownTable(
      ['Measure', 'Value'],
      [
        ['Postmortems required', String(pm.required)],
        ['Postmortems written', `${pm.written} (coverage ${percent(pm.coverage)})`],
        ['Postmortems published', String(pm.published)],
        ['Postmortems on time', String(pm.on_time)],
        ['Postmortems overdue', String(pm.overdue)],
        ['Action items', String(items.total)],
        ['Action items done', `${items.done} (completion ${percent(items.completion_rate)})`],
        ['Action items open', String(items.open)],
        ["Action items won't do", String(items.wont_do)],
        ['Action items overdue', String(items.overdue)],
        ['First stakeholder update (n)', String(first.n)],
        ['First stakeholder update (mean / median / p90)', `${humanMinutes(first.mean)} / ${humanMinutes(first.median)} / ${humanMinutes(first.p90)}`],
        ['First update later than the matrix asks', String(first.late)],
        ['Incidents without an update logged', String(first.without_update)],
      ],
    ),
    '',
  );

  const commanders = report.commanders;
  if (commanders.by_commander.length > 0 || commanders.unassigned > 0) {
    out.push(
      '## Incident commanders',
      '',
      markdownTable(
        ['Commander', 'Incidents', 'Share'],
        [
          ...commanders.by_commander.map((c) => [c.name, String(c.incidents), percent(c.share)]),
          ...(commanders.unassigned > 0 ? [['(none recorded)', String(commanders.unassigned), percent(report.incidents ? commanders.unassigned / report.incidents : null)]] : []),
        ],
      ),
      '',
    );
  }
  const recurring = [...recurringLines('Root cause', report.recurring.root_causes), ...recurringLines('Service', report.recurring.services)];
  out.push('## Recurring', '', ...(recurring.length > 0 ? recurring : ['No root cause or service appears in two or more incidents.']), '');
  out.push('Definitions: `inc stats --explain`.', '');
  return out.join('\n');
}
