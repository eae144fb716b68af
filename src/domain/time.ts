/**
 * Time arguments and display. Files always hold UTC ISO 8601 (`2026-03-15T14:02:00Z`);
 * the configured zone is used only to read what a person typed and to display.
 *
 * Zone arithmetic uses Intl directly rather than dayjs' timezone plugin: every computation
 * happens on UTC epoch milliseconds and the zone is applied only at the edges, which keeps
 * DST changes and durations over 24 h exact (docs/decisions/0062-no-dayjs.md).
 */
import { UsageError } from './errors.js';
import { ABBREVIATIONS, AMBIGUOUS_ABBREVIATIONS, etcGmtNote, formatOffset, isoOffset } from './zones.js';

const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * True when the runtime knows this IANA zone name (or UTC). A formatter costs ~10 ms the
 * first time (ICU loads its data), a tax on every `inc log` that checks the configured zone:
 * UTC, and the canonical names Intl lists, are known without one.
 */
export function isValidZone(zone: string): boolean {
  if (zone === 'UTC' || Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Instants from 1970 to the year 9999, where the Date's own UTC fields are what Intl shows for UTC. */
const FAST_UTC_END = Date.UTC(10_000, 0, 1);

/**
 * True when the zone is UTC and the instant in the years Intl and Date agree on (it shows the
 * proleptic Gregorian calendar as Date does): no formatter is needed then, which spares ICU's
 * ~10 ms start-up and a formatToParts per date when list and stats date 10,000 incidents.
 */
export function isPlainUtc(epochMs: number, zone: string): boolean {
  return (zone === 'UTC' || zone === 'Etc/UTC') && epochMs >= 0 && epochMs < FAST_UTC_END;
}

/** The wall-clock fields of an instant in a zone. */
export function localParts(epochMs: number, zone: string): LocalParts {
  if (isPlainUtc(epochMs, zone)) {
    const date = new Date(epochMs);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
    };
  }
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    hour: fields.hour! % 24,
    minute: fields.minute!,
    second: fields.second!,
  };
}

function offsetMs(epochMs: number, zone: string): number {
  const p = localParts(epochMs, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * A real date and time of the proleptic Gregorian calendar, as Date counts them, from the
 * year 100: Date.UTC reads the years 0-99 as 1900-1999.
 */
function validCalendar(p: LocalParts): boolean {
  if (p.year < 100 || p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) return false;
  return p.hour >= 0 && p.hour <= 23 && p.minute >= 0 && p.minute <= 59 && p.second >= 0 && p.second <= 59;
}

function wallMs(p: LocalParts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

function sameWall(a: LocalParts, b: LocalParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

const DAY = 1440 * MINUTE;

/**
 * Every instant at which the zone's clock shows these fields, earliest first: none in a
 * daylight-saving gap, two in an overlap. Intl would shift a gap time silently, so each
 * candidate is converted back and compared (one transition at most lies within a day).
 */
function wallInstants(parts: LocalParts, zone: string): number[] {
  const guess = wallMs(parts);
  const offsets = new Set([offsetMs(guess - DAY, zone), offsetMs(guess, zone), offsetMs(guess + DAY, zone)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const at = guess - offset;
    if (sameWall(localParts(at, zone), parts)) found.add(at);
  }
  return [...found].sort((a, b) => a - b);
}

/** The instant at which a zone's wall clock shows the given fields (the first, in an overlap). */
function localToEpoch(parts: LocalParts, zone: string): number {
  // In a gap (a zone whose clocks skip midnight): the instant the skipped time is read at with the offset before it.
  return wallInstants(parts, zone)[0] ?? wallMs(parts) - offsetMs(wallMs(parts) - DAY, zone);
}

// ---------------------------------------------------------------------------------------
// Reading times people type: flags, and times written by hand into files.
//
// Every regular expression below is anchored and has no nested unbounded quantifier: a
// hand-written time in a file from a pull request is hostile input and must read in linear time.

/** The forms, for hints: what to type instead. */
export const TIME_FORMS_HINT =
  'Forms: HH:mm[:ss] (14:05, 4:19, 14:05:30), 2:05pm, "YYYY-MM-DD HH:mm" (2026-03-15 14:05), ' +
  'a zone after any of them (14:05 UTC, 14:05Z, 13:44 PST, 14:05 America/Los_Angeles), ' +
  'ISO 8601 with an offset (2026-03-15T14:05:00-07:00), -5m, -1h30m, or now.';

/** The zone of a text that must name its own (a stored timestamp): none. */
const NO_ZONE = '';

/** Longer than any form: refused before any expression runs on it. */
const MAX_TIME_TEXT = 80;

const WRITTEN_RE =
  /^(?:(\d{4})-(\d{1,2})-(\d{1,2})([Tt ]))?(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?(?: ?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?(?: ?([A-Za-z+-].*))?$/;
const DATE_ONLY_RE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const CLOCK = String.raw`(?:\d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?)?|\d{1,2} ?[ap]\.?m\.?)`;
const RANGE_RE = new RegExp(String.raw`^(?:\d{4}-\d{1,2}-\d{1,2} )?(${CLOCK}) ?(?:-|–|—|to|until|till) ?(?:\d{4}-\d{1,2}-\d{1,2} )?(${CLOCK})(?: [A-Za-z][A-Za-z0-9_/+-]{0,40})?$`, 'i');
/** `06:02:00-08:00`: a time with seconds then an offset, never a range. */
const SECONDS_THEN_OFFSET_RE = /:\d{2}:\d{2}(?:[.,]\d{1,9})?-\d{2}:?\d{2}$/;
const OFFSET_RE = /^([+-])(\d{2})(?::?(\d{2}))?$/;
const NAMED_OFFSET_RE = /^(UTC|GMT) ?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const ABBREVIATION_RE = /^[A-Z]{1,5}$/;
const RELATIVE_PART_RE = / ?(\d{1,6}(?:\.\d{1,3})?) ?(days|day|d|hours|hour|hrs|hr|h|minutes|minute|mins|min|m|seconds|second|secs|sec|s)(?![a-z])/y;
const RELATIVE_UNITS: Record<string, { rank: number; ms: number }> = {
  d: { rank: 0, ms: DAY },
  h: { rank: 1, ms: 60 * MINUTE },
  m: { rank: 2, ms: MINUTE },
  s: { rank: 3, ms: 1000 },
};
/** A bare time of day further back than this is more likely a typo than a memory. */
const BARE_TIME_LIMIT = 12 * 60 * MINUTE;

/** How the reading frame of a time was given: the configured zone, a named zone, or an offset. */
type Frame = { kind: 'zone'; zone: string } | { kind: 'offset'; minutes: number; abbreviation?: string };

export interface TimeReading {
  /** Epoch milliseconds, whole seconds. */
  at: number;
  /** Things the reader must know (an overlap resolved, an inverted Etc/GMT sign): for stderr. */
  notes: string[];
}

export interface TimeInputOptions {
  /** Now, epoch milliseconds. */
  now: number;
  /** The configured zone: the frame of a time typed without one. */
  zone: string;
  /** `YYYY-MM-DD`: the date of every time of day typed without one (`--on`). */
  on?: string;
  /** The flag, for messages (`--at`). */
  flag?: string;
}

/** Why a text was refused, and what to type instead. */
interface Refusal {
  problem: string;
  hint: string;
}

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.problem);
  }
}

function refuse(problem: string, hint: string): never {
  throw new Refused({ problem, hint });
}

let zonesByLowerName: Map<string, string> | undefined;

/** Case-insensitive IANA lookup, returning the runtime's spelling; undefined when unknown. */
export function canonicalZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_/+-]{0,63}$/.test(name)) return undefined;
  const lower = name.toLowerCase();
  if (lower === 'utc' || lower === 'etc/utc') return 'UTC';
  zonesByLowerName ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  const listed = zonesByLowerName.get(lower);
  if (listed) return listed;
  try {
    formatterFor(name);
    return name;
  } catch {
    return undefined;
  }
}

/** The frame named after a time: `Z`, `+02:00`, `UTC-8`, `PST`, `America/Los_Angeles`. */
function frameOf(text: string, notes: string[]): Frame {
  if (text === 'Z' || text === 'z') return { kind: 'offset', minutes: 0 };
  let m = OFFSET_RE.exec(text);
  if (m) return { kind: 'offset', minutes: offsetMinutes(m[1]!, m[2]!, m[3], text) };
  m = NAMED_OFFSET_RE.exec(text);
  if (m) {
    const minutes = offsetMinutes(m[2]!, m[3]!, m[4], text);
    if (m[1]!.toUpperCase() === 'GMT' && minutes !== 0) {
      notes.push(`${text} is read as ${formatOffset(minutes)}, as people write it (the zone Etc/${m[1]!.toUpperCase()}${m[2]}${m[3]} would be the opposite sign).`);
    }
    return { kind: 'offset', minutes };
  }
  const upper = text.toUpperCase();
  const ambiguous = AMBIGUOUS_ABBREVIATIONS[upper];
  if (ambiguous) refuse(`${upper} is ambiguous: it means ${ambiguous.length} different zones`, `Name one instead: ${ambiguous.join('; ')}.`);
  const abbreviation = ABBREVIATIONS[upper];
  if (abbreviation) {
    return abbreviation.offsetMinutes === 0 && !abbreviation.seasonal ? { kind: 'offset', minutes: 0 } : { kind: 'offset', minutes: abbreviation.offsetMinutes, abbreviation: upper };
  }
  if (ABBREVIATION_RE.test(text)) {
    refuse(`${text} is not a zone abbreviation inc knows`, 'Name the zone (Europe/Berlin, America/Los_Angeles) or give the offset (+02:00, UTC-8).');
  }
  const zone = canonicalZone(text);
  if (!zone) refuse(`${text} is not a time zone inc knows`, 'Use an IANA name (Europe/Berlin, America/Los_Angeles), an offset (+02:00, UTC-8) or an abbreviation such as PST or CEST.');
  const note = etcGmtNote(zone);
  if (note) notes.push(note);
  return { kind: 'zone', zone };
}

function offsetMinutes(sign: string, hours: string, minutes: string | undefined, text: string): number {
  const total = Number(hours) * 60 + Number(minutes ?? 0);
  if (Number(minutes ?? 0) > 59 || total > 14 * 60) {
    refuse(`the offset ${text} is beyond ±14:00, further from UTC than any zone`, 'Give an offset from -12:00 to +14:00. If it was a range (17:00-18:00), give only its start.');
  }
  return sign === '-' ? -total : total;
}

function frameLabel(frame: Frame): string {
  if (frame.kind === 'zone') return zoneLabel(frame.zone);
  return frame.abbreviation ? `${frame.abbreviation} (${formatOffset(frame.minutes)})` : formatOffset(frame.minutes);
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function dateOf(epochMs: number, frame: Frame): CalendarDate {
  if (frame.kind === 'zone') return localParts(epochMs, frame.zone);
  const shifted = new Date(epochMs + frame.minutes * MINUTE);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function previousDay(date: CalendarDate): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day - 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function showParts(p: LocalParts): string {
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}${p.second ? `:${pad(p.second)}` : ''}`;
}

/** The instant of a wall time in a frame; a gap is refused, an overlap takes the first and notes it. */
function instantIn(parts: LocalParts, frame: Frame, notes: string[]): number {
  if (frame.kind === 'offset') {
    const at = wallMs(parts) - frame.minutes * MINUTE;
    if (frame.abbreviation) checkSeason(frame.abbreviation, at);
    return at;
  }
  const instants = wallInstants(parts, frame.zone);
  if (instants.length === 0) {
    const before = localParts(wallMs(parts) - offsetMs(wallMs(parts) - DAY, frame.zone) - 60 * MINUTE, frame.zone);
    refuse(
      `${showParts(parts)} does not exist in ${frame.zone}: the clocks skipped it (daylight saving began)`,
      `Check the time. For the hour before the change type ${showParts(before).slice(11)}, or give an offset: ${toIsoLocal(parts)}${isoOffset(offsetMs(wallMs(parts) - DAY, frame.zone) / MINUTE)}.`,
    );
  }
  if (instants.length > 1) {
    const [first, second] = instants as [number, number];
    const firstOffset = offsetMs(first, frame.zone) / MINUTE;
    const secondOffset = offsetMs(second, frame.zone) / MINUTE;
    notes.push(
      `${showParts(parts)} happened twice in ${frame.zone} (daylight saving ended); inc took the first, ${formatOffset(firstOffset)} ` +
        `(${toIsoUtc(first)}). For the second, type ${toIsoLocal(parts)}${isoOffset(secondOffset)}.`,
    );
  }
  return instants[0]!;
}

function toIsoLocal(p: LocalParts): string {
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}${p.second ? `:${pad(p.second)}` : ''}`;
}

/**
 * A seasonal abbreviation on a date when its zone showed the other one (`13:44 PST` in July,
 * when Pacific clocks showed PDT): the writer meant the clock or the offset, and inc cannot
 * tell which, so it asks.
 */
function checkSeason(abbreviation: string, at: number): void {
  const entry = ABBREVIATIONS[abbreviation]!;
  if (!entry.seasonal) return;
  const actual = offsetMs(at, entry.zone) / MINUTE;
  if (actual === entry.offsetMinutes) return;
  const shown = Object.entries(ABBREVIATIONS).find(([, a]) => a.zone === entry.zone && a.offsetMinutes === actual)?.[0];
  refuse(
    `${abbreviation} is ${formatOffset(entry.offsetMinutes)}, but on that date ${entry.zone} showed ${shown ?? formatOffset(actual)} (${formatOffset(actual)})`,
    `For the clock in ${entry.zone} name the zone (${entry.zone})${shown ? ` or ${shown}` : ''}; for ${formatOffset(entry.offsetMinutes)} give the offset (${isoOffset(entry.offsetMinutes)}).`,
  );
}

function readRelative(text: string, now: number): number | undefined {
  let body: string;
  if (text.startsWith('-')) body = text.slice(1);
  else if (/^[^ ]{1,20}(?: [^ ]{1,20}){0,3} ago$/i.test(text)) body = text.slice(0, -4);
  else if (/^\+ ?\d/.test(text)) {
    refuse(`${text} is in the future`, 'Milestones and timeline entries record what already happened: use -5m for five minutes ago.');
  } else return undefined;
  const lower = body.toLowerCase();
  RELATIVE_PART_RE.lastIndex = 0;
  let total = 0;
  let lastRank = -1;
  let parts = 0;
  while (RELATIVE_PART_RE.lastIndex < lower.length) {
    const m = RELATIVE_PART_RE.exec(lower);
    if (!m) return undefined;
    const unit = RELATIVE_UNITS[m[2]![0]!]!;
    if (unit.rank <= lastRank) return undefined; // `-30m1h`, `-5m5m`: largest unit first, once each
    lastRank = unit.rank;
    total += Number(m[1]) * unit.ms;
    parts += 1;
  }
  if (parts === 0) return undefined;
  return now - Math.round(total);
}

/**
 * Reads what a person typed or wrote: the whole grammar of time arguments. Times of day
 * without a date need `now` (and may use `on`); with `now` undefined (a file) they are refused.
 */
function interpret(input: string, zone: string, now: number | undefined, on: string | undefined, notes: string[]): number {
  const text = input.trim().replace(/\s+/g, ' ').replace(/\u2212/g, '-');
  if (text.length > MAX_TIME_TEXT) refuse(`a time of ${text.length} characters is not a time`, TIME_FORMS_HINT);
  if (now !== undefined) {
    if (text.toLowerCase() === 'now') {
      if (on) refuse('--on gives the date of times of day; now is already a date and time', 'Drop --on, or give the time of day (--at 14:05).');
      return now;
    }
    const relative = readRelative(text, now);
    if (relative !== undefined) {
      if (on) refuse(`--on gives the date of times of day; ${text} counts back from now`, 'Drop --on, or give the time of day (--at 14:05).');
      return relative;
    }
  }
  const isoT = /^\d{4}-\d{1,2}-\d{1,2}[Tt]/.test(text);
  if (!isoT && RANGE_RE.test(text) && !SECONDS_THEN_OFFSET_RE.test(text)) {
    const m = RANGE_RE.exec(text)!;
    const date = /^\d{4}-\d{1,2}-\d{1,2} /.exec(text)?.[0] ?? '';
    refuse(
      `"${text}" is a range (${m[1]} to ${m[2]}); a time argument is one moment`,
      `Give the start: "${date}${m[1]}", and log the end as its own entry. For an offset, use the ISO form: ${date ? date.trim() : '2026-03-15'}T${m[1]}-07:00.`,
    );
  }
  const m = WRITTEN_RE.exec(text);
  if (!m) {
    if (DATE_ONLY_RE.test(text)) refuse(`${text} is a date without a time`, `Add the time of day: "${text} 14:05".`);
    refuse(`"${text}" is not a time inc can read`, TIME_FORMS_HINT);
  }
  const [, year, month, day, separator, hourText, minuteText, secondText, meridiem, zoneText] = m;
  let hour = Number(hourText);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  if (minuteText === undefined && meridiem === undefined) refuse(`"${text}" has no minutes`, hour >= 1 && hour <= 12 ? `Type ${pad(hour)}:00, or ${hour}am / ${hour}pm.` : `Type ${pad(hour)}:00.`);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) refuse(`"${text}": a 12-hour time has hours 1 to 12`, `Type ${hourText}:${minuteText ?? '00'} without am/pm for a 24-hour time.`);
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) refuse(`"${text}" is not a time of day (00:00 to 23:59:59)`, TIME_FORMS_HINT);
  if (zoneText !== undefined && zoneText.startsWith('-') && separator !== 'T' && separator !== 't' && secondText === undefined) {
    // `2018-02-20 17:00-18:00` is how reports write a range; as an offset it would be -18:00.
    refuse(
      `"${text}" reads as a range or as an offset; inc will not guess which`,
      `For a start time type "${text.slice(0, text.length - zoneText.length).trim()}"; for an offset, the ISO form with T (2026-03-15T14:05-07:00).`,
    );
  }
  if (zoneText === undefined && zone === NO_ZONE) refuse(`"${text}" names no zone`, 'Add the offset: 2026-03-15T14:05:00Z.');
  const frame: Frame = zoneText === undefined ? { kind: 'zone', zone } : frameOf(zoneText.trim(), notes);
  const clock = { hour, minute, second };

  if (year !== undefined) {
    const parts = { year: Number(year), month: Number(month), day: Number(day), ...clock };
    if (!validCalendar(parts)) refuse(`"${text}" is not a time inc can read: ${year}-${month}-${day} is not a real date`, 'Check the day and month (YYYY-MM-DD).');
    return instantIn(parts, frame, notes);
  }
  if (now === undefined) refuse(`"${text}" has no date`, 'Write the date too: 2026-03-15 14:05 (or inc\'s own form, 2026-03-15T14:05:00Z).');
  if (on !== undefined) {
    const date = readDate(on);
    if (!date) refuse(`--on ${on} is not a date`, 'Give it as YYYY-MM-DD: --on 2026-03-15.');
    return instantIn({ ...date, ...clock }, frame, notes);
  }
  // A bare time of day is the latest one not in the future: 23:55 typed at 00:10 is yesterday.
  const today = dateOf(now, frame);
  let at = instantIn({ ...today, ...clock }, frame, notes);
  const laterToday = at > now;
  if (laterToday) {
    notes.length = 0;
    at = instantIn({ ...previousDay(today), ...clock }, frame, notes);
  }
  if (now - at > BARE_TIME_LIMIT) {
    const day = dateOf(at, frame);
    const date = `${day.year}-${pad(day.month)}-${pad(day.day)}`;
    const wall = showParts({ ...day, ...clock }).slice(11);
    refuse(
      `${text} ${laterToday ? 'today is still to come, and yesterday\'s' : ''}${laterToday ? ' would be' : 'would be'} ${formatDuration(minutesBetween(at, now))} ago ` +
        `(${date} ${wall} ${frameLabel(frame)}); a time of day without a date must lie within the last 12 hours`,
      `Check the time; if it is right, give the date: "${date} ${text}", or --on ${date} for every time of this command.`,
    );
  }
  return at;
}

function readDate(text: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return validCalendar({ ...date, hour: 0, minute: 0, second: 0 }) ? date : undefined;
}

/**
 * Reads a time argument (`--at`, `--started-at`) into epoch milliseconds, whole seconds,
 * with the notes to show. Refuses (UsageError, exit 2, with what to type instead) what it
 * cannot read, what could mean two things, and any time in the future.
 */
export function readTimeInput(input: string, options: TimeInputOptions): TimeReading {
  const flag = options.flag ?? '--at';
  const nowMs = Math.floor(options.now / 1000) * 1000;
  const notes: string[] = [];
  let at: number;
  try {
    at = Math.floor(interpret(input, options.zone, nowMs, options.on, notes) / 1000) * 1000;
  } catch (error) {
    if (error instanceof Refused) throw new UsageError(`${flag} ${error.refusal.problem}`, error.refusal.hint);
    throw error;
  }
  if (at > nowMs) {
    throw new UsageError(
      `${flag} ${input} is in the future (${toIsoUtc(at)}, now is ${toIsoUtc(nowMs)})`,
      'Milestones and timeline entries record what already happened.',
    );
  }
  return { at, notes: notes.map((note) => `${flag} ${input}: ${note}`) };
}

/** readTimeInput without the notes: epoch milliseconds. */
export function parseTimeArgument(input: string, now: Date, zone: string, flag = '--at'): number {
  return readTimeInput(input, { now: now.getTime(), zone, flag }).at;
}

/**
 * Reads a time written by hand into a file: a date and time, in `zone` unless the text names
 * its own (an offset, `Z`, an abbreviation, an IANA name). Nothing relative, no bare time of
 * day. An overlap takes the first occurrence. Returns the refusal instead of throwing.
 */
export function readWrittenTime(text: string, zone: string): { at: number } | Refusal {
  try {
    return { at: Math.floor(interpret(text, zone, undefined, undefined, []) / 1000) * 1000 };
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

/**
 * Reads a date and time in the zone when the text names none. Undefined when the text is not
 * one, or could mean two things.
 */
export function parseIsoLike(text: string, zone: string): number | undefined {
  const read = readWrittenTime(text, zone);
  return 'at' in read ? read.at : undefined;
}

/** `2026-03-15T14:02:00Z`: the one form timestamps take in files. */
export function toIsoUtc(epochMs: number): string {
  const ms = Math.floor(epochMs / 1000) * 1000;
  // Each day's date is written once and the time of day by hand: `inc list --json` writes
  // 60,000 of these at 10,000 incidents, and toISOString was a tenth of it. The years inc
  // reads only (others, and a time that is no number, take toISOString's own way).
  if (!(ms >= ISO_DAYS_FROM && ms < ISO_DAYS_UNTIL)) return new Date(ms).toISOString().replace('.000Z', 'Z');
  const day = Math.floor(ms / DAY_MS);
  let date = isoDates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 11);
    isoDates.set(day, date);
  }
  const seconds = (ms - day * DAY_MS) / 1000;
  return `${date}${twoDigits(Math.floor(seconds / 3600))}:${twoDigits(Math.floor(seconds / 60) % 60)}:${twoDigits(seconds % 60)}Z`;
}

const DAY_MS = 86_400_000;
const ISO_DAYS_FROM = Date.UTC(1970, 0, 1);
const ISO_DAYS_UNTIL = Date.UTC(2200, 0, 1);
/** `2026-03-15T` by day number since 1970: at most 84,000 of them (the years 1970 to 2199). */
const isoDates = new Map<number, string>();

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** The number in text[from, from + length), or -1 when a character there is not a digit 0-9. */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `2026-03-15T14:02:00Z`, the one form inc writes, read without a regular expression: a
 * listing reads 60,000 of them. Undefined for anything else (parseIsoLike reads the rest).
 */
function canonicalUtc(text: string): number | undefined {
  return text.length === 20 ? canonicalUtcAt(text, 0) : undefined;
}

const DASH = 45;
const COLON = 58;

/**
 * canonicalUtc of the 20 characters of `text` from `from` (the caller makes sure there are
 * 20), read where they stand and without an object for the parts: `inc check` reads the time
 * of every timeline row in its file's text.
 */
export function canonicalUtcAt(text: string, from: number): number | undefined {
  if (
    text.charCodeAt(from + 4) !== DASH ||
    text.charCodeAt(from + 7) !== DASH ||
    text.charCodeAt(from + 10) !== 84 || // T
    text.charCodeAt(from + 13) !== COLON ||
    text.charCodeAt(from + 16) !== COLON ||
    text.charCodeAt(from + 19) !== 90 // Z
  ) {
    return undefined;
  }
  const year = digitsAt(text, from, 4);
  const month = digitsAt(text, from + 5, 2);
  const day = digitsAt(text, from + 8, 2);
  const hour = digitsAt(text, from + 11, 2);
  const minute = digitsAt(text, from + 14, 2);
  const second = digitsAt(text, from + 17, 2);
  // validCalendar's tests; a digit missing reads as -1.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return utcMs(year, month, day, hour, minute, second);
}

/**
 * Date.UTC(year, month - 1, day, hour, minute, second) for a valid date of a year from 100 on
 * (Date.UTC reads 0-99 as 1900-1999), in integer arithmetic: the days since 1970 of the
 * proleptic Gregorian calendar counted in 400-year eras from 1 March of year 0, as Date.UTC
 * counts them, at half its cost.
 */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return (era * 146_097 + dayOfEra - 719_468) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000;
}

/**
 * Reads a time a person may have written into a UTC table: ISO 8601 with an offset, or a
 * wall-clock time without one, read as UTC.
 */
export function parseUtcTimestamp(text: string): number | undefined {
  return canonicalUtc(text) ?? parseIsoLike(text, 'UTC');
}

/** Reads a timestamp from a file: strict ISO 8601 with an offset. */
export function parseStoredTimestamp(text: string): number | undefined {
  const canonical = canonicalUtc(text);
  if (canonical !== undefined) return canonical;
  // Any dated form that names its zone (an offset, Z, an abbreviation, an IANA name).
  return parseIsoLike(text, NO_ZONE);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-03-15 14:02` in the zone. */
export function formatInZone(epochMs: number, zone: string, withSeconds = false): string {
  const p = localParts(epochMs, zone);
  const base = `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
  return withSeconds ? `${base}:${pad(p.second)}` : base;
}

/** `2026-03-15`: the calendar date of an instant in the zone. */
export function dateInZone(epochMs: number, zone: string): string {
  const p = localParts(epochMs, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `2026-03`: the month of an instant in the zone (stats group by it). */
export function monthInZone(epochMs: number, zone: string): string {
  return dateInZone(epochMs, zone).slice(0, 7);
}

/** Start of a calendar date (`YYYY-MM-DD`) in the zone, as epoch ms; undefined if not a date. */
export function startOfDateInZone(date: string, zone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) return undefined;
  const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 };
  if (!validCalendar(parts)) return undefined;
  return localToEpoch(parts, zone);
}

/** Adds calendar days to a `YYYY-MM-DD` date. */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** Adds business days (Monday to Friday) to a `YYYY-MM-DD` date. */
export function addBusinessDays(date: string, days: number): string {
  let current = date;
  let left = days;
  while (left > 0) {
    current = addDays(current, 1);
    const weekday = new Date(`${current}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return current;
}

/** Minutes between two instants, fractions kept (2.5), rounded to the second. */
export function minutesBetween(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / 1000) / 60;
}

/**
 * A duration for people, the one form every display uses: `10s` under a minute, `17m`,
 * `1h 05m`, `2d 3h` (whole minutes and hours; a figure of days needs no minutes). Never wraps
 * at 24 h, never negative.
 */
export function formatDuration(minutes: number): string {
  const seconds = Math.max(0, Math.round(minutes * 60));
  if (seconds < 60 && seconds > 0) return `${seconds}s`;
  const total = Math.round(seconds / 60);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(mins)}m`;
  return `${mins}m`;
}

/** Minutes as JSON carries them: at most two decimals (0.17 for 10 s), never `-0`. */
export function roundMinutes(minutes: number): number {
  return Math.round(minutes * 100) / 100 + 0;
}

/**
 * The label for a zone in output headers: "UTC" or the IANA name; an Etc/GMT zone also
 * gets its real offset, since its sign reads backwards (`Etc/GMT+2 (UTC−02:00)`).
 */
export function zoneLabel(zone: string): string {
  if (zone === 'Etc/UTC') return 'UTC';
  const etc = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  if (etc && Number(etc[2]) !== 0) return `${zone} (${formatOffset((etc[1] === '+' ? -1 : 1) * Number(etc[2]) * 60)})`;
  return zone;
}
