/**
 * incident.md merged field by field, as the git merge driver does it: pure, from the parsed
 * front matter of the common ancestor and the two sides, and each side's timeline.
 *
 * - A field changed on one side only takes that side's value.
 * - A list (smes, services, tags) changed on both sides merges as a set: what either side
 *   added is kept, what either side removed goes.
 * - A single value changed on both sides keeps the change made later, by the timeline's
 *   time (a milestone by its own time); the other value is returned as a note for the
 *   timeline, so that nothing is lost silently. Equal times fall back to comparing the
 *   values themselves, so both clones reach the same result whichever merges first.
 */
import { type Milestone, MILESTONES, milestoneKey, STATUSES, statusOf, type Milestones } from './incident.js';
import { KIND } from './response.js';
import { parseStoredTimestamp, toIsoUtc } from './time.js';
import type { TimelineEntry } from './timeline.js';

export type Side = 'ours' | 'theirs';

export interface MergeNote {
  key: string;
  kept: unknown;
  /** When the kept value was set (epoch ms), where the timeline tells. */
  keptAt: number | undefined;
  dropped: unknown;
  droppedAt: number | undefined;
}

export interface FieldMerge {
  /** Every key of the result, in ours' order, then keys only theirs added. */
  merged: Record<string, unknown>;
  /** Keys whose merged value differs from ours (what to write into ours' text). */
  changes: Record<string, unknown>;
  notes: MergeNote[];
}

/** The timeline kind that records a change of `key`; undefined: any row. */
const KIND_OF_KEY: Record<string, string> = {
  severity: KIND.severity,
  commander: KIND.role,
  communications: KIND.role,
};

const MILESTONE_OF_KEY = new Map<string, Milestone>(MILESTONES.map((m) => [milestoneKey(m), m]));

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return undefined;
}

/** Three-way merge of two lists as sets; ours' order first, then what theirs added. */
export function mergeLists(base: unknown[], ours: unknown[], theirs: unknown[]): unknown[] {
  const key = (value: unknown) => JSON.stringify(value);
  const inBase = new Set(base.map(key));
  const inOurs = new Set(ours.map(key));
  const inTheirs = new Set(theirs.map(key));
  const result: unknown[] = [];
  const seen = new Set<string>();
  const add = (value: unknown) => {
    const k = key(value);
    if (!seen.has(k)) {
      seen.add(k);
      result.push(value);
    }
  };
  for (const value of ours) if (!(inBase.has(key(value)) && !inTheirs.has(key(value)))) add(value);
  for (const value of theirs) if (!inOurs.has(key(value)) && !inBase.has(key(value))) add(value);
  return result;
}

/**
 * When a side made its change to `key`: a milestone's own time; otherwise the latest row of
 * that side's timeline of the kind that records such a change (any row for other fields).
 */
export function changeTime(key: string, value: unknown, timeline: TimelineEntry[]): number | undefined {
  if (MILESTONE_OF_KEY.has(key) && typeof value === 'string') {
    const at = parseStoredTimestamp(value);
    if (at !== undefined) return at;
  }
  const kind = KIND_OF_KEY[key];
  let latest: number | undefined;
  for (const entry of timeline) {
    if (kind !== undefined && entry.kind !== kind) continue;
    if (latest === undefined || entry.at > latest) latest = entry.at;
  }
  return latest;
}

/** The later of two changes; equal or unknown times: the larger value, the same on both clones. */
function laterSide(ours: { value: unknown; at: number | undefined }, theirs: { value: unknown; at: number | undefined }): Side {
  const a = ours.at ?? Number.NEGATIVE_INFINITY;
  const b = theirs.at ?? Number.NEGATIVE_INFINITY;
  if (a !== b) return a > b ? 'ours' : 'theirs';
  return JSON.stringify(ours.value) >= JSON.stringify(theirs.value) ? 'ours' : 'theirs';
}

function milestonesOf(data: Record<string, unknown>): Milestones {
  const milestones: Milestones = {};
  for (const [key, milestone] of MILESTONE_OF_KEY) {
    const raw = data[key];
    const at = typeof raw === 'string' ? parseStoredTimestamp(raw) : undefined;
    if (at !== undefined) milestones[milestone] = at;
  }
  return milestones;
}

const KNOWN_STATUSES = new Set<unknown>(STATUSES);

export function mergeFields(
  base: Record<string, unknown>,
  ours: Record<string, unknown>,
  theirs: Record<string, unknown>,
  timelines: Record<Side, TimelineEntry[]>,
): FieldMerge {
  const keys = [...Object.keys(ours), ...Object.keys(theirs).filter((key) => !Object.hasOwn(ours, key))];
  const merged: Record<string, unknown> = {};
  const notes: MergeNote[] = [];
  let statusConflict = false;
  for (const key of keys) {
    const o = base[key];
    const a = ours[key];
    const b = theirs[key];
    if (same(a, b) || same(b, o)) {
      merged[key] = a;
      continue;
    }
    if (same(a, o)) {
      merged[key] = b;
      continue;
    }
    const lists = [asList(o), asList(a), asList(b)];
    if ((Array.isArray(a) || Array.isArray(b)) && lists.every((list) => list !== undefined)) {
      merged[key] = mergeLists(lists[0]!, lists[1]!, lists[2]!);
      continue;
    }
    if (key === 'status' && KNOWN_STATUSES.has(a) && KNOWN_STATUSES.has(b)) {
      statusConflict = true; // follows the merged milestones, below
      merged[key] = a;
      continue;
    }
    const oursChange = { value: a, at: changeTime(key, a, timelines.ours) };
    const theirsChange = { value: b, at: changeTime(key, b, timelines.theirs) };
    const [kept, dropped] = laterSide(oursChange, theirsChange) === 'ours' ? [oursChange, theirsChange] : [theirsChange, oursChange];
    merged[key] = kept.value;
    notes.push({ key, kept: kept.value, keptAt: kept.at, dropped: dropped.value, droppedAt: dropped.at });
  }
  if (statusConflict) merged.status = statusOf(milestonesOf(merged));
  const changes: Record<string, unknown> = {};
  for (const key of keys) if (!same(merged[key], ours[key])) changes[key] = merged[key] ?? null;
  return { merged, changes, notes };
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function when(at: number | undefined): string {
  return at === undefined ? '' : ` (${toIsoUtc(at)})`;
}

/** The timeline text that records a value a merge did not keep. */
export function mergeNoteText(note: MergeNote): string {
  return `Two clones changed ${note.key} at once: kept ${shown(note.kept)}${when(note.keptAt)}, the later change; not ${shown(note.dropped)}${when(note.droppedAt)}`;
}

/** The kind of the timeline rows that record a merge. */
export const MERGE_KIND = 'merge';
