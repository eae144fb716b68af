/**
 * timeline.md: an append-only markdown table, one entry per row, so that GitHub shows it as
 * a table and git's union merge can combine appends from two clones (the header never
 * changes, rows are independent lines). Entries are read back sorted by time.
 */
import { FileError } from './errors.js';
import { CONFLICT_MARKER_PROBLEM, CONTROL, describeControl, isConflictMarker, normaliseText, quoteForMessage } from './frontmatter.js';
import { isDelimiterRow, surelyNoDelimiterRow } from './text.js';
import { canonicalUtcAt, parseUtcTimestamp, readWrittenTime, toIsoUtc } from './time.js';
import { yearProblem } from './years.js';

export interface TimelineEntry {
  /** Epoch milliseconds. */
  at: number;
  text: string;
  author: string;
  kind: string | null;
  /** 1-based line in timeline.md, where read from a file. */
  line?: number;
}

const TIMELINE_COLUMNS = '| Time (UTC) | Event | By | Kind |';

export function renderTimelineHeader(id: string): string {
  return (
    `# Timeline: ${id}\n\n` +
    '<!-- One entry per row, times in UTC. Append rows at the end; inc sorts them by time when reading. -->\n\n' +
    `${TIMELINE_COLUMNS}\n|---|---|---|---|\n`
  );
}

/**
 * Escapes a text for a table cell: `\` and `|` are escaped as GitHub expects, line breaks
 * become `\n` so that one entry stays one line. decodeCell reverses it exactly.
 */
export function encodeCell(text: string): string {
  return text.replace(/[\\|\n\r]/g, (c) => ({ '\\': '\\\\', '|': '\\|', '\n': '\\n', '\r': '\\r' })[c]!);
}

const DECODED: Record<string, string> = { '\\': '\\', '|': '|', n: '\n', r: '\r' };

export function decodeCell(cell: string): string {
  // Most cells hold no escape: `inc check` decodes every cell of every timeline.
  if (!cell.includes('\\')) return cell;
  return cell.replace(/\\([\\|nr])/g, (_, c: string) => DECODED[c]!);
}

/** Why a text cannot be kept in a timeline, or undefined if it can. */
export function timelineTextProblem(text: string): string | undefined {
  if (text.trim() === '') return 'the text is empty';
  const control = CONTROL.exec(text);
  if (control) return `it contains the control character ${describeControl(control[0])}, which a markdown file cannot show`;
  // Half of a surrogate pair is not a character: UTF-8 cannot store it, it would come back as U+FFFD.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    return 'it contains an unpaired UTF-16 surrogate, which is not a character and cannot be stored';
  }
  return undefined;
}

export function formatTimelineRow(entry: TimelineEntry): string {
  const kind = entry.kind ? encodeCell(entry.kind) : '';
  return `| ${toIsoUtc(entry.at)} | ${encodeCell(entry.text)} | ${encodeCell(entry.author)} | ${kind} |`;
}

const PIPE = 124;
const BACKSLASH = 92;

/**
 * Splits a table row on the pipes that are not escaped (an escape stays in its cell, for
 * decodeCell). Cells are cut out of the row by position, found by indexOf rather than by
 * stepping through every character: `inc check` splits every row of every timeline.
 */
export function splitRow(line: string): string[] {
  const body = line.trim();
  const cells: string[] = [];
  let start = body.charCodeAt(0) === PIPE ? 1 : 0;
  for (let pipe = nextPipe(body, start); pipe !== -1; pipe = nextPipe(body, start)) {
    cells.push(trimmedSlice(body, start, pipe));
    start = pipe + 1;
  }
  // body ends in no white space: what follows the last pipe is a cell unless it is empty.
  if (start < body.length) cells.push(trimmedSlice(body, start, body.length));
  return cells;
}

/** splitRow(line).length, without cutting the cells out (`inc check` counts every row's). */
export function countCells(line: string): number {
  const body = line.trim();
  let count = 0;
  let start = body.charCodeAt(0) === PIPE ? 1 : 0;
  for (let pipe = nextPipe(body, start); pipe !== -1; pipe = nextPipe(body, start)) {
    count += 1;
    start = pipe + 1;
  }
  return start < body.length ? count + 1 : count;
}

/**
 * The first pipe at or after `from` that no backslash escapes, or -1. Read from the left, a
 * backslash escapes the character after it, so a pipe is escaped when an odd run of
 * backslashes ends just before it. `from` must follow a character that is no backslash; each
 * backslash is counted once, for the pipe that ends its run, so this stays linear. Pipes at or
 * after `to` are not looked for.
 */
function nextPipe(body: string, from: number, to = body.length): number {
  for (let pipe = body.indexOf('|', from); pipe !== -1 && pipe < to; pipe = body.indexOf('|', pipe + 1)) {
    let run = 0;
    while (pipe - run - 1 >= from && body.charCodeAt(pipe - run - 1) === BACKSLASH) run += 1;
    if (run % 2 === 0) return pipe;
  }
  return -1;
}

/** The white space trim() removes that is ASCII: tab, line feed, vertical tab, form feed, carriage return, space. */
const isAsciiSpace = (code: number) => code === 32 || (code >= 9 && code <= 13);

/**
 * text.slice(from, to).trim(), with one string made instead of two where the ends are ASCII;
 * an end beyond ASCII may be white space only trim() knows, and is left to it.
 */
function trimmedSlice(text: string, from: number, to: number): string {
  while (from < to && isAsciiSpace(text.charCodeAt(from))) from += 1;
  while (to > from && isAsciiSpace(text.charCodeAt(to - 1))) to -= 1;
  if (from < to && (text.charCodeAt(from) >= 128 || text.charCodeAt(to - 1) >= 128)) return text.slice(from, to).trim();
  return text.slice(from, to);
}

export interface ParsedTimeline {
  entries: TimelineEntry[];
  problems: FileError[];
}

/**
 * Parses timeline.md leniently: rows written by hand are read back; a row whose time cannot
 * be read is reported as a problem with its line, and the rest is kept.
 *
 * `inc check` parses every timeline of the repository, a quarter of a million rows at
 * 10,000 incidents: lines are cut from the text one by one rather than split into an array
 * first, and each test starts with the one character that rules most lines out.
 */
export function parseTimeline(rawText: string, file: string): ParsedTimeline {
  const entries: TimelineEntry[] = [];
  const problems: FileError[] = [];
  const text = normaliseText(rawText);
  // One search of the whole text spares one per row in the usual timeline, which has none.
  const mayHoldControl = CONTROL.test(text);
  for (let start = 0, index = 0; start <= text.length; index += 1) {
    const lineEnd = text.indexOf('\n', start);
    const end = lineEnd === -1 ? text.length : lineEnd;
    // The usual row is read where it stands in the text; what that way does not decide, the line cut out.
    const read = mayHoldControl ? UNDECIDED : readRowInPlace(text, start, end, index + 1, entries);
    const problem = read === UNDECIDED ? readRow(text.slice(start, end), index + 1, entries, mayHoldControl) : read;
    if (problem) problems.push(new FileError(file, index + 1, problem));
    start = end + 1;
  }
  // A stable sort: rows with the same time keep the order they were appended in.
  entries.sort((a, b) => a.at - b.at);
  return { entries, problems };
}

const LESS_THAN = 60;
const EQUALS = 61;
const GREATER_THAN = 62;

/** Reads one line of a timeline into `entries`; what is wrong with it, if anything. */
function readRow(raw: string, lineNumber: number, entries: TimelineEntry[], mayHoldControl: boolean): string | undefined {
  const first = raw.charCodeAt(0);
  // A conflict marker starts the line with one of these: the regular expression runs only then.
  if ((first === LESS_THAN || first === EQUALS || first === GREATER_THAN) && isConflictMarker(raw)) return `${CONFLICT_MARKER_PROBLEM} (the rows on both sides are read)`;
  const line = raw.trim();
  if (line.charCodeAt(0) !== PIPE || isDelimiterRow(line, 3)) return undefined;
  const control = mayHoldControl ? CONTROL.exec(line) : null;
  if (control) return `timeline row contains the control character ${describeControl(control[0])}, which inc does not show`;
  const cells = splitRow(line);
  const time = cells[0] ?? '';
  if (isHeaderCell(time)) return undefined;
  // inc's own UTC ISO form, or a hand-written `YYYY-MM-DD HH:mm` (UTC, as the header says).
  const at = parseUtcTimestamp(time);
  if (at === undefined) {
    const refusal = readWrittenTime(time, 'UTC');
    // Why, where it says more than "not a time": a range, an offset beyond ±14:00, no date.
    const why = 'problem' in refusal && !refusal.problem.includes('not a time') ? `: ${refusal.problem}` : '';
    return `timeline row has no readable time: ${quoteForMessage(time)}${why} (expected 2026-03-15T14:02:00Z)`;
  }
  const outOfRange = yearProblem(at);
  if (outOfRange) return `timeline row time: ${outOfRange}`;
  const event = decodeCell(cells[1] ?? '');
  if (event === '') return 'timeline row has a time but no event text';
  entries.push({
    at,
    text: event,
    author: decodeCell(cells[2] ?? ''),
    kind: cells[3] ? decodeCell(cells[3]) : null,
    line: lineNumber,
  });
  return undefined;
}

const UNDECIDED = 0;
/** Where the first four cells of a row start and end in the text, two numbers a cell. */
const cellBounds = new Int32Array(8);

/**
 * readRow for the line text[start, end), without cutting it out: the usual row (ASCII at its
 * ends, inc's own UTC time in its first cell, an event) is read in place, its cells found
 * between its pipes and only the texts an entry keeps made; a line that cannot start a row is
 * passed over. UNDECIDED for anything else (a conflict marker, the header, a delimiter row,
 * a time written another way, a missing event), which readRow reads as before.
 */
function readRowInPlace(text: string, start: number, end: number, lineNumber: number, entries: TimelineEntry[]): string | undefined | typeof UNDECIDED {
  const first = text.charCodeAt(start);
  if (first === LESS_THAN || first === EQUALS || first === GREATER_THAN) return UNDECIDED;
  // line.trim(), where its ends are ASCII.
  let from = start;
  while (from < end && isAsciiSpace(text.charCodeAt(from))) from += 1;
  if (from === end) return undefined;
  const lead = text.charCodeAt(from);
  if (lead !== PIPE) return lead >= 128 ? UNDECIDED : undefined;
  let to = end;
  while (isAsciiSpace(text.charCodeAt(to - 1))) to -= 1;
  if (text.charCodeAt(to - 1) >= 128 || !surelyNoDelimiterRow(text, from, to)) return UNDECIDED;
  // splitRow's cells, the first four of them.
  let count = 0;
  for (let cell = from + 1; count < 4; ) {
    const pipe = nextPipe(text, cell, to);
    if (pipe === -1 && cell >= to) break;
    cellBounds[2 * count] = cell;
    cellBounds[2 * count + 1] = pipe === -1 ? to : pipe;
    count += 1;
    if (pipe === -1) break;
    cell = pipe + 1;
  }
  if (count < 2) return UNDECIDED;
  let timeFrom = cellBounds[0]!;
  let timeTo = cellBounds[1]!;
  while (timeFrom < timeTo && isAsciiSpace(text.charCodeAt(timeFrom))) timeFrom += 1;
  while (timeTo > timeFrom && isAsciiSpace(text.charCodeAt(timeTo - 1))) timeTo -= 1;
  const at = timeTo - timeFrom === 20 ? canonicalUtcAt(text, timeFrom) : undefined;
  if (at === undefined || yearProblem(at) !== undefined) return UNDECIDED;
  const event = decodeCell(trimmedSlice(text, cellBounds[2]!, cellBounds[3]!));
  if (event === '') return UNDECIDED;
  const kind = count > 3 ? trimmedSlice(text, cellBounds[6]!, cellBounds[7]!) : '';
  entries.push({
    at,
    text: event,
    author: count > 2 ? decodeCell(trimmedSlice(text, cellBounds[4]!, cellBounds[5]!)) : '',
    kind: kind ? decodeCell(kind) : null,
    line: lineNumber,
  });
  return undefined;
}

const HEADER_CELL = /^time\b/i;

/** The header row's first cell (`Time (UTC)`): only a cell starting with a t can be one. */
function isHeaderCell(cell: string): boolean {
  const first = cell.charCodeAt(0) | 0x20; // lower case for a letter
  return first === 116 && HEADER_CELL.test(cell);
}

/** Appends rows to a timeline text, keeping it one row per line with a final newline. */
export function appendTimelineRows(text: string, entries: TimelineEntry[]): string {
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return base + entries.map((e) => `${formatTimelineRow(e)}\n`).join('');
}
