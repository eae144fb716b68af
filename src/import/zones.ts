/**
 * The time zone a report states once ("All times in PST", "CEST (UTC+2)", "UTC+1 Zurich"), or
 * that --zone gives. Abbreviations come from inc's one table (domain/zones.ts): each is a fixed
 * offset with the zone where it is the local clock; the ambiguous ones (IST, CST, AST) are
 * refused. A seasonal abbreviation is taken only when it is what that clock showed on the
 * report's date: "PST" in September could mean UTC-8 or Pacific local time (then PDT), and inc asks.
 */
import { isValidZone, localParts, parseIsoLike } from '../domain/time.js';
import { ABBREVIATIONS, AMBIGUOUS_ABBREVIATIONS } from '../domain/zones.js';
import { trimEndOf } from './types.js';

/** A zone as a report uses it: a fixed offset, or an IANA zone's local clock. */
export type ReportZone = { kind: 'offset'; minutes: number; label: string } | { kind: 'iana'; name: string };

/** Generic names of a region's local clock, whatever the season. */
const LOCAL_CLOCKS: Record<string, string> = {
  PT: 'America/Los_Angeles',
  MT: 'America/Denver',
  ET: 'America/New_York',
  CT: 'America/Chicago',
  CENTRAL: 'America/Chicago',
  PACIFIC: 'America/Los_Angeles',
  EASTERN: 'America/New_York',
};

export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `UTC+1`, `GMT-08:00`, `+0200`, `UTC+5:30`: minutes east of UTC, or undefined. */
export function parseOffset(text: string): number | undefined {
  const m = /^(?:UTC|GMT)?\s*([+\u2212-])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60) return undefined;
  return (m[1] === '+' ? 1 : -1) * (hours * 60 + minutes);
}

export interface ZoneWord {
  zone?: ReportZone;
  /** The abbreviation it came from, checked against the report's date by zoneOnDate. */
  abbreviation?: string;
  /** Why it cannot be used (ambiguous), for the refusal. */
  problem?: string;
}

/**
 * Reads what a report or --zone names: an abbreviation, an offset, an IANA name, or an
 * abbreviation with its offset beside it ("CET (GMT+1)"), which must agree.
 */
export function readZoneWords(text: string): ZoneWord | undefined {
  const trimmed = trimEndOf(text.trim().slice(0, 200), '.,;:');
  const first = /^[^\s(]+/.exec(trimmed)?.[0] ?? '';
  const bareOffset = parseOffset(first);
  if (bareOffset !== undefined) return { zone: { kind: 'offset', minutes: bareOffset, label: offsetLabel(bareOffset) } };
  if (!/^[A-Za-z][A-Za-z_/+-]*$/.test(first)) return undefined;
  const word = first;
  // "CET (GMT+1)": an offset in brackets right after the word.
  const beside = /^\s*\(\s*([^()]{1,20}?)\s*\)/.exec(trimmed.slice(word.length))?.[1];
  const stated = beside === undefined ? undefined : parseOffset(beside);
  const upper = word.toUpperCase();
  if (Object.hasOwn(AMBIGUOUS_ABBREVIATIONS, upper)) {
    if (stated !== undefined) return { zone: { kind: 'offset', minutes: stated, label: `${upper} (${offsetLabel(stated)})` } };
    return { problem: `"${word}" names several zones: ${AMBIGUOUS_ABBREVIATIONS[upper]!.join(', ')}` };
  }
  const abbreviation = Object.hasOwn(ABBREVIATIONS, upper) ? ABBREVIATIONS[upper]! : undefined;
  if (abbreviation) {
    if (stated !== undefined && stated !== abbreviation.offsetMinutes) {
      return { problem: `"${word}" is ${offsetLabel(abbreviation.offsetMinutes)} but the report says ${offsetLabel(stated)} beside it` };
    }
    return { zone: { kind: 'offset', minutes: abbreviation.offsetMinutes, label: `${upper} (${offsetLabel(abbreviation.offsetMinutes)})` }, abbreviation: upper };
  }
  if (Object.hasOwn(LOCAL_CLOCKS, upper)) return { zone: { kind: 'iana', name: LOCAL_CLOCKS[upper]! } };
  if (word.includes('/') && isValidZone(word)) return { zone: { kind: 'iana', name: word } };
  return undefined;
}

/** The IANA zone where an abbreviation is the local clock (PST: America/Los_Angeles). */
export function abbreviationRegion(abbreviation: string): string | undefined {
  return Object.hasOwn(ABBREVIATIONS, abbreviation) ? ABBREVIATIONS[abbreviation]!.zone : undefined;
}

/** Minutes east of UTC that an IANA zone's clock showed at an instant. */
function ianaOffset(epochMs: number, zone: string): number {
  const p = localParts(epochMs, zone);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/**
 * Whether an abbreviation means one thing on a date (YYYY-MM-DD): "PST" on 2018-01-18 is
 * what Pacific clocks showed; on 2017-09-27 they showed PDT, and "PST" could mean either.
 */
export function abbreviationProblem(abbreviation: string, date: string): string | undefined {
  const entry = Object.hasOwn(ABBREVIATIONS, abbreviation) ? ABBREVIATIONS[abbreviation]! : undefined;
  if (!entry || !entry.seasonal) return undefined;
  const local = ianaOffset(Date.parse(`${date}T12:00:00Z`), entry.zone);
  if (local === entry.offsetMinutes) return undefined;
  const shown = Object.entries(ABBREVIATIONS).find(([name, a]) => a.zone === entry.zone && a.offsetMinutes === local && name !== abbreviation)?.[0];
  return `the report says ${abbreviation} (${offsetLabel(entry.offsetMinutes)}), but on ${date} ${entry.zone} showed ${shown ?? offsetLabel(local)} (${offsetLabel(local)}): it may mean either`;
}

/** The instant of a wall-clock time in a report zone. */
export function wallToEpoch(zone: ReportZone, date: string, hour: number, minute: number): number | undefined {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (zone.kind === 'offset') return Date.UTC(year, month - 1, day, hour, minute) - zone.minutes * 60_000;
  return parseIsoLike(`${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, zone.name);
}

export function zoneName(zone: ReportZone): string {
  return zone.kind === 'offset' ? zone.label : zone.name;
}
