/**
 * `inc publish`'s one entry point: from the incidents (domain values read by the command) to
 * the files of a static site, as a map of relative path -> content. Pure apart from the
 * clock it is given: no disk, no git, so the same files always give the same site.
 *
 *   index.html                    status: services, open incidents, planned maintenance
 *   history.html                  every incident by month, filterable by service and severity
 *   incidents/<id>.html           one incident: milestones, metrics, timeline, postmortem
 *   reports.html                  SVG charts with their numbers as tables
 *   feed.xml                      Atom feed of incidents and their updates
 *   api/v2/*.json                 Atlassian Statuspage API v2 shapes (summary, incidents...)
 */
import { isClosedWithoutResponse } from '../domain/incident.js';
import { type SeverityMatrix } from '../domain/severity.js';
import { computeStats, dateFormatter, NO_FILTER, type StatsOptions } from '../domain/stats.js';
import { dateInZone, formatInZone, zoneLabel } from '../domain/time.js';
import { SITE_CSS, SITE_JS } from './assets.js';
import type { PublishConfig } from './config.js';
import { atomFeed, statuspageFiles } from './feeds.js';
import type { PageFrame } from './html.js';
import { createHash } from 'node:crypto';
import type { RenderCache } from './markdown.js';
import type { SiteFile } from './output.js';
import { buildEdition, type SourceIncident } from './model.js';
import { historyPage, incidentPage, type MonthReport, type PageContext, reportsPage, statusPage } from './pages.js';
import { serviceViews } from './status.js';

export interface SiteInput {
  incidents: SourceIncident[];
  matrix: SeverityMatrix;
  zone: string;
  /** Epoch ms: "now" for open incidents, maintenance windows and the footer. */
  now: number;
  config: PublishConfig;
  publicOnly: boolean;
  /** Markdown rendered by earlier builds, if the caller keeps it (see RenderCache). */
  renderCache?: RenderCache;
  /** Names the build of the code that renders pages: part of each incident page's key. */
  codeBuild?: string;
}

export interface Site {
  /** Incident pages are lazy: rendered only where the folder does not hold them already. */
  files: Map<string, SiteFile>;
  incidents: number;
  withheld: number;
  postmortemsWithheld: number;
  /** Incidents whose id cannot name a page (a hand-made folder name): left out. */
  skipped: string[];
}

/** Where an incident's page is, relative to the site's root. */
export function incidentPagePath(id: string): string {
  return `incidents/${id}.html`;
}

/** A folder name that is safe on every static host and file system: the id as a slug. */
function safeId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(id) && !id.includes('..');
}

export function buildSite(input: SiteInput): Site {
  const { matrix, zone, now, config, publicOnly } = input;
  const skipped = input.incidents.filter((s) => !safeId(s.incident.id)).map((s) => s.incident.id);
  const edition = buildEdition(
    input.incidents.filter((s) => safeId(s.incident.id)),
    matrix,
    config,
    publicOnly,
  );
  const label = zoneLabel(zone);
  const formatTime = (at: number) => `${formatInZone(at, zone)} ${label}`;
  const builtAt = formatTime(now);
  const frame = (root: string, current: PageFrame['current'], pageTitle: string, script = false): PageFrame => ({
    root,
    siteTitle: config.title,
    pageTitle,
    current,
    builtAt: current === 'incident' ? null : builtAt,
    zone: label,
    publicOnly,
    script,
  });
  const ctx: PageContext = { config, matrix, zone: label, now, publicOnly, formatTime, frame, renderCache: input.renderCache };
  const services = serviceViews(edition.incidents, matrix, config, now);
  const files = new Map<string, SiteFile>();
  // What every incident page depends on besides its incident: a change to any of it changes every key.
  const shared = JSON.stringify([input.codeBuild ?? null, config, matrix, label, publicOnly]);

  files.set('index.html', statusPage(ctx, edition.incidents, services));
  const dateOf = dateFormatter(zone);
  const monthOf = (at: number) => dateOf(at).slice(0, 7);
  files.set('history.html', historyPage(ctx, edition.incidents, monthOf));
  for (const incident of edition.incidents) {
    const { entry: _facts, ...shown } = incident;
    const key = createHash('sha1').update(shared).update(JSON.stringify(shown)).digest('base64');
    files.set(incidentPagePath(incident.id), { key, render: () => incidentPage(ctx, incident) });
  }

  const options: StatsOptions = { matrix, zone, today: dateInZone(now, zone), filter: NO_FILTER };
  // As inc stats selects: drills and incidents closed without a response are counted apart.
  const closed = { declined: 0, duplicate: 0 };
  for (const i of edition.incidents) if (!i.drill && isClosedWithoutResponse(i.status)) closed[i.status] += 1;
  const entries = edition.incidents.filter((i) => !i.drill && !isClosedWithoutResponse(i.status)).map((i) => i.entry);
  const drills = edition.incidents.filter((i) => i.drill).length;
  const overall = computeStats({ selected: entries, drillsExcluded: drills, closedWithoutResponse: closed, warnings: [] }, options).report;
  files.set('reports.html', reportsPage(ctx, overall, monthReports(entries, options, monthOf, Object.keys(overall.monthly))));

  const feed = { config, matrix, zone, now, incidents: edition.incidents, services, formatTime };
  files.set('feed.xml', atomFeed(feed));
  for (const [name, json] of Object.entries(statuspageFiles(feed))) files.set(`api/v2/${name}`, `${JSON.stringify(json, null, 2)}\n`);
  files.set('assets/site.css', SITE_CSS);
  files.set('assets/site.js', SITE_JS);
  // GitHub Pages runs Jekyll unless told not to; the site is already built.
  files.set('.nojekyll', '');
  return { files, incidents: edition.incidents.length, withheld: edition.withheld, postmortemsWithheld: edition.postmortemsWithheld, skipped };
}

/** Stats of each month that `inc stats` shows in its trend (months without incidents included). */
function monthReports(entries: SourceLikeEntry[], options: StatsOptions, monthOf: (at: number) => string, months: string[]): MonthReport[] {
  const groups = new Map<string, SourceLikeEntry[]>();
  for (const entry of entries) {
    const at = entry.incident.milestones.detected;
    if (at === undefined) continue;
    const month = monthOf(at);
    (groups.get(month) ?? groups.set(month, []).get(month)!).push(entry);
  }
  // Each month's own report covers that month alone (not a trend from it to today).
  return months.map((month) => ({
    month,
    report: computeStats({ selected: groups.get(month) ?? [], drillsExcluded: 0, warnings: [] }, { ...options, filter: { ...options.filter, since: `${month}-01`, until: `${month}-31` } }).report,
  }));
}

type SourceLikeEntry = Parameters<typeof computeStats>[0]['selected'][number];
