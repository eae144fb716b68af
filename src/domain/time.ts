/**
 * Time arguments and display. Files always hold UTC ISO 8601 (`2026-03-15T14:02:00Z`);
 * the configured zone is used only to read what a person typed and to display.
 *
 * Zone arithmetic uses Intl directly rather than dayjs' timezone plugin: every computation
 * happens on UTC epoch milliseconds and the zone is applied only at the edges, which keeps
 * DST changes and durations over 24 h exact (see NOTES.md on dayjs' `.tz()` arithmetic).
 */
import { UsageError } from './errors.js';

const MINUTE = 60_000;

const TIME_FORMS =
  'ISO 8601 with an offset (2026-03-15T14:02:00Z, 2026-03-15T06:02-08:00), ' +
  '"YYYY-MM-DD HH:mm", "HH:mm", a relative time (-5m, -2h, -1d) or "now"';

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

/** The instant at which a zone's wall clock shows the given fields. */
function localToEpoch(parts: LocalParts, zone: string): number {
  const guess = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const first = guess - offsetMs(guess, zone);
  const second = guess - offsetMs(first, zone);
  return second;
}

/**
 * A real date and time of the proleptic Gregorian calendar, as Date counts them, from the
 * year 100: Date.UTC reads the years 0-99 as 1900-1999.
 */
function validCalendar(p: LocalParts): boolean {
  if (p.year < 100 || p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) return false;
  return p.hour >= 0 && p.hour <= 23 && p.minute >= 0 && p.minute <= 59 && p.second >= 0 && p.second <= 59;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;
const CLOCK_RE = /^(\d{1,2}):(\d{2})$/;
const RELATIVE_RE = /^-\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)$/;
const RELATIVE_UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE, min: MINUTE, h: 60 * MINUTE, d: 1440 * MINUTE };

/**
 * Reads an ISO 8601 timestamp with or without an offset. Without an offset the wall-clock
 * time is read in `zone`. Returns undefined when the text is not of that shape or is not a
 * real calendar date.
 */
export function parseIsoLike(text: string, zone: string): number | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const parts: LocalParts = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
  if (!validCalendar(parts)) return undefined;
  const offset = m[7];
  if (offset === undefined) return localToEpoch(parts, zone);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  if (offset === 'Z' || offset === 'z') return wall;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return wall - sign * (hours * 60 + minutes) * MINUTE;
}

/**
 * Parses a time argument (`--at`, `--started-at`) into epoch milliseconds, truncated to the
 * second. Refuses what it cannot read and any time in the future.
 */
export function parseTimeArgument(input: string, now: Date, zone: string, flag = '--at'): number {
  const text = input.trim();
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  let result: number | undefined;

  if (text.toLowerCase() === 'now') {
    result = nowMs;
  } else if (RELATIVE_RE.test(text)) {
    const m = RELATIVE_RE.exec(text)!;
    result = nowMs - Math.round(Number(m[1]) * RELATIVE_UNIT_MS[m[2]!]!);
  } else if (CLOCK_RE.test(text)) {
    const m = CLOCK_RE.exec(text)!;
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    if (hour > 23 || minute > 59) {
      throw new UsageError(`${flag} ${input}: not a time of day (00:00 to 23:59)`);
    }
    const today = localParts(nowMs, zone);
    result = localToEpoch({ ...today, hour, minute, second: 0 }, zone);
    if (result > nowMs) {
      // A responder typing 23:55 at 00:10 means yesterday evening, not tonight.
      const yesterday = new Date(Date.UTC(today.year, today.month - 1, today.day - 1));
      result = localToEpoch(
        {
          year: yesterday.getUTCFullYear(),
          month: yesterday.getUTCMonth() + 1,
          day: yesterday.getUTCDate(),
          hour,
          minute,
          second: 0,
        },
        zone,
      );
    }
  } else {
    result = parseIsoLike(text, zone);
  }

  if (result === undefined || Number.isNaN(result)) {
    throw new UsageError(`${flag} "${input}" is not a time inc can read`, `Use ${TIME_FORMS}.`);
  }
  result = Math.floor(result / 1000) * 1000;
  if (result > nowMs) {
    throw new UsageError(
      `${flag} ${input} is in the future (${toIsoUtc(result)}, now is ${toIsoUtc(nowMs)})`,
      'Milestones and timeline entries record what already happened.',
    );
  }
  return result;
}

/** `2026-03-15T14:02:00Z`: the one form timestamps take in files. */
export function toIsoUtc(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
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
  if (text.length !== 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== 'Z') return undefined;
  const parts: LocalParts = {
    year: digitsAt(text, 0, 4),
    month: digitsAt(text, 5, 2),
    day: digitsAt(text, 8, 2),
    hour: digitsAt(text, 11, 2),
    minute: digitsAt(text, 14, 2),
    second: digitsAt(text, 17, 2),
  };
  if (!validCalendar(parts)) return undefined; // a digit missing reads as -1
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
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
  if (!/(Z|z|[+-]\d{2}:?\d{2})$/.test(text.trim())) return undefined;
  return parseIsoLike(text, 'UTC');
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

/** A duration in minutes as `1h 05m` / `3d 2h 10m` / `45m`; never wraps at 24 h. */
export function formatDuration(minutes: number): string {
  const total = Math.round(minutes);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return `${days}d ${hours}h ${pad(mins)}m`;
  if (hours > 0) return `${hours}h ${pad(mins)}m`;
  return `${mins}m`;
}

/** The short label for a zone in output headers: "UTC" or the IANA name. */
export function zoneLabel(zone: string): string {
  return zone === 'Etc/UTC' ? 'UTC' : zone;
}
