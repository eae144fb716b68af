/**
 * Corrections to a timeline that stays append-only. timeline.md merges with git's union merge,
 * so a row deleted or edited by hand comes back from the other side of a merge, and a
 * `git revert` of an append is undone by the next merge. An entry is corrected instead by a
 * later row that names it: kind `amend` (`amends <time> ~ref: <new text>`) or `retract`
 * (`retracts <time> ~ref: <reason>`). Readers show the corrected timeline made here.
 *
 * An entry's ref is a hash of its own content (time, text, author, kind), so it is the same on
 * every clone and no merge can shift it, as a row number or a position in the file would.
 */
import { createHash } from 'node:crypto';
import { FileError, UsageError } from './errors.js';
import type { Incident } from './incident.js';
import { dateInZone, parseUtcTimestamp, readTimeInput, readWrittenTime, toIsoUtc } from './time.js';
import type { TimelineEntry } from './timeline.js';

export const CORRECTION_KIND = { amend: 'amend', retract: 'retract' } as const;
export type CorrectionAction = keyof typeof CORRECTION_KIND;
const VERB: Record<CorrectionAction, string> = { amend: 'amends', retract: 'retracts' };

/** Hex digits of a ref after its `~`: 28 bits, ample for the rows of one timeline. */
export const REF_DIGITS = 7;

/** `~a1b2c3d`: an entry's stable name, from its content. */
export function entryRef(entry: Pick<TimelineEntry, 'at' | 'text' | 'author' | 'kind'>): string {
  // JSON of the fields keeps them apart whatever they contain; the time in its one stored form.
  const content = JSON.stringify([toIsoUtc(entry.at), entry.text, entry.author, entry.kind ?? '']);
  return `~${createHash('sha256').update(content).digest('hex').slice(0, REF_DIGITS)}`;
}

export function isCorrectionKind(kind: string | null): boolean {
  const k = kind?.trim().toLowerCase();
  return k === CORRECTION_KIND.amend || k === CORRECTION_KIND.retract;
}

/** The text of a correction row naming the entry at `at` with `ref`: `amends 2026-03-15T14:12:00Z ~a1b2c3d: <text>`. */
export function correctionText(action: CorrectionAction, at: number, ref: string, text?: string): string {
  const named = `${VERB[action]} ${toIsoUtc(at)} ${ref}`;
  return text === undefined || text === '' ? named : `${named}: ${text}`;
}

/**
 * The timeline labels of milestone rows (kind `milestone`): what `inc ack`, `inc milestone`
 * and the rest write (`Mitigated`, `Mitigated (corrected from …)`, `Mitigated: note`), and
 * the shorter words an import writes (`Started (from the … export)`).
 */
export const MILESTONE_ROW_LABELS: Record<string, readonly string[]> = {
  triggered: ['Triggered'],
  started: ['User impact started', 'Started'],
  detected: ['Detected'],
  acknowledged: ['Acknowledged'],
  identified: ['Cause identified', 'Identified'],
  mitigated: ['Mitigated'],
  resolved: ['Resolved'],
};

const LABELS = Object.entries(MILESTONE_ROW_LABELS)
  .flatMap(([milestone, labels]) => labels.map((label) => ({ milestone, label: label.toLowerCase() })))
  // The longest first: "Cause identified" before "Identified" would not matter, but be exact.
  .sort((a, b) => b.label.length - a.label.length);

/** The milestone a row of kind `milestone` records, from the label its text starts with. */
export function milestoneOfRow(entry: Pick<TimelineEntry, 'text' | 'kind'>): string | undefined {
  if (entry.kind?.trim().toLowerCase() !== 'milestone') return undefined;
  const text = entry.text.trimStart().toLowerCase();
  for (const { milestone, label } of LABELS) {
    if (!text.startsWith(label)) continue;
    const rest = text.slice(label.length);
    if (rest === '' || rest.startsWith(' (') || rest.startsWith(':')) return milestone;
  }
  return undefined;
}

export interface Correction {
  action: CorrectionAction;
  /** The correction row itself. */
  row: TimelineEntry;
  ref: string;
  /** The entry it names: its time and ref. */
  targetAt: number;
  targetRef: string;
  /** The new text (amend) or the reason, possibly empty (retract). */
  text: string;
}

export interface CorrectedEntry extends TimelineEntry {
  ref: string;
  /** Its text is the latest amendment's; `originalText` is what was logged. */
  amended: boolean;
  originalText: string;
  /** A milestone row whose time is no longer the incident's time for that milestone. */
  superseded: boolean;
  /** The milestone a milestone row records. */
  milestone?: string;
  /** In the history view only: left out of the corrected timeline, with the reason given. */
  retracted?: { at: number; author: string; reason: string };
}

export interface CorrectedTimeline {
  /** The timeline as readers show it: retracted entries and correction rows left out. */
  entries: CorrectedEntry[];
  /** The entries retracted, corrected as the others (for a history view). */
  retracted: CorrectedEntry[];
  /** Every correction row that names an entry. */
  corrections: Correction[];
  /** Correction rows that cannot be applied, with their line. */
  problems: FileError[];
}

/** A row as written, in the corrected form (a correction row, or a row shown as it arrives). */
export function uncorrected(entry: TimelineEntry): CorrectedEntry {
  return { ...entry, ref: entryRef(entry), amended: false, originalText: entry.text, superseded: false };
}

/** Milestone times the incident holds: its current ones, and earlier ones that still count. */
export interface MilestoneTimes {
  /** The incident's current time per milestone (its front matter). */
  current: Partial<Record<string, number>>;
  /** Further times per milestone that still count as held (an earlier mitigation of a relapsed incident). */
  held?: Partial<Record<string, readonly number[]>>;
}

const CORRECTION_TEXT = /^\s*\S+\s+(\S+)\s+(~[0-9a-fA-F]+)\s*(?::\s?([\s\S]*))?$/;

/** Reads a correction row; a string says why it cannot be one. */
function readCorrection(row: TimelineEntry): Correction | string {
  const action = row.kind!.trim().toLowerCase() as CorrectionAction;
  const m = CORRECTION_TEXT.exec(row.text);
  const example = `${VERB[action]} 2026-03-15T14:12:00Z ~a1b2c3d${action === 'amend' ? ': <new text>' : ': <reason>'}`;
  const article = action === 'amend' ? 'an' : 'a';
  if (!m) return `${article} ${action} row names no entry; expected "${example}"`;
  const targetAt = parseUtcTimestamp(m[1]!) ?? readWrittenTime(m[1]!, 'UTC');
  const at = typeof targetAt === 'number' ? targetAt : 'at' in targetAt ? targetAt.at : undefined;
  if (at === undefined) return `${article} ${action} row names no readable time ("${m[1]}"); expected "${example}"`;
  const text = (m[3] ?? '').trim();
  if (action === 'amend' && text === '') return `the amend row gives no new text; expected "${example}"`;
  return { action, row, ref: entryRef(row), targetAt: Math.floor(at / 1000) * 1000, targetRef: m[2]!.toLowerCase(), text };
}

/** Later wins; equal times are decided by the rows' content, the same on every clone. */
function later(a: Correction, b: Correction): boolean {
  if (a.row.at !== b.row.at) return a.row.at > b.row.at;
  if (a.ref !== b.ref) return a.ref > b.ref;
  return a.text > b.text;
}

const keyOf = (at: number, ref: string) => `${Math.floor(at / 1000)} ${ref}`;

/**
 * The corrected timeline of `entries` (as parseTimeline reads them, in time order): amended
 * entries carry the latest amendment's text, retracted ones are set apart, correction rows
 * are not events of their own, and, given the incident's milestone times, milestone rows at
 * another time are flagged superseded. Linear in the number of rows. The result depends on
 * the rows, not on their order in the file (beyond the order of entries at equal times).
 */
export function correctTimeline(entries: readonly TimelineEntry[], milestones?: MilestoneTimes, file = 'timeline.md'): CorrectedTimeline {
  const problems: FileError[] = [];
  const corrections: Correction[] = [];
  const plain: { entry: TimelineEntry; ref: string }[] = [];
  const byKey = new Map<string, { entry: TimelineEntry; ref: string }[]>();
  const correctionKeys = new Set<string>();
  for (const entry of entries) {
    if (isCorrectionKind(entry.kind)) {
      const read = readCorrection(entry);
      if (typeof read === 'string') problems.push(new FileError(file, entry.line ?? 0, read));
      else {
        corrections.push(read);
        correctionKeys.add(keyOf(entry.at, read.ref));
      }
      continue;
    }
    const item = { entry, ref: entryRef(entry) };
    plain.push(item);
    const key = keyOf(entry.at, item.ref);
    const same = byKey.get(key);
    if (same) same.push(item);
    else byKey.set(key, [item]);
  }

  const amendments = new Map<string, Correction>();
  const retractions = new Map<string, Correction>();
  for (const correction of corrections) {
    const key = keyOf(correction.targetAt, correction.targetRef);
    if (!byKey.has(key)) {
      const what = correctionKeys.has(key)
        ? 'names another correction row; a correction names the entry itself'
        : 'names no entry of this timeline (the entry was edited or removed by hand?)';
      problems.push(new FileError(file, correction.row.line ?? 0, `${correction.action} of ${toIsoUtc(correction.targetAt)} ${correction.targetRef} ${what}`));
      continue;
    }
    const chosen = correction.action === 'amend' ? amendments : retractions;
    const previous = chosen.get(key);
    // The latest amendment counts; of several retractions, the first says why.
    if (previous === undefined || (correction.action === 'amend' ? later(correction, previous) : later(previous, correction))) chosen.set(key, correction);
  }

  const shown: CorrectedEntry[] = [];
  const retracted: CorrectedEntry[] = [];
  for (const { entry, ref } of plain) {
    const key = keyOf(entry.at, ref);
    const amendment = amendments.get(key);
    const corrected: CorrectedEntry = {
      ...entry,
      text: amendment ? amendment.text : entry.text,
      ref,
      amended: amendment !== undefined,
      originalText: entry.text,
      superseded: false,
    };
    const milestone = milestoneOfRow(entry);
    if (milestone !== undefined) {
      corrected.milestone = milestone;
      if (milestones) corrected.superseded = !holds(milestones, milestone, entry.at);
    }
    const retraction = retractions.get(key);
    if (retraction) {
      corrected.retracted = { at: retraction.row.at, author: retraction.row.author, reason: retraction.text };
      retracted.push(corrected);
    } else shown.push(corrected);
  }
  problems.sort((a, b) => a.line - b.line);
  return { entries: shown, retracted, corrections, problems };
}

/**
 * correctTimeline(entries).problems, what `inc check` reports: none where no row is a
 * correction, as in most timelines, and then no entry's ref is hashed nor any entry copied
 * (over 10,000 timelines that was a third of a cold `inc check`).
 */
export function correctionProblems(entries: readonly TimelineEntry[], file?: string): FileError[] {
  return entries.some((entry) => isCorrectionKind(entry.kind)) ? correctTimeline(entries, undefined, file).problems : [];
}

function holds(times: MilestoneTimes, milestone: string, at: number): boolean {
  const second = Math.floor(at / 1000);
  const current = times.current[milestone];
  if (current !== undefined && Math.floor(current / 1000) === second) return true;
  return (times.held?.[milestone] ?? []).some((t) => Math.floor(t / 1000) === second);
}

/**
 * An incident's corrected timeline: what every reader shows (show, status, the postmortem,
 * the site). The one place that says which milestone times an incident holds: its current
 * ones, the mitigations a relapse interrupted and the resolutions a reopen interrupted (they
 * happened, and the figures count them).
 */
export function incidentTimeline(incident: Pick<Incident, 'milestones'> & Partial<Pick<Incident, 'relapses' | 'reopens'>>, entries: readonly TimelineEntry[], file?: string): CorrectedTimeline {
  const held = {
    mitigated: (incident.relapses ?? []).map((relapse) => relapse.ended),
    resolved: (incident.reopens ?? []).map((reopen) => reopen.ended),
  };
  return correctTimeline(entries, { current: incident.milestones, held }, file);
}

// ---------------------------------------------------------------------------------------
// Naming an entry, as `inc show` prints it: #3, 14:12 (or any time form), ~a1b2c3d

export type EntryMatch =
  | { kind: 'entry'; entry: CorrectedEntry }
  | { kind: 'retracted'; entry: CorrectedEntry }
  | { kind: 'correction'; correction: Correction }
  | { kind: 'ambiguous'; entries: CorrectedEntry[] }
  | { kind: 'none'; problem: string };

export interface EntryNaming {
  /** Now, epoch milliseconds: for `now` and relative times. */
  now: number;
  /** The zone of a time typed without one. */
  zone: string;
}

const NUMBER = /^#?(\d+)$/;
const REF = /^~([0-9a-f]{4,})$/i;
const MIN_REF_DIGITS = 4;

/**
 * The entry a user names: its number in the corrected timeline, its time or its ref. Entries
 * shown come first; a retracted entry or a correction row is returned as such, so that the
 * caller can say why it cannot be corrected. Throws UsageError where the text is none of them.
 */
export function findEntry(timeline: CorrectedTimeline, name: string, naming: EntryNaming): EntryMatch {
  const typed = name.trim();
  const number = NUMBER.exec(typed);
  if (number) {
    const n = Number(number[1]);
    const entry = timeline.entries[n - 1];
    if (entry && n >= 1) return { kind: 'entry', entry };
    return { kind: 'none', problem: `there is no entry #${number[1]}: the timeline has ${timeline.entries.length} ${timeline.entries.length === 1 ? 'entry' : 'entries'}` };
  }
  const ref = REF.exec(typed);
  if (ref) {
    const digits = `~${ref[1]!.toLowerCase()}`;
    if (digits.length > REF_DIGITS + 1) return { kind: 'none', problem: `${typed} is longer than a ref (~ and ${REF_DIGITS} hex digits)` };
    return pick(timeline, (ref) => ref.startsWith(digits), typed);
  }
  if (typed.startsWith('~')) {
    throw new UsageError(`"${typed}" is not a ref: a ref is ~ and ${MIN_REF_DIGITS} to ${REF_DIGITS} hex digits, as \`inc show\` prints it`);
  }
  const span = timeSpan(timeline, typed, naming);
  return pick(timeline, undefined, typed, span);
}

/** The instants a time names, and whether it names whole minutes (no seconds typed). */
function timeSpan(timeline: CorrectedTimeline, typed: string, naming: EntryNaming): { instants: number[]; step: number } {
  const step = /\d:\d{2}:\d{2}/.test(typed) ? 1000 : 60_000;
  const written = readWrittenTime(typed, naming.zone);
  if ('at' in written) return { instants: [written.at], step };
  const relative = /^(now|[+-]\d)/i.test(typed);
  if (relative) return { instants: [readTimeInput(typed, { now: naming.now, zone: naming.zone, flag: '<entry>' }).at], step };
  // A time of day names that time on any day of the timeline: an incident may span days.
  const anyDay = { now: Number.MAX_SAFE_INTEGER, zone: naming.zone, flag: '<entry>' };
  try {
    readTimeInput(typed, { ...anyDay, on: '2000-01-15' });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(
      `<entry> ${typed} is not an entry's number, time or ref`,
      'Name it as `inc show` prints it: its number (3 or #3), its time (14:12, or 2026-03-15T14:12:00Z) or its ref (~a1b2c3d).',
    );
  }
  const days = new Set<string>();
  for (const e of [...timeline.entries, ...timeline.retracted, ...timeline.corrections.map((c) => c.row)]) days.add(dateInZone(e.at, naming.zone));
  const instants: number[] = [];
  for (const on of days) {
    try {
      instants.push(readTimeInput(typed, { ...anyDay, on }).at);
    } catch (error) {
      // That wall time does not exist on that day (a daylight-saving gap): no entry there.
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return { instants, step };
}

function pick(timeline: CorrectedTimeline, refMatches: ((ref: string) => boolean) | undefined, typed: string, span?: { instants: number[]; step: number }): EntryMatch {
  const slots = new Set(span?.instants.map((at) => Math.floor(at / span.step)));
  const matches = (at: number, ref: string) => (refMatches ? refMatches(ref) : slots.has(Math.floor(at / span!.step)));
  const shown = distinctRefs(timeline.entries.filter((e) => matches(e.at, e.ref)));
  if (shown.length === 1) return { kind: 'entry', entry: shown[0]! };
  if (shown.length > 1) return { kind: 'ambiguous', entries: shown };
  const retracted = distinctRefs(timeline.retracted.filter((e) => matches(e.at, e.ref)));
  if (retracted.length === 1) return { kind: 'retracted', entry: retracted[0]! };
  if (retracted.length > 1) return { kind: 'ambiguous', entries: retracted };
  const correction = timeline.corrections.find((c) => matches(c.row.at, c.ref));
  if (correction) return { kind: 'correction', correction };
  return { kind: 'none', problem: refMatches ? `no entry has the ref ${typed}` : `no entry at ${typed}` };
}

/** Identical rows (the same time, text, author and kind) are one entry: they share a ref. */
function distinctRefs(entries: CorrectedEntry[]): CorrectedEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.ref) && seen.add(e.ref));
}
