/**
 * The incident: its front-matter fields, milestones, status and the order rules between
 * milestones. Pure: built from parsed front matter, checked, turned back into fields.
 */
import { FileError } from './errors.js';
import type { FrontMatter } from './frontmatter.js';
import { parseStoredTimestamp, toIsoUtc } from './time.js';
import { yearProblem } from './years.js';

export const MILESTONES = ['started', 'detected', 'acknowledged', 'identified', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];
export type Milestones = Partial<Record<Milestone, number>>;

export const STATUSES = ['investigating', 'identified', 'mitigated', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];

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
  tags: string[];
  /** Front-matter keys inc does not know, kept so JSON shows what the file holds. */
  extra: Record<string, unknown>;
}

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
  ...MILESTONES.map(milestoneKey),
  'tags',
] as const;

/** Status follows the latest milestone reached. */
export function statusOf(milestones: Milestones): Status {
  if (milestones.resolved !== undefined) return 'resolved';
  if (milestones.mitigated !== undefined) return 'mitigated';
  if (milestones.identified !== undefined) return 'identified';
  return 'investigating';
}

/** Pairs (earlier, later) that must hold when both are set. */
const ORDER: [Milestone, Milestone][] = [
  ['started', 'detected'],
  ['started', 'acknowledged'],
  ['started', 'identified'],
  ['started', 'mitigated'],
  ['started', 'resolved'],
  ['detected', 'acknowledged'],
  ['detected', 'identified'],
  ['detected', 'mitigated'],
  ['detected', 'resolved'],
  ['acknowledged', 'resolved'],
  ['identified', 'resolved'],
  ['mitigated', 'resolved'],
];

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
const KNOWN_KEYS = new Set<string>(INCIDENT_KEYS);

/** Builds an incident from its parsed front matter; a field of the wrong type is a FileError. */
export function incidentFromFrontMatter(fm: FrontMatter, file: string): Incident {
  const milestones: Milestones = {};
  for (let i = 0; i < MILESTONE_KEYS.length; i += 1) {
    const milestone = MILESTONE_KEYS[i]![0];
    const key = MILESTONE_KEYS[i]![1];
    const raw = fm.data[key];
    if (raw === undefined || raw === null || raw === '') continue;
    const parsed = typeof raw === 'string' ? parseStoredTimestamp(raw) : undefined;
    if (parsed === undefined) {
      throw fieldError(fm, file, key, `${key}: "${String(raw)}" is not an ISO 8601 time with an offset, such as 2026-03-15T14:02:00Z`);
    }
    const outOfRange = yearProblem(parsed);
    if (outOfRange) throw fieldError(fm, file, key, `${key}: ${outOfRange}`);
    milestones[milestone] = parsed;
  }
  const drill = fm.data.drill ?? false;
  if (typeof drill !== 'boolean') throw fieldError(fm, file, 'drill', 'drill must be true or false');
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(fm.data)) if (!KNOWN_KEYS.has(key)) extra[key] = fm.data[key];

  return {
    id: text(fm, file, 'id', true)!,
    title: text(fm, file, 'title', true)!,
    severity: text(fm, file, 'severity', true)!,
    status: statusOf(milestones),
    drill,
    services: list(fm, file, 'services'),
    commander: text(fm, file, 'commander', false),
    communications: text(fm, file, 'communications', false),
    smes: list(fm, file, 'smes'),
    milestones,
    tags: list(fm, file, 'tags'),
    extra,
  };
}

/** The front-matter fields of an incident, in INCIDENT_KEYS order; milestones as UTC ISO text. */
export function incidentFields(incident: Incident): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of INCIDENT_KEYS) fields[key] = fieldValue(incident, key);
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
