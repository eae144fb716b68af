/**
 * Machine-readable editions of the site: an Atom feed (RFC 4287) of incidents and their
 * updates, and the files of Atlassian Statuspage's public API v2 (summary, status,
 * components, incidents, scheduled-maintenances) in its shapes, so that status widgets and
 * monitors that read a Statuspage page read this one. Ids are stable: the same incident gets
 * the same id in every build (a name-based UUID), whatever the site's address.
 */
import { createHash } from 'node:crypto';
import { localParts } from '../domain/time.js';
import type { SeverityMatrix } from '../domain/severity.js';
import type { Maintenance, PublishConfig } from './config.js';
import { esc } from './html.js';
import type { SiteIncident, SiteUpdate } from './model.js';
import { COMPONENT_STATUS, IMPACT, incidentServiceStatus, isAffecting, OVERALL_TEXT, overallState, type ServiceView } from './status.js';

/** Statuspage lists the 50 most recent incidents; so do we, in the JSON and the feed. */
export const RECENT = 50;

/** A UUID (version 5 layout) from a name: stable across builds and machines. */
export function nameUuid(name: string): string {
  const hex = createHash('sha1').update(`inc:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 with the zone's offset at that instant (Statuspage writes its page's offset). */
export function isoWithOffset(epochMs: number, zone: string): string {
  const seconds = Math.floor(epochMs / 1000) * 1000;
  const p = localParts(seconds, zone);
  const offset = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - seconds) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const ms = pad(epochMs - seconds, 3);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${ms}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export interface FeedContext {
  config: PublishConfig;
  matrix: SeverityMatrix;
  zone: string;
  now: number;
  incidents: SiteIncident[];
  services: ServiceView[];
  formatTime: (epochMs: number) => string;
}

function pageId(config: PublishConfig): string {
  return nameUuid(`page:${config.url ?? config.title}`).slice(0, 12);
}

function incidentPage(config: PublishConfig, id: string): string {
  return `${config.url ?? ''}incidents/${encodeURIComponent(id)}.html`;
}

const lastChanges = new WeakMap<SiteIncident, number>();

/** The latest instant an incident records; the feed, the JSON and their sorting all ask. */
function lastChange(incident: SiteIncident): number {
  let latest = lastChanges.get(incident);
  if (latest === undefined) {
    latest = 0;
    for (const u of incident.updates) if (u.at > latest) latest = u.at;
    for (const e of incident.timeline) if (e.at > latest) latest = e.at;
    for (const at of Object.values(incident.milestones)) if (at !== undefined && at > latest) latest = at;
    lastChanges.set(incident, latest);
  }
  return latest;
}

function recent(incidents: SiteIncident[]): SiteIncident[] {
  return incidents
    .map((incident) => ({ incident, at: lastChange(incident) }))
    .sort((a, b) => b.at - a.at)
    .slice(0, RECENT)
    .map(({ incident }) => incident);
}

// ---------------------------------------------------------------------------------------
// Atom

export function atomFeed(ctx: FeedContext): string {
  const { config } = ctx;
  const entries = recent(ctx.incidents);
  const updated = Math.max(0, ...entries.map(lastChange));
  const base = config.url ? ` xml:base="${esc(config.url)}"` : '';
  const xmlTime = (at: number) => isoWithOffset(at, 'UTC').replace('.000+00:00', 'Z');
  const entryXml = entries.map((incident) => {
    const updates = [...incident.updates].reverse();
    const html = updates.map((u) => `<p><strong>${esc(statusWord(u))}</strong> (${esc(ctx.formatTime(u.at))})<br>${esc(u.text)}</p>`).join('');
    const summary = `${incident.severity}${incident.services.length ? ` · ${incident.services.join(', ')}` : ''} · ${statusWord(updates[0])}`;
    return `<entry>
<id>urn:uuid:${nameUuid(`incident:${incident.id}`)}</id>
<title type="text">${esc(incident.title)}</title>
<updated>${xmlTime(lastChange(incident))}</updated>
<published>${xmlTime(incident.milestones.detected ?? lastChange(incident))}</published>
<link rel="alternate" type="text/html" href="${esc(incidentPage({ ...config, url: null }, incident.id))}"/>
${incident.services.map((s) => `<category term="${esc(s)}"/>`).join('')}<category term="${esc(incident.severity)}"/>
<summary type="text">${esc(summary)}</summary>
<content type="html">${esc(html)}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${base}>
<id>urn:uuid:${nameUuid(`feed:${config.url ?? config.title}`)}</id>
<title type="text">${esc(config.title)}: incidents</title>
<updated>${xmlTime(updated || ctx.now)}</updated>
<author><name>${esc(config.title)}</name></author>
<link rel="alternate" type="text/html" href="history.html"/>
<link rel="self" type="application/atom+xml" href="feed.xml"/>
<generator>inc publish</generator>
${entryXml.join('\n')}
</feed>
`;
}

const STATUS_WORDS: Record<SiteUpdate['status'], string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

export function statusWord(update: SiteUpdate | undefined): string {
  return update ? STATUS_WORDS[update.status] : 'Investigating';
}

// ---------------------------------------------------------------------------------------
// Statuspage API v2

type Json = Record<string, unknown>;

function component(ctx: FeedContext, service: ServiceView, position: number): Json {
  const created = Math.min(ctx.now, ...ctx.incidents.filter((i) => i.services.includes(service.name)).map((i) => i.milestones.detected ?? ctx.now));
  const changed = Math.max(0, ...service.incidents.map(lastChange));
  return {
    id: nameUuid(`component:${service.name}`).slice(0, 12),
    name: service.name,
    status: COMPONENT_STATUS[service.state],
    created_at: isoWithOffset(created, ctx.zone),
    updated_at: isoWithOffset(changed || created, ctx.zone),
    position,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: pageId(ctx.config),
    group: false,
    only_show_if_degraded: false,
  };
}

function pageJson(ctx: FeedContext): Json {
  const updated = Math.max(0, ...ctx.incidents.map(lastChange));
  return { id: pageId(ctx.config), name: ctx.config.title, url: ctx.config.url ?? '', time_zone: ctx.zone, updated_at: isoWithOffset(updated || ctx.now, ctx.zone) };
}

function incidentJson(ctx: FeedContext, incident: SiteIncident, components: Map<string, Json>): Json {
  const iso = (at: number | undefined) => (at === undefined ? null : isoWithOffset(at, ctx.zone));
  const id = nameUuid(`incident:${incident.id}`).slice(0, 12);
  const affected = incident.services.map((s) => components.get(s)).filter((c): c is Json => c !== undefined);
  const impact = IMPACT[incidentServiceStatus(incident, ctx.matrix)];
  const updates = [...incident.updates].reverse().map((u, index) => ({
    id: nameUuid(`update:${incident.id}:${u.at}:${index}`).slice(0, 12),
    status: u.status,
    body: u.text,
    incident_id: id,
    created_at: iso(u.at),
    updated_at: iso(u.at),
    display_at: iso(u.at),
    affected_components: null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }));
  const latest = incident.updates.at(-1);
  const status = incident.status === 'resolved' ? 'resolved' : incident.status === 'mitigated' ? 'monitoring' : incident.status === 'identified' ? 'identified' : 'investigating';
  return {
    id,
    name: incident.title,
    status,
    created_at: iso(incident.milestones.detected ?? latest?.at),
    updated_at: iso(lastChange(incident)),
    monitoring_at: iso(incident.milestones.mitigated),
    resolved_at: iso(incident.milestones.resolved),
    impact,
    shortlink: incidentPage(ctx.config, incident.id),
    started_at: iso(incident.milestones.started ?? incident.milestones.detected),
    page_id: pageId(ctx.config),
    incident_updates: updates,
    components: affected,
  };
}

function maintenanceJson(ctx: FeedContext, m: Maintenance, components: Map<string, Json>): Json {
  const iso = (at: number) => isoWithOffset(at, ctx.zone);
  const status = ctx.now < m.startsAt ? 'scheduled' : ctx.now < m.endsAt ? 'in_progress' : 'completed';
  const id = nameUuid(`maintenance:${m.title}:${m.startsAt}`).slice(0, 12);
  return {
    id,
    name: m.title,
    status,
    created_at: iso(m.startsAt),
    updated_at: iso(Math.min(ctx.now, m.endsAt)),
    monitoring_at: null,
    resolved_at: status === 'completed' ? iso(m.endsAt) : null,
    impact: 'maintenance',
    shortlink: `${ctx.config.url ?? ''}index.html`,
    started_at: iso(m.startsAt),
    page_id: pageId(ctx.config),
    incident_updates: [
      { id: `${id}u`, status, body: m.description || m.title, incident_id: id, created_at: iso(m.startsAt), updated_at: iso(m.startsAt), display_at: iso(m.startsAt), affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null },
    ],
    components: m.services.map((s) => components.get(s)).filter((c): c is Json => c !== undefined),
    scheduled_for: iso(m.startsAt),
    scheduled_until: iso(m.endsAt),
  };
}

/** Statuspage's indicator: the worst impact among incidents that still affect a service. */
function indicator(ctx: FeedContext): { indicator: string; description: string } {
  const order = ['critical', 'major', 'minor'] as const;
  const impacts = new Set(ctx.incidents.filter(isAffecting).map((i) => IMPACT[incidentServiceStatus(i, ctx.matrix)]));
  const worst = order.find((impact) => impacts.has(impact)) ?? 'none';
  return { indicator: worst, description: OVERALL_TEXT[overallState(ctx.services)] };
}

/** The files under api/v2/, by name. */
export function statuspageFiles(ctx: FeedContext): Record<string, Json> {
  const components = new Map(ctx.services.map((service, i) => [service.name, component(ctx, service, i + 1)]));
  const page = pageJson(ctx);
  const unresolved = ctx.incidents.filter((i) => i.open && !i.drill).map((i) => incidentJson(ctx, i, components));
  const incidents = recent(ctx.incidents.filter((i) => !i.drill)).map((i) => incidentJson(ctx, i, components));
  const maintenances = ctx.config.maintenance.map((m) => maintenanceJson(ctx, m, components));
  const upcoming = maintenances.filter((m) => m.status !== 'completed');
  const status = indicator(ctx);
  return {
    'summary.json': { page, components: [...components.values()], incidents: unresolved, scheduled_maintenances: upcoming, status },
    'status.json': { page, status },
    'components.json': { page, components: [...components.values()] },
    'incidents.json': { page, incidents },
    'incidents/unresolved.json': { page, incidents: unresolved },
    'scheduled-maintenances.json': { page, scheduled_maintenances: maintenances },
  };
}
