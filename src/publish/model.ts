/**
 * From the repository's incidents (domain values the command read) to what the site shows:
 * the incidents a site of this edition may show, each with its updates in Statuspage's terms,
 * and for a public site every text redacted and every internal field gone.
 */
import type { Incident } from '../domain/incident.js';
import type { IncidentMetrics } from '../domain/metrics.js';
import type { ActionItem } from '../domain/postmortem.js';
import { findSeverity, type SeverityLevel, type SeverityMatrix } from '../domain/severity.js';
import { postmortemFacts, type StatsEntry, usableFigures } from '../domain/stats.js';
import type { TimelineEntry } from '../domain/timeline.js';
import type { PublishConfig } from './config.js';
import { isPublic, makeRedactor, type Redactor, withoutComments, withoutSections } from './redact.js';

export interface PostmortemSource {
  /** Normalised status: draft, in-review, published (or what the file says). */
  status: string;
  data: Record<string, unknown>;
  body: string;
  actionItems: ActionItem[];
}

/** One incident as read from its three files. */
export interface SourceIncident {
  incident: Incident;
  timeline: TimelineEntry[];
  /** The body of incident.md (summary, status updates), front matter removed. */
  body: string;
  postmortem: PostmortemSource | null;
}

/** Statuspage's incident statuses; inc's "mitigated" is its "monitoring". */
export type UpdateStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

export interface SiteUpdate {
  at: number;
  status: UpdateStatus;
  text: string;
}

export interface SiteTimelineEntry {
  at: number;
  text: string;
  author: string | null;
  kind: string | null;
}

export interface SitePostmortem {
  status: string;
  markdown: string;
  authors: string[];
  reviewers: string[];
  actionItems: { total: number; done: number };
}

export interface SiteIncident {
  id: string;
  title: string;
  severity: string;
  level: SeverityLevel | undefined;
  /** inc's status: investigating, identified, mitigated, resolved (or a closing status). */
  status: string;
  open: boolean;
  drill: boolean;
  services: string[];
  commander: string | null;
  communications: string | null;
  smes: string[];
  milestones: Incident['milestones'];
  metrics: IncidentMetrics;
  timeline: SiteTimelineEntry[];
  /** Oldest first. */
  updates: SiteUpdate[];
  markdown: string;
  postmortem: SitePostmortem | null;
  /** What stats are computed from (facts only, no text). */
  entry: StatsEntry;
}

export interface Edition {
  publicOnly: boolean;
  incidents: SiteIncident[];
  /** Incidents left out of a public site. */
  withheld: number;
  /** Drafts and postmortems under review left out of a public site. */
  postmortemsWithheld: number;
}

const RESPONSE_STATUSES = new Set(['investigating', 'identified', 'mitigated', 'resolved']);

const UPDATE_PREFIX = /^Status update sent \((investigating|identified|mitigated|resolved)\):\s*/i;

function updateStatusOf(status: string): UpdateStatus {
  if (status === 'mitigated') return 'monitoring';
  return status === 'identified' || status === 'resolved' ? status : 'investigating';
}

/** The status an incident had at an instant, from its milestones. */
function statusAt(incident: Incident, at: number): UpdateStatus {
  const m = incident.milestones;
  if (m.resolved !== undefined && m.resolved <= at) return 'resolved';
  if (m.mitigated !== undefined && m.mitigated <= at) return 'monitoring';
  if (m.identified !== undefined && m.identified <= at) return 'identified';
  return 'investigating';
}

const MILESTONE_UPDATES: { milestone: 'detected' | 'identified' | 'mitigated' | 'resolved'; status: UpdateStatus; text: string }[] = [
  { milestone: 'detected', status: 'investigating', text: 'We are investigating this incident.' },
  { milestone: 'identified', status: 'identified', text: 'The cause has been identified.' },
  { milestone: 'mitigated', status: 'monitoring', text: 'The impact has been mitigated; we are monitoring the results.' },
  { milestone: 'resolved', status: 'resolved', text: 'This incident has been resolved.' },
];

/**
 * The updates of an incident, oldest first: each stakeholder update sent (timeline kind
 * "update"; `inc comms` logs the phase it announced), and each milestone reached whose phase
 * no `inc comms` update announced.
 */
export function incidentUpdates(incident: Incident, timeline: TimelineEntry[]): SiteUpdate[] {
  const updates: SiteUpdate[] = [];
  const announced = new Set<UpdateStatus>();
  for (const entry of timeline) {
    if (entry.kind?.trim().toLowerCase() !== 'update') continue;
    const phase = UPDATE_PREFIX.exec(entry.text);
    if (phase) announced.add(updateStatusOf(phase[1]!.toLowerCase()));
    updates.push({
      at: entry.at,
      status: phase ? updateStatusOf(phase[1]!.toLowerCase()) : statusAt(incident, entry.at),
      text: phase ? entry.text.slice(phase[0].length) : entry.text,
    });
  }
  for (const { milestone, status, text } of MILESTONE_UPDATES) {
    const at = incident.milestones[milestone];
    if (at === undefined || announced.has(status)) continue;
    updates.push({ at, status, text });
  }
  return updates.sort((a, b) => a.at - b.at);
}

function names(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((s) => s.trim()).filter(Boolean);
  return [];
}

function statsEntry(source: SourceIncident): StatsEntry {
  const pm = source.postmortem;
  return {
    incident: source.incident,
    postmortem: pm ? postmortemFacts(pm.data, pm.status, pm.actionItems) : null,
    updates: source.timeline.filter((e) => e.kind?.trim().toLowerCase() === 'update').map((e) => e.at),
  };
}

/** Every name and ticket in the files: a public site shows none of them, in any incident. */
function collectInternal(sources: SourceIncident[]): { people: Set<string>; tickets: Set<string> } {
  const people = new Set<string>();
  const tickets = new Set<string>();
  const add = (name: string | null | undefined) => {
    if (name && name.trim()) people.add(name.trim());
  };
  for (const { incident, timeline, postmortem } of sources) {
    add(incident.commander);
    add(incident.communications);
    incident.smes.forEach(add);
    for (const entry of timeline) add(entry.author);
    if (postmortem) {
      names(postmortem.data.authors).forEach(add);
      names(postmortem.data.reviewers).forEach(add);
      for (const item of postmortem.actionItems) {
        names(item.owner).forEach(add);
        if (item.ticket.trim()) tickets.add(item.ticket.trim());
      }
    }
  }
  return { people, tickets };
}

function siteIncident(source: SourceIncident, matrix: SeverityMatrix, redactor: Redactor | null, config: PublishConfig): SiteIncident {
  const { incident, timeline, postmortem } = source;
  const text = (value: string) => (redactor ? redactor.text(value) : value);
  const markdown = (value: string) => text(redactor ? withoutSections(withoutComments(value), config.redact.sections) : withoutComments(value));
  const hiddenKinds = new Set(config.redact.kinds.map((k) => k.toLowerCase()));
  const shownTimeline = redactor ? timeline.filter((e) => !hiddenKinds.has(e.kind?.trim().toLowerCase() ?? '')) : timeline;
  const open = RESPONSE_STATUSES.has(incident.status) && incident.status !== 'resolved';
  return {
    id: incident.id,
    title: text(incident.title),
    severity: findSeverity(matrix, incident.severity)?.name ?? incident.severity,
    level: findSeverity(matrix, incident.severity),
    status: incident.status,
    open,
    drill: incident.drill,
    services: incident.services,
    commander: redactor ? null : incident.commander,
    communications: redactor ? null : incident.communications,
    smes: redactor ? [] : incident.smes,
    milestones: incident.milestones,
    metrics: usableFigures(incident).figures,
    timeline: shownTimeline.map((e) => ({ at: e.at, text: text(e.text), author: redactor ? null : e.author || null, kind: e.kind })),
    updates: incidentUpdates(incident, timeline).map((u) => ({ ...u, text: text(u.text) })),
    markdown: markdown(source.body),
    postmortem: postmortem
      ? {
          status: postmortem.status,
          markdown: markdown(postmortem.body),
          authors: redactor ? [] : names(postmortem.data.authors),
          reviewers: redactor ? [] : names(postmortem.data.reviewers),
          actionItems: { total: postmortem.actionItems.length, done: postmortem.actionItems.filter((i) => i.status === 'done').length },
        }
      : null,
    entry: statsEntry(source),
  };
}

/**
 * The incidents of an edition, newest first. The internal edition shows every incident and
 * every field; the public one only public incidents, published postmortems, redacted text.
 */
export function buildEdition(sources: SourceIncident[], matrix: SeverityMatrix, config: PublishConfig, publicOnly: boolean): Edition {
  const ordered = [...sources].sort((a, b) => detectedOf(b) - detectedOf(a) || (a.incident.id < b.incident.id ? 1 : -1));
  if (!publicOnly) {
    return { publicOnly, incidents: ordered.map((s) => siteIncident(s, matrix, null, config)), withheld: 0, postmortemsWithheld: 0 };
  }
  const { people, tickets } = collectInternal(sources);
  const redactor = makeRedactor(people, tickets, config.redact);
  const shown = ordered.filter((s) => isPublic(s.incident, config.public, matrix) && RESPONSE_STATUSES.has(s.incident.status));
  let postmortemsWithheld = 0;
  const incidents = shown.map((source) => {
    const published = source.postmortem?.status === 'published';
    if (source.postmortem && !published) postmortemsWithheld += 1;
    const visible = published ? source : { ...source, postmortem: null };
    const site = siteIncident(visible, matrix, redactor, config);
    // Stats count the postmortem as written even where a draft is withheld, as inc stats does;
    // the facts they are counted from keep no name or text.
    return { ...site, entry: factsOnly(statsEntry(source)) };
  });
  return { publicOnly, incidents, withheld: sources.length - shown.length, postmortemsWithheld };
}

function factsOnly(entry: StatsEntry): StatsEntry {
  const incident = { ...entry.incident, title: '', commander: null, communications: null, smes: [], tags: [], extra: {} };
  const postmortem = entry.postmortem && {
    ...entry.postmortem,
    rootCauses: [],
    actionItems: entry.postmortem.actionItems.map((item) => ({ ...item, action: '', owner: '', ticket: '' })),
  };
  return { ...entry, incident, postmortem };
}

function detectedOf(source: SourceIncident): number {
  return source.incident.milestones.detected ?? source.incident.milestones.started ?? 0;
}
