/**
 * timeline.md: an append-only markdown table, one entry per row, so that GitHub shows it as
 * a table and git's union merge can combine appends from two clones (the header never
 * changes, rows are independent lines). Entries are read back sorted by time.
 */
import { FileError } from './errors.js';
import { CONFLICT_MARKER_PROBLEM, CONTROL, describeControl, isConflictMarker, normaliseText, quoteForMessage } from './frontmatter.js';
import { isDelimiterRow } from './text.js';
import { parseUtcTimestamp, readWrittenTime, toIsoUtc } from './time.js';
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
 * decodeCell). Cells are cut out with slice rather than built a character at a time:
 * `inc check` splits every row of every timeline.
 */
export function splitRow(line: string): string[] {
  let body = line.trim();
  if (body.startsWith('|')) body = body.slice(1);
  const cells: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const code = body.charCodeAt(i);
    if (code === BACKSLASH && i + 1 < body.length) i += 1;
    else if (code === PIPE) {
      cells.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last !== '') cells.push(last);
  return cells;
}

export interface ParsedTimeline {
  entries: TimelineEntry[];
  problems: FileError[];
}

/**
 * Parses timeline.md leniently: rows written by hand are read back; a row whose time cannot
 * be read is reported as a problem with its line, and the rest is kept.
 */
export function parseTimeline(rawText: string, file: string): ParsedTimeline {
  const entries: TimelineEntry[] = [];
  const problems: FileError[] = [];
  const lines = normaliseText(rawText).split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (isConflictMarker(raw)) {
      problems.push(new FileError(file, index + 1, `${CONFLICT_MARKER_PROBLEM} (the rows on both sides are read)`));
      return;
    }
    if (!line.startsWith('|') || isDelimiterRow(line, 3)) return;
    const control = CONTROL.exec(line);
    if (control) {
      problems.push(new FileError(file, index + 1, `timeline row contains the control character ${describeControl(control[0])}, which inc does not show`));
      return;
    }
    const cells = splitRow(line);
    const first = cells[0] ?? '';
    if (/^time\b/i.test(first)) return; // the header row
    // inc's own UTC ISO form, or a hand-written `YYYY-MM-DD HH:mm` (UTC, as the header says).
    const at = parseUtcTimestamp(first);
    if (at === undefined) {
      const refusal = readWrittenTime(first, 'UTC');
      // Why, where it says more than "not a time": a range, an offset beyond ±14:00, no date.
      const why = 'problem' in refusal && !refusal.problem.includes('not a time') ? `: ${refusal.problem}` : '';
      problems.push(new FileError(file, index + 1, `timeline row has no readable time: ${quoteForMessage(first)}${why} (expected 2026-03-15T14:02:00Z)`));
      return;
    }
    const outOfRange = yearProblem(at);
    if (outOfRange) {
      problems.push(new FileError(file, index + 1, `timeline row time: ${outOfRange}`));
      return;
    }
    const text = decodeCell(cells[1] ?? '');
    if (text === '') {
      problems.push(new FileError(file, index + 1, 'timeline row has a time but no event text'));
      return;
    }
    entries.push({
      at,
      text,
      author: decodeCell(cells[2] ?? ''),
      kind: cells[3] ? decodeCell(cells[3]) : null,
      line: index + 1,
    });
  });
  // A stable sort: rows with the same time keep the order they were appended in.
  entries.sort((a, b) => a.at - b.at);
  return { entries, problems };
}

/** Appends rows to a timeline text, keeping it one row per line with a final newline. */
export function appendTimelineRows(text: string, entries: TimelineEntry[]): string {
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return base + entries.map((e) => `${formatTimelineRow(e)}\n`).join('');
}
