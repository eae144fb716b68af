/**
 * A markdown incident report as teams write them: a "Timeline" section whose entries start
 * with a time, as headings (`### 14:55`, `### Feb 20 2018 14:17`, `## Feb 21, 13:00`) or list
 * items (`- 14:03 rollback started`, `- **4:19** ...`), the zone stated once ("All times in
 * CET (GMT+1)") or beside a time (`### 16:59 PST`), the date given once and carried down.
 *
 * Nothing is guessed: a time without a date anywhere above it, a zone that could mean two
 * things ("PST" on a summer date), or two different zones stated for the same entries stop
 * the import with the flag to give (--date, --zone); an entry that cannot be placed (a range
 * "17:00-18:00", "2X:XX", a bare time earlier than the entry above it) is left out and listed.
 * Milestones are only proposed, from words in the entries, for a person to confirm.
 */
import { FileError, UsageError } from '../domain/errors.js';
import { normaliseText } from '../domain/frontmatter.js';
import { slugify } from '../domain/ids.js';
import type { Milestone } from '../domain/incident.js';
import { codeFenceTracker } from '../domain/postmortem.js';
import { timelineTextProblem } from '../domain/timeline.js';
import { oneLine, trimEndOf, type Unread } from './types.js';
import { abbreviationProblem, abbreviationRegion, offsetLabel, readZoneWords, type ReportZone, wallToEpoch, type ZoneWord, zoneName } from './zones.js';

export interface ReportEntry {
  at: number;
  text: string;
  /** 1-based line in the report. */
  line: number;
  /** Date and time as the report gives them, in its zone: `2018-02-20 14:17`. */
  wall: string;
}

export interface Proposal {
  at: number;
  line: number;
  wall: string;
  why: string;
}

export interface ParsedReport {
  title: string | null;
  entries: ReportEntry[];
  /** The zone of the entries that state none, and where it comes from. */
  zone: string;
  /** The zone itself, for reading milestone flags as the report's times; undefined when each entry names its own. */
  zoneValue?: ReportZone;
  zoneFrom: string;
  proposals: Partial<Record<Milestone, Proposal>>;
  unread: Unread[];
  /** It reads as a postmortem: lessons, what went well or wrong, action items. */
  postmortemShaped: boolean;
  /** The report's identity for import_key: its title and first entry as written, zone aside. */
  key: string;
}

export interface ReportFlags {
  zone?: string;
  date?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.?';

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})/;
const MONTH_DAY = new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?(?:\\s+(\\d{4}))?,?`, 'i');
const DAY_MONTH = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\.?\\s+${MONTH},?(?:\\s+(\\d{4}))?,?`, 'i');
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\.?(?![a-z]))?/i;
const RANGE_END = /^\s*(?:-|–|—|to)\s*~?\s*\d{1,2}:\d{2}/;
const ZONE_AFTER = /^\s*\(?\s*((?:UTC|GMT)\s*[+\u2212-]\s*\d{1,2}(?::?\d{2})?|[A-Z]{2,5})(?![A-Za-z])\s*\)?/;
const LEADING_NOISE = /^(?:[*_`~]+|ca\.?\s+|approx(?:\.|imately)?\s+|around\s+|about\s+)/i;
const ZONE_STATEMENT = /^[\s*_>]*(?:all\s+)?times?\s+(?:are\s+|is\s+)?(?:given\s+|shown\s+|listed\s+|stated\s+)?in\s+(.{1,80})$/i;
const POSTMORTEM_HEADINGS = /^(lessons?\b|what went|where we got lucky|action items?\b|root cause|conclusions?\b)/i;

interface DatePart {
  year?: number;
  month: number;
  day: number;
}

interface TimePrefix {
  date?: DatePart;
  time?: { hour: number; minute: number };
  zone?: ZoneWord;
  zoneText?: string;
  rest: string;
  /** Why it starts like a time but gives none that can be used. */
  problem?: string;
  /** The date and time as written, for messages. */
  written: string;
}

function stripNoise(text: string): string {
  let s = text;
  for (let m = LEADING_NOISE.exec(s); m; m = LEADING_NOISE.exec(s)) s = s.slice(m[0].length);
  return s;
}

function readDate(s: string): { date: DatePart; length: number } | undefined {
  let m = ISO_DATE.exec(s);
  if (m) return { date: { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, length: m[0].length };
  m = MONTH_DAY.exec(s);
  if (m) return { date: { month: MONTHS.indexOf(m[1]!.toLowerCase()) + 1, day: Number(m[2]), year: m[3] ? Number(m[3]) : undefined }, length: m[0].length };
  m = DAY_MONTH.exec(s);
  if (m) return { date: { day: Number(m[1]), month: MONTHS.indexOf(m[2]!.toLowerCase()) + 1, year: m[3] ? Number(m[3]) : undefined }, length: m[0].length };
  return undefined;
}

/** The date, time and zone a heading or list item starts with, or undefined when it starts with neither. */
export function readTimePrefix(raw: string): TimePrefix | undefined {
  let s = stripNoise(raw.trim());
  const start = s;
  const dated = readDate(s);
  if (dated) s = s.slice(dated.length).replace(/^\s*(?:,|at\b|T(?=\d))?\s*/i, '');
  const clock = CLOCK.exec(s);
  if (!dated && !clock) return undefined;
  let time: TimePrefix['time'];
  let problem: string | undefined;
  if (clock) {
    let hour = Number(clock[1]);
    const minute = Number(clock[2]);
    const half = clock[4]?.toLowerCase();
    if (half === 'p' && hour >= 1 && hour <= 11) hour += 12;
    else if (half === 'a' && hour === 12) hour = 0;
    else if (half === 'a' && hour > 12) problem = `"${clock[0]}" is not a time of day`;
    if (hour > 23 || minute > 59) problem = `"${clock[0]}" is not a time of day`;
    time = { hour, minute };
    s = s.slice(clock[0].length);
    if (RANGE_END.test(s)) problem = `"${stripNoise(start).slice(0, start.length - s.length + (RANGE_END.exec(s)?.[0].length ?? 0)).trim()}" is a range, not one time`;
  }
  s = s.replace(/^[*_`]+/, '');
  let zone: ZoneWord | undefined;
  let zoneText: string | undefined;
  const after = ZONE_AFTER.exec(s);
  if (after && time) {
    const word = readZoneWords(after[1]!);
    if (word) {
      zone = word;
      zoneText = after[1]!;
      s = s.slice(after[0].length);
    }
  }
  const written = trimEndOf(start.slice(0, start.length - s.length), ' \t*_,:-');
  const rest = s.replace(/^[\s*_`:|,.–—-]+/, '').trim();
  return { date: dated?.date, time, zone, zoneText, rest, problem, written };
}

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(d: Required<DatePart>): string | undefined {
  const date = new Date(Date.UTC(d.year, d.month - 1, d.day));
  if (d.year < 1970 || date.getUTCMonth() !== d.month - 1 || date.getUTCDate() !== d.day) return undefined;
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** Words that suggest a milestone, searched in an entry's own text (documented in the README). */
const PROPOSAL_WORDS: { milestone: Milestone; pattern: RegExp; pick: 'first' | 'last' }[] = [
  { milestone: 'detected', pattern: /\b(notic\w*|alert\w*|paged|realis\w*|realiz\w*|reported|detected|discover\w*)\b/i, pick: 'first' },
  { milestone: 'identified', pattern: /\b(identified|root cause|caused by|culprit|turned out|found the (?:cause|problem|issue))\b/i, pick: 'first' },
  {
    milestone: 'mitigated',
    pattern: /\b(back to normal|returns? to normal|recover(?:ed|s)|self-heal\w*|back up|now back|working again|succeed\w* again|restored|mitigated|(?:build|launch|work|run)\w* (?:fine|again|normally))\b/i,
    pick: 'last',
  },
  { milestone: 'resolved', pattern: /\b(resolved|all clear|incident (?:is )?(?:over|closed))\b/i, pick: 'last' },
];

/**
 * Milestones a person would likely pick, each with the entry and the words that suggest it:
 * detected is the first entry that says someone noticed (else the first entry); started is
 * the first entry when that comes before detection; the others only where words say so.
 */
export function proposeMilestones(entries: ReportEntry[]): Partial<Record<Milestone, Proposal>> {
  const proposals: Partial<Record<Milestone, Proposal>> = {};
  if (entries.length === 0) return proposals;
  const of = (entry: ReportEntry, why: string): Proposal => ({ at: entry.at, line: entry.line, wall: entry.wall, why });
  for (const { milestone, pattern, pick } of PROPOSAL_WORDS) {
    const matching = entries.filter((e) => pattern.test(e.text));
    const entry = pick === 'first' ? matching[0] : matching[matching.length - 1];
    if (entry) proposals[milestone] = of(entry, `"${pattern.exec(entry.text)![0]}"`);
  }
  proposals.detected ??= of(entries[0]!, 'the first entry');
  if (entries[0]!.at < proposals.detected.at) proposals.started = of(entries[0]!, 'the first entry, before anyone noticed');
  // A proposal that would break the order rules is not made.
  for (const milestone of ['identified', 'mitigated', 'resolved'] as const) {
    const p = proposals[milestone];
    if (p && milestone !== 'mitigated' && p.at < proposals.detected.at) delete proposals[milestone];
    if (p && proposals.started && p.at < proposals.started.at) delete proposals[milestone];
  }
  if (proposals.mitigated && proposals.resolved && proposals.mitigated.at > proposals.resolved.at) delete proposals.mitigated;
  return proposals;
}

interface RawEntry {
  line: number;
  prefix: TimePrefix;
  paragraph: string[];
  collecting: boolean;
}

/** Title of the report: its `#` heading without a leading date ("2018-02-20, JupyterLab ..."). */
function readTitle(lines: string[]): { title: string | null; date?: string } {
  const isCode = codeFenceTracker();
  for (const line of lines) {
    if (isCode(line)) continue;
    if (!/^#\s/.test(line)) continue;
    // A closing run of # is no part of the title (CommonMark).
    let title = trimEndOf(trimEndOf(line.slice(2).trim(), '#'), ' \t');
    const iso = /^(\d{4}-\d{2}-\d{2})\b/.exec(title);
    if (iso) {
      const comma = title.indexOf(',');
      title = comma !== -1 && comma < 40 ? title.slice(comma + 1) : title.slice(iso[0].length);
    }
    title = oneLine(title.replace(/^[\s,:–—-]+/, ''));
    return { title: title || null, date: iso?.[1] };
  }
  return { title: null };
}

/**
 * Reads a report. Usage errors (exit 2) name the flag that settles what the report leaves
 * open; a report without a timeline is a file error (exit 1).
 */
export function parseReport(rawText: string, file: string, flags: ReportFlags = {}): ParsedReport {
  const lines = normaliseText(rawText).split('\n');
  const unread: Unread[] = [];
  const at = (line: number) => `${file}:${line}`;
  const { title, date: titleDate } = readTitle(lines);

  // Where the timeline is, and what the report says about its zone.
  const statements: { line: number; text: string; word: ZoneWord | undefined }[] = [];
  let timelineStart = -1;
  let timelineLevel = 0;
  const isCodeScan = codeFenceTracker();
  lines.forEach((line, index) => {
    if (isCodeScan(line)) return;
    const heading = /^(#{1,6})\s+timeline\b/i.exec(line);
    if (heading && timelineStart === -1) {
      timelineStart = index;
      timelineLevel = heading[1]!.length;
    }
    const statement = ZONE_STATEMENT.exec(line);
    if (statement) statements.push({ line: index + 1, text: statement[1]!.trim(), word: readZoneWords(statement[1]!) });
  });
  if (timelineStart === -1) {
    throw new FileError(file, 1, 'no "Timeline" section: inc reads the entries under a "## Timeline" heading, each starting with a time', 'Add the heading above the entries, or import with inc import csv for tables.');
  }

  // The entries: headings and list items that start with a date or a time.
  const raw: RawEntry[] = [];
  let current: RawEntry | undefined;
  const isCode = codeFenceTracker();
  let postmortemShaped = false;
  for (let index = timelineStart + 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    const code = isCode(line);
    if (code) {
      if (current) current.collecting = current.paragraph.length === 0 && current.collecting;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = heading ? undefined : /^ {0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$/.exec(line);
    const boldTime = heading || item ? undefined : /^\s{0,3}(?:\*\*|__)\s*\d{1,2}:\d{2}/.test(line) ? line : undefined;
    const candidate = heading?.[2] ?? item?.[1] ?? boldTime;
    const prefix = candidate === undefined ? undefined : readTimePrefix(candidate);
    if (prefix) {
      current = { line: index + 1, prefix, paragraph: [], collecting: true };
      raw.push(current);
      continue;
    }
    if (heading) {
      if (heading[1]!.length <= timelineLevel) break;
      unread.push({ where: at(index + 1), why: `a heading in the timeline without a time: ${JSON.stringify(oneLine(heading[2]!).slice(0, 60))}` });
      current = undefined;
      continue;
    }
    if (ZONE_STATEMENT.test(line)) continue;
    if (!current || !current.collecting) continue;
    if (line.trim() === '') {
      if (current.paragraph.length > 0) current.collecting = false;
      continue;
    }
    current.paragraph.push(line.trim().replace(/^(?:[-*+]|\d{1,3}[.)])\s+/, ''));
  }
  for (let index = 0; index < lines.length; index += 1) {
    const heading = /^#{2,6}\s+(.+)$/.exec(lines[index]!);
    if (heading && POSTMORTEM_HEADINGS.test(heading[1]!.trim())) postmortemShaped = true;
  }

  // The zone of entries that name none: --zone, else what the report states, if it states one thing.
  let defaultZone: ZoneWord | undefined;
  let zoneFrom = '';
  const zoneHint = 'Give it with --zone: an IANA name (--zone America/Los_Angeles, the local clock with its daylight saving), an offset (--zone UTC-08:00) or an unambiguous abbreviation.';
  if (flags.zone !== undefined) {
    defaultZone = readZoneWords(flags.zone);
    if (!defaultZone || defaultZone.problem || !defaultZone.zone) {
      throw new UsageError(`--zone ${flags.zone}: ${defaultZone?.problem ?? 'not a time zone inc knows'}`, zoneHint);
    }
    defaultZone = { zone: defaultZone.zone }; // what the person typed is taken as typed
    zoneFrom = '--zone';
  } else {
    const usable = statements.filter((s) => s.word !== undefined);
    const distinct = new Map(usable.map((s) => [s.word!.problem ?? zoneName(s.word!.zone!), s]));
    if (distinct.size > 1) {
      throw new UsageError(
        `${file}: the report states more than one time zone (${[...distinct.values()].map((s) => `line ${s.line}: "${s.text}"`).join(', ')}); which do its times use?`,
        zoneHint,
      );
    }
    const statement = [...distinct.values()][0];
    if (statement?.word?.problem) throw new UsageError(`${at(statement.line)}: "${statement.text}": ${statement.word.problem}`, zoneHint);
    if (statement) {
      defaultZone = statement.word;
      zoneFrom = `${at(statement.line)} ("${statement.text}")`;
    } else {
      const suffixes = new Map<string, RawEntry>();
      for (const r of raw) if (r.prefix.zone?.zone && !suffixes.has(zoneName(r.prefix.zone.zone))) suffixes.set(zoneName(r.prefix.zone.zone), r);
      const bare = raw.some((r) => r.prefix.time && !r.prefix.zone);
      if (suffixes.size === 1) {
        const only = [...suffixes.values()][0]!;
        defaultZone = only.prefix.zone;
        zoneFrom = `${at(only.line)} ("${only.prefix.zoneText}", the one zone the entries name)`;
      } else if (bare || suffixes.size === 0) {
        const unstated = raw.find((r) => r.prefix.time && !r.prefix.zone);
        throw new UsageError(
          suffixes.size === 0
            ? `${file}: the report does not say which time zone its times are in`
            : `${at(unstated!.line)}: "${unstated!.prefix.written}" names no zone, and the entries name several (${[...suffixes.keys()].join(', ')})`,
          zoneHint,
        );
      }
    }
  }

  // Dates carried down; times placed in their zone.
  let contextDate: string | undefined = flags.date ?? titleDate;
  if (flags.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) throw new UsageError(`--date ${flags.date}: expected YYYY-MM-DD`);
  const entries: ReportEntry[] = [];
  for (const entry of raw) {
    const { prefix } = entry;
    const where = at(entry.line);
    if (prefix.date) {
      const year = prefix.date.year ?? (contextDate ? Number(contextDate.slice(0, 4)) : undefined);
      if (year === undefined) throw new UsageError(`${where}: "${prefix.written}" gives no year`, 'Give the date of the first entry with --date YYYY-MM-DD.');
      const date = isoDate({ year, month: prefix.date.month, day: prefix.date.day });
      if (!date) {
        unread.push({ where, why: `"${prefix.written}" is not a date` });
        continue;
      }
      contextDate = date;
    }
    if (prefix.problem) {
      unread.push({ where, why: prefix.problem });
      continue;
    }
    if (!prefix.time) {
      unread.push({ where, why: `"${prefix.written}" gives a date but no time of day: not a timeline entry (its date is carried down)` });
      continue;
    }
    if (contextDate === undefined) {
      throw new UsageError(`${where}: "${prefix.written}" has no date, and none is given above it`, 'Give the date of the first entry with --date YYYY-MM-DD.');
    }
    const zoneWord = prefix.zone ?? defaultZone;
    if (!zoneWord?.zone) throw new UsageError(`${where}: "${prefix.written}" names no zone`, zoneHint);
    if (zoneWord.abbreviation && !(flags.zone !== undefined && !prefix.zone)) {
      const problem = abbreviationProblem(zoneWord.abbreviation, contextDate);
      if (problem) {
        throw new UsageError(
          `${where}: ${problem}`,
          `Say which with --zone: --zone ${abbreviationRegion(zoneWord.abbreviation)} (the local clock) or --zone ${zoneWord.zone.kind === 'offset' ? offsetLabel(zoneWord.zone.minutes) : zoneName(zoneWord.zone)} (the offset as written).`,
        );
      }
    }
    const instant = wallToEpoch(zoneWord.zone, contextDate, prefix.time.hour, prefix.time.minute);
    if (instant === undefined) {
      unread.push({ where, why: `${contextDate} ${pad(prefix.time.hour)}:${pad(prefix.time.minute)} does not exist in ${zoneName(zoneWord.zone)}` });
      continue;
    }
    const previous = entries[entries.length - 1];
    if (previous && !prefix.date && instant < previous.at) {
      unread.push({
        where,
        why: `"${prefix.written}" comes before the entry above it (${previous.wall}) and gives no date: left out rather than guessed; write its date in the heading`,
      });
      continue;
    }
    const text = oneLine([prefix.rest, ...entry.paragraph].filter((t) => t !== '').join(' ')) || '(no text in the report)';
    const problem = timelineTextProblem(text);
    if (problem) {
      unread.push({ where, why: `the entry's text cannot be kept: ${problem}` });
      continue;
    }
    entries.push({ at: instant, text, line: entry.line, wall: `${contextDate} ${pad(prefix.time.hour)}:${pad(prefix.time.minute)}` });
  }
  if (entries.length === 0) {
    throw new FileError(file, timelineStart + 1, 'the timeline has no entry that starts with a time (such as "### 14:05" or "- 14:05 rollback started")');
  }
  const first = entries[0]!;
  return {
    title,
    entries,
    zone: defaultZone?.zone ? zoneName(defaultZone.zone) : 'the zones beside each time',
    zoneValue: defaultZone?.zone,
    zoneFrom,
    proposals: proposeMilestones(entries),
    unread,
    postmortemShaped,
    key: `report:${slugify(title ?? file)}:${first.wall.replace(' ', 'T')}`,
  };
}
