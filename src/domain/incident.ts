/**
 * The incident: its front-matter fields, milestones, status and the order rules between
 * milestones. Pure: built from parsed front matter, checked, turned back into fields.
 */
import { FileError } from './errors.js';
import type { FrontMatter } from './frontmatter.js';
import { formatInZone, parseStoredTimestamp, toIsoUtc } from './time.js';
import { yearProblem } from './years.js';

/**
 * `triggered` (the change or event that set the incident off) is optional and comes first;
 * the others are the response's milestones, in the order a textbook incident reaches them.
 */
export const MILESTONES = ['triggered', 'started', 'detected', 'acknowledged', 'identified', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];
export type Milestones = Partial<Record<Milestone, number>>;

/** Statuses that follow the milestones. */
export const STATUSES = ['investigating', 'identified', 'mitigated', 'resolved'] as const;
/** Closings without a response: a false alarm, or a page for an incident already open. */
export const CLOSED_WITHOUT_RESPONSE = ['declined', 'duplicate'] as const;
export type ClosedWithoutResponse = (typeof CLOSED_WITHOUT_RESPONSE)[number];
export type Status = (typeof STATUSES)[number] | ClosedWithoutResponse;

/**
 * One earlier state that did not hold, kept so that the figures stay exact: a mitigation
 * followed by a relapse (impact came back), or a resolution followed by a reopen. Written in
 * the front matter as an ISO 8601 interval, `<ended>/<came back>`.
 */
export interface Interruption {
  /** When the incident was mitigated (or resolved). */
  ended: number;
  /** When impact came back (or the incident was reopened). */
  back: number;
}

export function milestoneKey(milestone: Milestone): string {
  return `${milestone}_at`;
}

export interface Incident {
  id: string;
  title: string;
  severity: string;
  status: Status;
  drill: boolean;
  services: string[];
  commander: string | null;
  communications: string | null;
  smes: string[];
  milestones: Milestones;
  /** Mitigations that did not hold, oldest first; `mitigated_at` is the one that held. */
  relapses: Interruption[];
  /** Resolutions that were reopened, oldest first; `resolved_at` is the last resolution. */
  reopens: Interruption[];
  /** What set it off: a commit, a pull request, a URL, or text. */
  triggerRef: string | null;
  /** For a duplicate: the incident it duplicates. */
  duplicateOf: string | null;
  /** When a declined or duplicate incident was closed. */
  closedAt: number | null;
  tags: string[];
  /** Front-matter keys inc does not know, kept so JSON shows what the file holds. */
  extra: Record<string, unknown>;
}

/** The milestones a response reaches (every one but the optional trigger). */
export const RESPONSE_MILESTONES = MILESTONES.filter((m): m is Exclude<Milestone, 'triggered'> => m !== 'triggered');

/** What a new incident has had none of yet: relapses, reopens, a trigger, a closing. */
export const NO_HISTORY = { relapses: [], reopens: [], triggerRef: null, duplicateOf: null, closedAt: null } as const satisfies Partial<Incident>;

/** The key order of a new incident.md; hand-edited files keep their own. */
const INCIDENT_KEYS = [
  'id',
  'title',
  'severity',
  'status',
  'drill',
  'services',
  'commander',
  'communications',
  'smes',
  ...RESPONSE_MILESTONES.map(milestoneKey),
  'tags',
] as const;

/**
 * Keys written only when they hold something, after the others: most incidents have no
 * trigger, relapse, reopen or closing, and their files stay as short as before.
 */
const OPTIONAL_KEYS = ['triggered_at', 'trigger_ref', 'relapse_history', 'reopen_history', 'duplicate_of', 'closed_at'] as const;

/**
 * Status follows the furthest milestone reached, whatever order they were set in; a closing
 * without response (`declined`, `duplicate`, written in the file's status) overrides it.
 */
export function statusOf(milestones: Milestones, closedAs?: ClosedWithoutResponse | null): Status {
  if (closedAs) return closedAs;
  if (milestones.resolved !== undefined) return 'resolved';
  if (milestones.mitigated !== undefined) return 'mitigated';
  if (milestones.identified !== undefined) return 'identified';
  return 'investigating';
}

export function isClosedWithoutResponse(status: unknown): status is ClosedWithoutResponse {
  return status === 'declined' || status === 'duplicate';
}

/** The closing without response a status is, or null: what statusOf takes to keep it. */
export function closingOf(status: Status): ClosedWithoutResponse | null {
  return isClosedWithoutResponse(status) ? status : null;
}

/** Resolved, declined or duplicate: an incident that takes no more writes without its id named. */
export function isClosed(status: string): boolean {
  return status === 'resolved' || isClosedWithoutResponse(status);
}

/**
 * Pairs (earlier, later) that must hold when both are set: only what must hold in reality.
 * triggered ≤ started ≤ detected ≤ acknowledged, identified; started ≤ mitigated ≤ resolved.
 * Not enforced, because real incidents do it: a cause identified after the resolution, an
 * acknowledgement after the mitigation, and a recovery (mitigated, even resolved) before
 * anyone detected it. Pairs through a milestone that may be missing are listed too.
 */
const ORDER: [Milestone, Milestone][] = [
  ['triggered', 'started'],
  ['triggered', 'detected'],
  ['triggered', 'acknowledged'],
  ['triggered', 'identified'],
  ['triggered', 'mitigated'],
  ['triggered', 'resolved'],
  ['started', 'detected'],
  ['started', 'acknowledged'],
  ['started', 'identified'],
  ['started', 'mitigated'],
  ['started', 'resolved'],
  ['detected', 'acknowledged'],
  ['detected', 'identified'],
  ['mitigated', 'resolved'],
];

/** The order rules as people read them, for refusals and `inc stats --explain`. */
export const ORDER_RULES =
  'triggered ≤ started ≤ detected ≤ acknowledged and identified; started ≤ mitigated ≤ resolved. ' +
  'A cause may be identified after the resolution, and mitigated/resolved may come before detected (recovered before detection).';

/**
 * Where impact ended before anyone detected the incident: the system recovered on its own
 * (or someone fixed it unknowingly). TTM is null then (there was no response to time); impact
 * is still measured.
 */
export function recoveredBeforeDetection(m: Milestones): boolean {
  const end = m.mitigated ?? m.resolved;
  return end !== undefined && m.detected !== undefined && end < m.detected;
}

export interface OrderConflict {
  earlier: Milestone;
  later: Milestone;
  message: string;
}

export function milestoneConflicts(milestones: Milestones): OrderConflict[] {
  const conflicts: OrderConflict[] = [];
  // Indexed, not for..of with destructuring: stats asks for every one of 10,000 incidents.
  for (let i = 0; i < ORDER.length; i += 1) {
    const earlier = ORDER[i]![0];
    const later = ORDER[i]![1];
    const a = milestones[earlier];
    const b = milestones[later];
    if (a !== undefined && b !== undefined && a > b) {
      conflicts.push({
        earlier,
        later,
        message: `${milestoneKey(earlier)} ${toIsoUtc(a)} is after ${milestoneKey(later)} ${toIsoUtc(b)}`,
      });
    }
  }
  return conflicts;
}

function fieldError(fm: FrontMatter, file: string, key: string, message: string): FileError {
  return new FileError(file, fm.keyLines[key] ?? 1, message);
}

/**
 * A copy of a text that no longer holds on to the file it was cut from. V8 keeps a longer
 * substring as a view of its parent: each title would keep its whole incident.md alive, and
 * list and stats keep 10,000 incidents (their garbage collector copied every file). The
 * concatenation is flattened into a new string when sliced.
 */
function detached(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1);
}

function text(fm: FrontMatter, file: string, key: string, required: boolean): string | null {
  const value = fm.data[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw fieldError(fm, file, key, `${key} is missing; every incident needs one`);
    return null;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw fieldError(fm, file, key, `${key} must be text, found ${describe(value)}`);
  return detached(value);
}

function list(fm: FrontMatter, file: string, key: string): string[] {
  const value = fm.data[key];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [detached(value)];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw fieldError(fm, file, key, `${key} must be a list of texts, such as [payment-service]`);
  }
  return value.map((v) => detached(String(v)));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** Built once: list and stats build 10,000 incidents. */
const MILESTONE_KEYS = MILESTONES.map((milestone) => [milestone, milestoneKey(milestone)] as const);
const KNOWN_KEYS = new Set<string>([...INCIDENT_KEYS, ...OPTIONAL_KEYS]);

/** `<ISO>/<ISO>`: an interruption as the front matter writes it. */
export function formatInterruption(i: Interruption): string {
  return `${toIsoUtc(i.ended)}/${toIsoUtc(i.back)}`;
}

function interruptions(fm: FrontMatter, file: string, key: string): Interruption[] {
  const value = fm.data[key];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const example = `such as [2026-03-15T14:22:00Z/2026-03-15T14:40:00Z]`;
  return items.map((item) => {
    const [a, b, extra] = typeof item === 'string' ? item.split('/') : [];
    const ended = a === undefined ? undefined : parseStoredTimestamp(a.trim());
    const back = b === undefined ? undefined : parseStoredTimestamp(b.trim());
    if (extra !== undefined || ended === undefined || back === undefined) {
      throw fieldError(fm, file, key, `${key}: ${describe(item)} is not <ended>/<came back>, two ISO 8601 times with offsets, ${example}`);
    }
    for (const at of [ended, back]) {
      const outOfRange = yearProblem(at);
      if (outOfRange) throw fieldError(fm, file, key, `${key}: ${outOfRange}`);
    }
    return { ended, back };
  });
}

function closedStatus(fm: FrontMatter): ClosedWithoutResponse | null {
  const written = fm.data.status;
  return typeof written === 'string' && isClosedWithoutResponse(written.trim().toLowerCase())
    ? (written.trim().toLowerCase() as ClosedWithoutResponse)
    : null;
}

function optionalTime(fm: FrontMatter, file: string, key: string): number | null {
  const raw = fm.data[key];
  if (raw === undefined || raw === null || raw === '') return null;
  const parsed = typeof raw === 'string' ? parseStoredTimestamp(raw) : undefined;
  if (parsed === undefined) {
    throw fieldError(fm, file, key, `${key}: "${String(raw)}" is not an ISO 8601 time with an offset, such as 2026-03-15T14:02:00Z`);
  }
  const outOfRange = yearProblem(parsed);
  if (outOfRange) throw fieldError(fm, file, key, `${key}: ${outOfRange}`);
  return parsed;
}

/** Builds an incident from its parsed front matter; a field of the wrong type is a FileError. */
export function incidentFromFrontMatter(fm: FrontMatter, file: string): Incident {
  const milestones: Milestones = {};
  for (let i = 0; i < MILESTONE_KEYS.length; i += 1) {
    const milestone = MILESTONE_KEYS[i]![0];
    const key = MILESTONE_KEYS[i]![1];
    const at = optionalTime(fm, file, key);
    if (at !== null) milestones[milestone] = at;
  }
  const drill = fm.data.drill ?? false;
  if (typeof drill !== 'boolean') throw fieldError(fm, file, 'drill', 'drill must be true or false');
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(fm.data)) if (!KNOWN_KEYS.has(key)) extra[key] = fm.data[key];

  return {
    id: text(fm, file, 'id', true)!,
    title: text(fm, file, 'title', true)!,
    severity: text(fm, file, 'severity', true)!,
    status: statusOf(milestones, closedStatus(fm)),
    drill,
    services: list(fm, file, 'services'),
    commander: text(fm, file, 'commander', false),
    communications: text(fm, file, 'communications', false),
    smes: list(fm, file, 'smes'),
    milestones,
    relapses: interruptions(fm, file, 'relapse_history'),
    reopens: interruptions(fm, file, 'reopen_history'),
    triggerRef: text(fm, file, 'trigger_ref', false),
    duplicateOf: text(fm, file, 'duplicate_of', false),
    closedAt: optionalTime(fm, file, 'closed_at'),
    tags: list(fm, file, 'tags'),
    extra,
  };
}

/**
 * The front-matter fields of an incident, in INCIDENT_KEYS order then the optional keys that
 * hold something; milestones as UTC ISO text.
 */
export function incidentFields(incident: Incident): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of INCIDENT_KEYS) fields[key] = fieldValue(incident, key);
  const optional: Record<(typeof OPTIONAL_KEYS)[number], unknown> = {
    triggered_at: fieldValue(incident, 'triggered_at'),
    trigger_ref: incident.triggerRef,
    relapse_history: incident.relapses.length > 0 ? incident.relapses.map(formatInterruption) : null,
    reopen_history: incident.reopens.length > 0 ? incident.reopens.map(formatInterruption) : null,
    duplicate_of: incident.duplicateOf,
    closed_at: incident.closedAt === null ? null : toIsoUtc(incident.closedAt),
  };
  for (const key of OPTIONAL_KEYS) if (optional[key] !== null) fields[key] = optional[key];
  return fields;
}

const MILESTONE_OF_KEY = new Map<string, Milestone>(MILESTONE_KEYS.map(([milestone, key]) => [key, milestone]));

/** The value of a front-matter key: every other key is the incident's property of that name. */
function fieldValue(incident: Incident, key: string): unknown {
  const milestone = MILESTONE_OF_KEY.get(key);
  if (milestone === undefined) return incident[key as keyof Incident];
  const at = incident.milestones[milestone];
  return at === undefined ? null : toIsoUtc(at);
}

/**
 * The status as `show` and `status` print it, with what qualifies it: impact back after a
 * relapse, recovered before detection, closed as what and when.
 */
export function describeStatus(incident: Incident, zone: string): string {
  const notes: string[] = [];
  if (incident.status === 'duplicate' && incident.duplicateOf) notes.push(`of ${incident.duplicateOf}`);
  if (incident.status === 'declined') notes.push('not an incident');
  if (incident.closedAt !== null && isClosedWithoutResponse(incident.status)) notes.push(`closed ${formatInZone(incident.closedAt, zone)}: left out of every figure`);
  const { mitigated, resolved } = incident.milestones;
  const lastRelapse = incident.relapses[incident.relapses.length - 1];
  if (lastRelapse && mitigated === undefined && resolved === undefined) {
    notes.push(`IMPACTING AGAIN since ${formatInZone(lastRelapse.back, zone)}, relapse ${incident.relapses.length}`);
  } else if (incident.relapses.length > 0) {
    notes.push(`${incident.relapses.length === 1 ? '1 relapse' : `${incident.relapses.length} relapses`}`);
  }
  if (incident.reopens.length > 0) notes.push(`reopened ${incident.reopens.length === 1 ? 'once' : `${incident.reopens.length} times`}`);
  if (recoveredBeforeDetection(incident.milestones)) notes.push('recovered before detection: no TTM');
  return notes.length === 0 ? incident.status : `${incident.status} (${notes.join('; ')})`;
}
