/**
 * Responding in the moment, as pure functions: when the next stakeholder update is due,
 * when to escalate, how a role or severity change reads in the timeline, how status-page
 * text is filled in, and which service names are safe runbook file names. Everything works
 * on UTC epoch milliseconds; the zone only shapes what is displayed.
 */
import { FileError } from './errors.js';
import { splitFrontMatter } from './frontmatter.js';
import { type Incident, isClosed } from './incident.js';
import { firstSpelling, sameName } from './people.js';
import { type SeverityLevel, valueProblem } from './severity.js';
import { renderTemplate } from './template.js';
import { dateInZone, formatInZone, minutesBetween, toIsoUtc, zoneLabel } from './time.js';
import type { TimelineEntry } from './timeline.js';
import { oneLine, trimWhere } from './text.js';

const MINUTE = 60_000;

/** Timeline kinds this module writes and reads. */
export const KIND = {
  update: 'update',
  role: 'role',
  severity: 'severity',
  escalation: 'escalation',
} as const;

type Clocked = Pick<Incident, 'status' | 'milestones'> & Partial<Pick<Incident, 'relapses'>>;

// ---------------------------------------------------------------------------------------
// Stakeholder updates and escalation

export interface UpdateClock {
  everyMinutes: number;
  /** What the clock counts from: the last update sent, or detection when none was sent. */
  countedFrom: 'update' | 'detection';
  from: number;
  dueAt: number;
  lastUpdateAt: number | null;
}

/** The latest timeline entry of a kind (entries need not be sorted). */
export function lastEntryOfKind(timeline: TimelineEntry[], kind: string): TimelineEntry | undefined {
  let last: TimelineEntry | undefined;
  for (const entry of timeline) {
    if (entry.kind?.toLowerCase() === kind && (last === undefined || entry.at >= last.at)) last = entry;
  }
  return last;
}

/**
 * When the next stakeholder update is due: the severity's cadence counted from the last
 * update sent, else from detection. Null when the severity expects no updates, the incident
 * is resolved (the resolution notice is the last one) or it has no detection time.
 */
export function nextUpdateDue(incident: Clocked, level: SeverityLevel | undefined, timeline: TimelineEntry[]): UpdateClock | null {
  const every = level?.updateEveryMinutes ?? null;
  const detected = incident.milestones.detected;
  if (every === null || isClosed(incident.status) || detected === undefined) return null;
  const last = lastEntryOfKind(timeline, KIND.update);
  const from = last ? last.at : detected;
  return {
    everyMinutes: every,
    countedFrom: last ? 'update' : 'detection',
    from,
    dueAt: from + every * MINUTE,
    lastUpdateAt: last ? last.at : null,
  };
}

export interface EscalationState {
  afterMinutes: number;
  /** detected_at + escalate_after_minutes. */
  dueAt: number;
  /** True once that moment has passed without mitigation: page escalateTo now. */
  due: boolean;
  /** Minutes past the threshold (positive) or left before it (negative). */
  minutesPast: number;
  escalateTo: string | null;
  whoIsPaged: string | null;
  /** A timeline entry of kind `escalation` says someone already escalated. */
  escalatedAt: number | null;
}

/**
 * Escalation per the matrix: an incident not mitigated escalate_after_minutes after
 * detection (or after its latest relapse: the clock runs again when impact comes back)
 * should be escalated. Null once mitigated or closed, or when the severity never escalates.
 */
export function escalationState(
  incident: Clocked,
  level: SeverityLevel | undefined,
  timeline: TimelineEntry[],
  now: number,
): EscalationState | null {
  const after = level?.escalateAfterMinutes ?? null;
  const detected = incident.milestones.detected;
  if (after === null || detected === undefined) return null;
  if (incident.milestones.mitigated !== undefined || incident.milestones.resolved !== undefined || isClosed(incident.status)) return null;
  const relapsed = incident.relapses?.[incident.relapses.length - 1]?.back;
  const from = relapsed !== undefined && relapsed > detected ? relapsed : detected;
  const dueAt = from + after * MINUTE;
  const last = lastEntryOfKind(timeline, KIND.escalation);
  // An escalation before the relapse was for the impact that ended then.
  const escalated = last && last.at >= from ? last : undefined;
  return {
    afterMinutes: after,
    dueAt,
    due: now >= dueAt,
    minutesPast: minutesBetween(dueAt, now),
    escalateTo: level?.escalateTo ?? null,
    whoIsPaged: level?.whoIsPaged ?? null,
    escalatedAt: escalated ? escalated.at : null,
  };
}

/** Minutes from now until `at` (negative when `at` has passed). */
export function minutesUntil(at: number, now: number): number {
  return minutesBetween(now, at);
}

/**
 * A time for someone glancing at a terminal: `14:35` on the same local day as now,
 * `2026-03-16 00:05` otherwise, always with the zone named.
 */
export function formatClock(at: number, now: number, zone: string): string {
  const full = formatInZone(at, zone);
  const shown = dateInZone(at, zone) === dateInZone(now, zone) ? full.slice(11) : full;
  return `${shown} ${zoneLabel(zone)}`;
}

// ---------------------------------------------------------------------------------------
// Roles and severity

export interface Roles {
  commander: string | null;
  communications: string | null;
  smes: string[];
}

export interface RoleRequest {
  commander?: string;
  communications?: string;
  addSmes?: string[];
  removeSmes?: string[];
}

/** A role change as scripts read it: `<id> <role> <name>` on stdout (the flag's name). */
export interface RoleEvent {
  role: 'commander' | 'comms' | 'sme' | 'sme-removed';
  name: string;
}

export interface RoleChange {
  roles: Roles;
  /** Timeline texts, one per change, in the order asked. */
  events: string[];
  /** The same changes, in the same order, as role and name. */
  changes: RoleEvent[];
  /** SMEs asked to be removed who were not SMEs. */
  notSmes: string[];
}

function handoff(role: string, next: string, previous: string | null): string {
  return previous ? `${role}: ${next} (handed over from ${previous})` : `${role}: ${next}`;
}

/**
 * Applies a role request. A new commander or communications lead replacing someone is
 * recorded as a handoff, so that the timeline shows who held the role when. Asking for
 * what is already so changes nothing and logs nothing.
 */
export function planRoleChange(current: Roles, request: RoleRequest): RoleChange {
  const roles: Roles = { ...current, smes: [...current.smes] };
  const events: string[] = [];
  const changes: RoleEvent[] = [];
  const notSmes: string[] = [];
  // A person already in a role keeps the spelling first given: `bob` after `Bob` is Bob.
  const known = [current.commander, current.communications, ...current.smes];
  const same = (holder: string | null, name: string) => holder !== null && sameName(holder, name);
  if (request.commander !== undefined && !same(current.commander, request.commander)) {
    const commander = firstSpelling(request.commander, known);
    events.push(handoff('Incident commander', commander, current.commander));
    changes.push({ role: 'commander', name: commander });
    roles.commander = commander;
  }
  if (request.communications !== undefined && !same(current.communications, request.communications)) {
    const communications = firstSpelling(request.communications, known);
    events.push(handoff('Communications lead', communications, current.communications));
    changes.push({ role: 'comms', name: communications });
    roles.communications = communications;
  }
  for (const name of request.removeSmes ?? []) {
    const index = roles.smes.findIndex((sme) => sameName(sme, name));
    if (index === -1) {
      notSmes.push(name);
      continue;
    }
    events.push(`Subject-matter expert released: ${roles.smes[index]}`);
    changes.push({ role: 'sme-removed', name: roles.smes[index]! });
    roles.smes.splice(index, 1);
  }
  for (const name of request.addSmes ?? []) {
    if (roles.smes.some((sme) => sameName(sme, name))) continue;
    const spelled = firstSpelling(name, known);
    events.push(`Subject-matter expert: ${spelled}`);
    changes.push({ role: 'sme', name: spelled });
    roles.smes.push(spelled);
  }
  return { roles, events, changes, notSmes };
}

export function severityChangeText(from: string, to: string, reason?: string): string {
  const text = `Severity changed from ${from} to ${to}`;
  return reason ? `${text}: ${reason}` : text;
}

/** What a severity means for the response, in one line: cadence and escalation. */
export function cadenceSummary(level: SeverityLevel): string {
  const bad = valueProblem(level, 'updateEveryMinutes') ?? valueProblem(level, 'escalateAfterMinutes') ?? valueProblem(level, 'escalateTo');
  if (bad) return `${level.name}: cadence unknown (${bad.message})`;
  const parts: string[] = [];
  parts.push(level.updateEveryMinutes === null ? 'no stakeholder updates expected' : `stakeholder updates every ${level.updateEveryMinutes} min`);
  if (level.escalateAfterMinutes !== null) {
    parts.push(`escalate if not mitigated ${level.escalateAfterMinutes} min after detection${level.escalateTo ? ` (to ${level.escalateTo})` : ''}`);
  }
  return `${level.name}: ${parts.join('; ')}`;
}

// ---------------------------------------------------------------------------------------
// Status-page text

export const COMMS_PHASES = ['investigating', 'identified', 'mitigated', 'resolved'] as const;
export type CommsPhase = (typeof COMMS_PHASES)[number];

export function isCommsPhase(text: string): text is CommsPhase {
  return (COMMS_PHASES as readonly string[]).includes(text);
}

export const DEFAULT_SYMPTOM = 'errors or slow responses';

export interface CommsInput {
  incident: Pick<Incident, 'title' | 'severity' | 'services'>;
  /** Customer-facing names of internal services; an unmapped service is never named. */
  publicServices?: Record<string, string>;
  level: SeverityLevel | undefined;
  phase: CommsPhase;
  /** When this update goes out: the next one is due a cadence later. */
  sentAt: number;
  zone: string;
  symptom?: string;
  message?: string;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** When the update after this one is due; none after the resolution notice. */
export function nextUpdateAfter(input: Pick<CommsInput, 'level' | 'phase' | 'sentAt'>): number | null {
  const every = input.level?.updateEveryMinutes ?? null;
  if (every === null || input.phase === 'resolved') return null;
  return input.sentAt + every * MINUTE;
}

/** The values a comms template can use, documented in templates/comms/*.md. */
export function commsValues(input: CommsInput): Record<string, string> {
  const next = nextUpdateAfter(input);
  const nextText = next === null ? '' : formatClock(next, input.sentAt, input.zone);
  const due = input.level?.postmortemRequired ? input.level.postmortemDueBusinessDays : null;
  return {
    title: input.incident.title,
    severity: input.incident.severity,
    phase: input.phase,
    services: joinNames(publicNames(input.incident.services, input.publicServices ?? {})) || 'some of our services',
    internal_services: joinNames(input.incident.services) || 'some of our services',
    symptom: input.symptom ?? DEFAULT_SYMPTOM,
    message: input.message ? sentence(input.message) : '',
    next_update: nextText,
    next_update_sentence: next === null ? '' : `We will post the next update by ${nextText}.`,
    update_every_minutes: input.level?.updateEveryMinutes ? String(input.level.updateEveryMinutes) : '',
    postmortem_sentence: due ? `We will publish a review of what happened within ${due} business days.` : '',
  };
}

/**
 * The names customers know the incident's services by. Status-page text is public: an
 * internal name (checkout-api) is left out unless the config maps it to a public one.
 */
export function publicNames(services: string[], mapping: Record<string, string>): string[] {
  const names: string[] = [];
  for (const service of services) {
    const name = Object.hasOwn(mapping, service) ? mapping[service]!.trim() : '';
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

/** A free text ends like a sentence, so the template's next sentence does not run into it. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * Fills a comms template. Its leading comment (the template's own documentation) goes
 * first, so no value is ever rendered inside it; then the gaps an empty value leaves (double
 * spaces, a space before a full stop, blank runs) close up, so an optional --message never
 * shows as a hole.
 */
export function renderCommsText(template: string, values: Record<string, string>): string {
  const withoutComment = template.replace(/\r\n?/g, '\n').replace(/^\s*<!--[\s\S]*?-->\s*/, '');
  return renderTemplate(withoutComment, values)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ ([.,;:])/g, '$1').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const DRILL_MARK = '[DRILL]';

/** Drill text is marked on every line that could be pasted on its own, so it is never mistaken for a real outage. */
export function markDrill(text: string): string {
  return text
    .split('\n\n')
    .map((paragraph) => `${DRILL_MARK} ${paragraph}`)
    .join('\n\n');
}

/** The one-line timeline record of an update sent. */
export function updateTimelineText(phase: CommsPhase, text: string): string {
  return `Status update sent (${phase}): ${oneLine(text)}`;
}

/**
 * Appends an update under the body's `## Status updates` heading (adding the heading when a
 * hand-edited file lost it), before the next section, leaving everything else as it was.
 */
export function appendStatusUpdate(fileText: string, at: number, phase: CommsPhase, text: string): string {
  const lines = fileText.replace(/\r\n?/g, '\n').split('\n');
  const bodyStart = bodyStartIndex(fileText);
  const block = [`### ${toIsoUtc(at)} (${phase})`, '', ...text.split('\n'), ''];
  const heading = lines.findIndex((line, i) => i >= bodyStart && /^##\s+status updates\s*$/i.test(line.trim()));
  if (heading === -1) {
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    return `${[...lines, '', '## Status updates', '', ...block].join('\n')}`;
  }
  let end = lines.findIndex((line, i) => i > heading && /^#{1,2}\s/.test(line));
  if (end === -1) end = lines.length;
  let insertAt = end;
  while (insertAt > heading + 1 && lines[insertAt - 1]!.trim() === '') insertAt -= 1;
  const after = lines.slice(end);
  const result = [...lines.slice(0, insertAt), '', ...block];
  if (after.length > 0) result.push(...after);
  const joined = result.join('\n');
  return joined.endsWith('\n') ? joined : `${joined}\n`;
}

/** The index of the body's first line: 0 for a text without front matter. */
function bodyStartIndex(fileText: string): number {
  try {
    return splitFrontMatter(fileText, 'incident.md').bodyStartLine - 1;
  } catch (error) {
    if (error instanceof FileError) return 0;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Runbooks

const SERVICE_SLUG = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;

/**
 * The file name a service's runbook takes: the name itself when it is already a safe slug,
 * otherwise its slug ("Payment Service" -> "payment-service"). Undefined when nothing of the
 * name survives. Trimmed by trimWhere, not a regular expression: linear on any input.
 */
export function serviceSlug(name: string): string | undefined {
  if (SERVICE_SLUG.test(name) && !name.includes('..')) return name;
  const folded = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.');
  const notEdge = (c: string) => !/[a-z0-9]/.test(c);
  const result = trimWhere(trimWhere(folded, notEdge).slice(0, 64), notEdge);
  return SERVICE_SLUG.test(result) ? result : undefined;
}

/**
 * Why a service name cannot have a runbook, or undefined when it can. Any readable name may
 * ("Payment Service" gets runbooks/payment-service.md); a name that looks like a path is
 * refused rather than flattened, because the person typing it most likely meant a file.
 */
export function serviceNameProblem(name: string): string | undefined {
  const what = `"${name}" is not a service name inc can use for a runbook`;
  if (name.trim() === '') return `${what}: it is empty`;
  if (/[/\\]/.test(name) || name.startsWith('.')) return `${what}: it looks like a path (no "/", "\\" or leading ".")`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${what}: it contains a control character`;
  if (serviceSlug(name) === undefined) return `${what}: it has no letter or digit to name a file after`;
  return undefined;
}
