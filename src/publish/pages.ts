/**
 * The pages: status (index.html), history, one per incident, reports. Every text from a file
 * is escaped here (esc) or rendered by markdown.ts with raw HTML off.
 */
import { MILESTONES, milestoneKey } from '../domain/incident.js';
import { FIGURE_DEFINITIONS, FIGURES, type Figure, figureEndText } from '../domain/metrics.js';
import type { SeverityMatrix } from '../domain/severity.js';
import type { StatsReport, Summary } from '../domain/stats.js';
import { formatDuration } from '../domain/time.js';
import { categoryLabel, groupedBars, lines, type Series, stackedBars } from './charts.js';
import type { Maintenance, PublishConfig } from './config.js';
import { statusWord } from './feeds.js';
import { esc, page, type PageFrame, table } from './html.js';
import { type RenderCache, renderMarkdown } from './markdown.js';
import type { SiteIncident } from './model.js';
import { incidentServiceStatus, isAffecting, OVERALL_TEXT, overallState, type ServiceView, STATE_LABEL } from './status.js';

export interface PageContext {
  config: PublishConfig;
  matrix: SeverityMatrix;
  zone: string;
  now: number;
  publicOnly: boolean;
  formatTime: (epochMs: number) => string;
  frame: (root: string, current: PageFrame['current'], pageTitle: string, script?: boolean) => PageFrame;
  renderCache?: RenderCache;
}

export function incidentHref(root: string, id: string): string {
  return `${root}incidents/${encodeURIComponent(id)}.html`;
}

/** A severity's CSS class by its rank in the matrix: sev-1 is the most severe. */
export function severityClass(matrix: SeverityMatrix, severity: string): string {
  const index = matrix.levels.findIndex((l) => l.name === severity);
  return `sev sev-${index === -1 ? 'other' : Math.min(index + 1, 5)}`;
}

function severityBadge(ctx: PageContext, incident: SiteIncident): string {
  return `<span class="${severityClass(ctx.matrix, incident.severity)}">${esc(incident.severity)}</span>`;
}

const STATUS_TEXT: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', mitigated: 'Monitoring (mitigated)', resolved: 'Resolved' };

function statusBadge(incident: SiteIncident): string {
  const text = STATUS_TEXT[incident.status] ?? incident.status;
  return `<span class="status status-${esc(incident.status.replace(/[^a-z-]/g, ''))}">${esc(text)}</span>`;
}

function drillBadge(incident: SiteIncident): string {
  return incident.drill ? ' <span class="drill">Drill</span>' : '';
}

/** A <time> element. In UTC the ISO text is the display too: thousands of rows ask for one. */
function time(ctx: PageContext, at: number | undefined): string {
  if (at === undefined) return '–';
  const iso = new Date(at).toISOString();
  const shown = ctx.zone === 'UTC' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : esc(ctx.formatTime(at));
  return `<time datetime="${iso}">${shown}</time>`;
}

// ---------------------------------------------------------------------------------------
// Status

function maintenanceList(ctx: PageContext, windows: Maintenance[]): string {
  const items = windows.map((m) => {
    const state = ctx.now >= m.startsAt ? 'In progress' : 'Scheduled';
    const services = m.services.length ? ` · ${esc(m.services.join(', '))}` : '';
    return `<li class="maintenance"><h3>${esc(m.title)}</h3><p class="meta"><span class="status status-maintenance">${state}</span> ${time(ctx, m.startsAt)} to ${time(ctx, m.endsAt)}${services}</p>${m.description ? `<p>${esc(m.description)}</p>` : ''}</li>`;
  });
  return `<ul class="cards">${items.join('\n')}</ul>`;
}

export function statusPage(ctx: PageContext, incidents: SiteIncident[], services: ServiceView[]): string {
  const state = overallState(services);
  const open = incidents.filter((i) => i.open && !i.drill);
  const openCards = open.map((incident) => {
    const latest = incident.updates.at(-1);
    const since = incident.milestones.detected;
    const hits = isAffecting(incident) ? incidentServiceStatus(incident, ctx.matrix) : 'monitoring';
    return `<li class="card incident-card card-${hits}"><h3><a href="${incidentHref('', incident.id)}">${esc(incident.title)}</a></h3>
<p class="meta">${severityBadge(ctx, incident)} ${statusBadge(incident)}${incident.services.length ? ` · ${esc(incident.services.join(', '))}` : ''} · since ${time(ctx, since)}</p>
${latest ? `<p class="latest"><strong>${esc(statusWord(latest))}</strong> (${time(ctx, latest.at)}): ${esc(latest.text)}</p>` : ''}</li>`;
  });
  const serviceRows = services.map(
    (s) => `<li class="service"><span class="service-name">${esc(s.name)}</span> <span class="state state-${s.state}">${STATE_LABEL[s.state]}</span></li>`,
  );
  const upcoming = ctx.config.maintenance.filter((m) => m.endsAt > ctx.now).sort((a, b) => a.startsAt - b.startsAt);
  const recent = incidents.filter((i) => !i.open && !i.drill).slice(0, 5);
  const recentRows = recent.map(
    (i) => `<li><a href="${incidentHref('', i.id)}">${esc(i.title)}</a> <span class="meta">${severityBadge(ctx, i)} resolved ${time(ctx, i.milestones.resolved)}</span></li>`,
  );
  const main = `<h1>${esc(ctx.config.title)}</h1>
<p class="overall overall-${state}" role="status"><span class="dot" aria-hidden="true"></span>${OVERALL_TEXT[state]}</p>
<section aria-labelledby="open-heading"><h2 id="open-heading">Open incidents</h2>
${openCards.length ? `<ul class="cards">${openCards.join('\n')}</ul>` : '<p class="none">No open incidents.</p>'}
</section>
<section aria-labelledby="services-heading"><h2 id="services-heading">Services</h2>
${serviceRows.length ? `<ul class="services">${serviceRows.join('\n')}</ul>` : '<p class="none">No services named in any incident yet.</p>'}
</section>
${upcoming.length ? `<section aria-labelledby="maintenance-heading"><h2 id="maintenance-heading">Planned maintenance</h2>\n${maintenanceList(ctx, upcoming)}\n</section>` : ''}
<section aria-labelledby="recent-heading"><h2 id="recent-heading">Recently resolved</h2>
${recentRows.length ? `<ul class="recent">${recentRows.join('\n')}</ul>` : '<p class="none">None yet.</p>'}
<p><a href="history.html">All incidents</a> · <a href="reports.html">Reports</a></p>
</section>`;
  return page(ctx.frame('', 'status', ctx.config.title), main);
}

// ---------------------------------------------------------------------------------------
// History

export function historyPage(ctx: PageContext, incidents: SiteIncident[], monthOf: (at: number) => string): string {
  const byMonth = new Map<string, SiteIncident[]>();
  const undated: SiteIncident[] = [];
  for (const incident of incidents) {
    const at = incident.milestones.detected;
    if (at === undefined) undated.push(incident);
    else (byMonth.get(monthOf(at)) ?? byMonth.set(monthOf(at), []).get(monthOf(at))!).push(incident);
  }
  const services = [...new Set(incidents.flatMap((i) => i.services))].sort();
  const severities = ctx.matrix.levels.map((l) => l.name).filter((name) => incidents.some((i) => i.severity === name));
  for (const i of incidents) if (!severities.includes(i.severity)) severities.push(i.severity);
  const option = (value: string) => `<option value="${esc(value)}">${esc(value)}</option>`;
  const row = (incident: SiteIncident) => {
    const ttr = incident.metrics.ttr;
    return `<tr data-services="${esc(JSON.stringify(incident.services))}" data-severity="${esc(incident.severity)}">
<td>${time(ctx, incident.milestones.detected)}</td><td><a href="${incidentHref('', incident.id)}">${esc(incident.title)}</a>${drillBadge(incident)}</td><td>${severityBadge(ctx, incident)}</td><td>${esc(incident.services.join(', ')) || '–'}</td><td>${statusBadge(incident)}</td><td>${ttr === null ? '–' : esc(formatDuration(ttr))}</td></tr>`;
  };
  const head = ['Detected', 'Incident', 'Severity', 'Services', 'Status', 'Time to resolve'];
  const sections = [...byMonth.entries()].map(([month, list]) => monthSection(month, categoryLabel(month), list, head, row));
  if (undated.length) sections.push(monthSection('undated', 'Without a detection time', undated, head, row));
  const main = `<h1>Incident history</h1>
<p>${incidents.length} incident${incidents.length === 1 ? '' : 's'}, newest first, by month of detection (${esc(ctx.zone)}).</p>
<form class="filters" id="filters" hidden>
<div><label for="filter-service">Service</label> <select id="filter-service" name="service"><option value="">All services</option>${services.map(option).join('')}</select></div>
<div><label for="filter-severity">Severity</label> <select id="filter-severity" name="severity"><option value="">All severities</option>${severities.map(option).join('')}</select></div>
<p id="filter-count" role="status" aria-live="polite"></p>
</form>
${sections.join('\n') || '<p class="none">No incidents yet.</p>'}`;
  return page(ctx.frame('', 'history', 'Incident history', true), main);
}

function monthSection(key: string, label: string, list: SiteIncident[], head: string[], row: (incident: SiteIncident) => string): string {
  return `<section class="month" aria-labelledby="m-${key}"><h2 id="m-${key}">${esc(label)}</h2>
<table class="incidents"><caption class="visually-hidden">Incidents detected in ${esc(label)}</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>
${list.map(row).join('\n')}
</tbody></table>
</section>`;
}

// ---------------------------------------------------------------------------------------
// One incident

function markdownSection(markdown: string, title: string, repositoryBase: string | null, ctx: PageContext): string {
  // The file's own top heading repeats the page's title.
  const body = markdown.replace(/^\s*#\s+[^\n]*\n/, '');
  // `[ \t]*`, not `\s*`: from every line start `\s*` ran over all the blank lines below it
  // (quadratic: 40,000 blank lines took 20 s).
  if (body.replace(/^[ \t]*#{1,6}\s.*$/gm, '').trim() === '') return '';
  const dropColumns = ctx.publicOnly ? ctx.config.redact.columns : [];
  return title + renderMarkdown(body, { headingShift: 1, dropColumns, repositoryBase }, ctx.renderCache);
}

export function incidentPage(ctx: PageContext, incident: SiteIncident): string {
  const root = '../';
  const facts: [string, string][] = [
    ['Severity', `${severityBadge(ctx, incident)}${incident.level ? ` ${esc(incident.level.description)}` : ''}`],
    ['Status', `${statusBadge(incident)}${drillBadge(incident)}`],
    ['Services', esc(incident.services.join(', ')) || '–'],
  ];
  if (!ctx.publicOnly) {
    facts.push(['Incident commander', esc(incident.commander ?? '–')], ['Communications', esc(incident.communications ?? '–')], ['Subject-matter experts', esc(incident.smes.join(', ')) || '–']);
  }
  if (!incident.open && incident.level?.postmortemRequired && !incident.postmortem && !incident.drill) facts.push(['Postmortem', ctx.publicOnly ? 'Not published yet' : 'Not written yet']);
  const updates = [...incident.updates].reverse().map(
    (u) => `<li><p class="meta"><strong>${esc(statusWord(u))}</strong> · ${time(ctx, u.at)}</p><p>${esc(u.text)}</p></li>`,
  );
  const milestoneRows = MILESTONES.map((m) => [esc(milestoneKey(m).replace('_at', '').replace(/^./, (c) => c.toUpperCase())), time(ctx, incident.milestones[m])]);
  const metricRows = FIGURES.map((f: Figure) => {
    const value = incident.metrics[f];
    const d = FIGURE_DEFINITIONS[f];
    return [esc(d.label), value === null ? '–' : esc(formatDuration(value)), esc(`${milestoneKey(d.from)} → ${figureEndText(f)}`)];
  });
  const timelineHead = ctx.publicOnly ? ['Time', 'Event', 'Kind'] : ['Time', 'Event', 'By', 'Kind'];
  const timelineRows = incident.timeline.map((e) => {
    const cells = [time(ctx, e.at), esc(e.text).replace(/\n/g, '<br>')];
    if (!ctx.publicOnly) cells.push(esc(e.author ?? ''));
    cells.push(esc(e.kind ?? ''));
    return cells;
  });
  const repositoryBase = ctx.config.repositoryUrl ? `${ctx.config.repositoryUrl}incidents/${encodeURIComponent(incident.id)}/` : null;
  const notes = markdownSection(incident.markdown, '<h2 id="notes">Notes</h2>\n', repositoryBase, ctx);
  let postmortem = '';
  if (incident.postmortem) {
    const pm = incident.postmortem;
    const people = ctx.publicOnly
      ? ''
      : `<p class="meta">Authors: ${esc(pm.authors.join(', ') || '–')} · Reviewers: ${esc(pm.reviewers.join(', ') || '–')} · Action items done: ${pm.actionItems.done} of ${pm.actionItems.total}</p>`;
    const heading = `<h2 id="postmortem">Postmortem <span class="status status-pm-${esc(pm.status.replace(/[^a-z-]/g, ''))}">${esc(pm.status)}</span></h2>\n${people}\n`;
    postmortem = `<section class="postmortem" aria-labelledby="postmortem">${markdownSection(pm.markdown, heading, repositoryBase, ctx) || heading}</section>`;
  }
  const main = `<nav class="crumbs" aria-label="Breadcrumb"><a href="${root}history.html">History</a> › <span>${esc(incident.id)}</span></nav>
<h1>${esc(incident.title)}</h1>
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>
<section aria-labelledby="updates"><h2 id="updates">Updates</h2>
${updates.length ? `<ol class="updates">${updates.join('\n')}</ol>` : '<p class="none">No updates.</p>'}
</section>
<div class="two">
<section aria-labelledby="milestones"><h2 id="milestones">Milestones</h2>
${table(`Milestones (${esc(ctx.zone)})`, ['Milestone', 'Time'], milestoneRows, { rowHeaders: true })}
</section>
<section aria-labelledby="metrics"><h2 id="metrics">Metrics</h2>
${table('Response metrics', ['Figure', 'Value', 'From → to'], metricRows, { rowHeaders: true })}
</section>
</div>
${notes ? `<section class="notes" aria-labelledby="notes">${notes}</section>` : ''}
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
${timelineRows.length ? table(`Timeline (${esc(ctx.zone)})`, timelineHead, timelineRows, { className: 'timeline' }) : '<p class="none">No timeline entries.</p>'}
</section>
${postmortem}`;
  return page(ctx.frame(root, 'incident', incident.title), main);
}

// ---------------------------------------------------------------------------------------
// Reports

export interface MonthReport {
  month: string;
  report: StatsReport;
}

const minutes = (value: number | null) => (value === null ? '–' : formatDuration(value));
const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);

/** A chart beside the table of its numbers (the table is what screen readers read). */
function figure(chart: string, id: string, tableHtml: string): string {
  return `<div class="chart-row"><div class="chart-box">${chart}</div><div class="table-box" role="region" aria-labelledby="${id}-table-caption" tabindex="0">${tableHtml.replace('<caption>', `<caption id="${id}-table-caption">`)}</div></div>`;
}

function intervalOf(summary: Summary, key: 'median' | 'p90'): { low: number; high: number } | null {
  // Where stats give a confidence interval for a figure (`median_ci: {low, high}`), show it.
  const ci = (summary as unknown as Record<string, unknown>)[`${key}_ci`];
  if (ci && typeof ci === 'object' && typeof (ci as { low?: unknown }).low === 'number' && typeof (ci as { high?: unknown }).high === 'number') {
    return { low: (ci as { low: number }).low, high: (ci as { high: number }).high };
  }
  return null;
}

export function reportsPage(ctx: PageContext, overall: StatsReport, months: MonthReport[]): string {
  const categories = months.map((m) => m.month);
  const sections: string[] = [];
  const summaryRows = FIGURES.map((f) => {
    const s = overall.metrics[f];
    return [esc(FIGURE_DEFINITIONS[f].label), String(s.n), minutes(s.mean), minutes(s.median), minutes(s.p90)];
  });
  sections.push(`<section aria-labelledby="overall"><h2 id="overall">All incidents</h2>
<p>${overall.incidents} incident${overall.incidents === 1 ? '' : 's'}${overall.drills_excluded ? ` (${overall.drills_excluded} drill${overall.drills_excluded === 1 ? '' : 's'} left out)` : ''}. Means mislead on long-tailed data: read the median and the 90th percentile.</p>
${table('Response figures over all incidents', ['Figure', 'n', 'Mean', 'Median', 'p90'], summaryRows, { rowHeaders: true })}
</section>`);

  for (const f of ['ttm', 'ttr', 'tta', 'ttd'] as Figure[]) {
    const label = FIGURE_DEFINITIONS[f].label;
    const medians = months.map((m) => m.report.metrics[f].median);
    const p90s = months.map((m) => m.report.metrics[f].p90);
    const series: Series[] = [
      { name: 'median', className: 's-median', values: medians, intervals: months.map((m) => intervalOf(m.report.metrics[f], 'median')) },
      { name: 'p90', className: 's-p90', values: p90s, intervals: months.map((m) => intervalOf(m.report.metrics[f], 'p90')) },
    ];
    const id = `chart-${f}`;
    const chart = lines({ id, title: `${label} per month: median and p90`, description: `Minutes, by month of detection; a month without data has no point.`, categories, series, unit: 'min' });
    const rows = months.map((m) => {
      const s = m.report.metrics[f];
      return [esc(categoryLabel(m.month)), String(s.n), minutes(s.median), minutes(s.p90), minutes(s.mean)];
    });
    sections.push(`<section aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(label)}</h2>
${figure(chart, id, table(`${esc(label)} per month`, ['Month', 'n', 'Median', 'p90', 'Mean'], rows, { rowHeaders: true }))}
</section>`);
  }

  const levels = ctx.matrix.levels.map((l) => l.name);
  const others = [...new Set(months.flatMap((m) => Object.keys(m.report.by_severity)))].filter((s) => !levels.includes(s));
  const severities = [...levels, ...others];
  const counts = (sev: string) => months.map((m) => m.report.by_severity[sev]?.incidents ?? 0);
  const sevSeries: Series[] = severities.map((sev) => ({ name: sev, className: severityClass(ctx.matrix, sev).replace('sev ', 's-'), values: counts(sev) }));
  const sevChart = stackedBars({ id: 'chart-severity', title: 'Incidents by severity and month', description: 'Incidents detected each month, stacked by severity.', categories, series: sevSeries, unit: 'incidents' });
  const sevRows = months.map((m) => [esc(categoryLabel(m.month)), ...severities.map((sev) => String(m.report.by_severity[sev]?.incidents ?? 0)), String(m.report.incidents)]);
  sections.push(`<section aria-labelledby="chart-severity-h"><h2 id="chart-severity-h">Incidents by severity and month</h2>
${figure(sevChart, 'chart-severity', table('Incidents by severity and month', ['Month', ...severities.map(esc), 'Total'], sevRows, { rowHeaders: true }))}
</section>`);

  const a = overall.action_items;
  sections.push(
    pairedBars(months, {
      id: 'chart-actions',
      title: 'Action items opened and done',
      description: 'Action items from the postmortems of each month’s incidents, and how many of them are done by now.',
      unit: 'items',
      summary: `Overall: ${a.done} of ${a.total} done (${percent(a.completion_rate)}), ${a.overdue} overdue.`,
      series: [
        { name: 'opened', className: 's-opened', value: (r) => r.action_items.total },
        { name: 'done', className: 's-done', value: (r) => r.action_items.done },
      ],
      caption: 'Action items by month of the incident',
      columns: ['Opened', 'Done', 'Open', 'Overdue', 'Done share'],
      row: (r) => [String(r.action_items.total), String(r.action_items.done), String(r.action_items.open), String(r.action_items.overdue), percent(r.action_items.completion_rate)],
    }),
  );
  const p = overall.postmortems;
  sections.push(
    pairedBars(months, {
      id: 'chart-coverage',
      title: 'Postmortem coverage',
      description: 'Postmortems required by the severity matrix and postmortems written, by month of the incident.',
      unit: 'postmortems',
      summary: `Overall: ${p.written} of ${p.required} required postmortems written (${percent(p.coverage)}), ${p.published} published.`,
      series: [
        { name: 'required', className: 's-required', value: (r) => r.postmortems.required },
        { name: 'written', className: 's-written', value: (r) => r.postmortems.written },
      ],
      caption: 'Postmortems by month of the incident',
      columns: ['Required', 'Written', 'Published', 'Coverage'],
      row: (r) => [String(r.postmortems.required), String(r.postmortems.written), String(r.postmortems.published), percent(r.postmortems.coverage)],
    }),
  );
  const main = `<h1>Reports</h1>
<p>Computed from the incident files when this site was built, as <code>inc stats</code> computes them; months are months of detection (${esc(ctx.zone)}). Each chart has its numbers in the table beside it.</p>
${sections.join('\n')}`;
  return page(ctx.frame('', 'reports', 'Reports'), main);
}

interface PairedBars {
  id: string;
  title: string;
  description: string;
  unit: string;
  summary: string;
  series: { name: string; className: string; value: (report: StatsReport) => number }[];
  caption: string;
  columns: string[];
  row: (report: StatsReport) => string[];
}

/** A section with bars side by side per month, a one-line summary and the table of its numbers. */
function pairedBars(months: MonthReport[], spec: PairedBars): string {
  const series: Series[] = spec.series.map((s) => ({ name: s.name, className: s.className, values: months.map((m) => s.value(m.report)) }));
  const chart = groupedBars({ id: spec.id, title: spec.title, description: spec.description, categories: months.map((m) => m.month), series, unit: spec.unit });
  const rows = months.map((m) => [esc(categoryLabel(m.month)), ...spec.row(m.report)]);
  return `<section aria-labelledby="${spec.id}-h"><h2 id="${spec.id}-h">${esc(spec.title)}</h2>
<p>${spec.summary}</p>
${figure(chart, spec.id, table(spec.caption, ['Month', ...spec.columns], rows, { rowHeaders: true }))}
</section>`;
}
