/**
 * Text helpers that run in time linear in their input. Files from a pull request are
 * hostile: a regular expression with two quantifiers that can match the same characters
 * (`\s*\n\s*`, `-+$` searched from every position, `:?\s*\|?\s*$`) backtracks quadratically
 * or worse on a long line, so these are written as loops or as single-quantifier patterns.
 */

/** Each run of whitespace that holds a line break becomes one space; other runs stay as they are. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') || run.includes('\r') ? ' ' : run));
}

/** `text` without the leading and trailing characters for which `strip` is true. */
export function trimWhere(text: string, strip: (character: string) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && strip(text[start]!)) start += 1;
  while (end > start && strip(text[end - 1]!)) end -= 1;
  return text.slice(start, end);
}

const THREE_DASH_CELL = /^:?-{3,}:?$/;
const DASH_CELL = /^:?-+:?$/;
/** The ASCII characters a delimiter row can hold: `|`, `-`, `:` and the white space trim() removes. */
const DELIMITER_ROW_ASCII = Array.from({ length: 128 }, (_, code) => '|-: \t\n\v\f\r'.includes(String.fromCharCode(code)));

/**
 * Whether a line is a markdown table's delimiter row (`|---|:--:|`, `--- | ---`): cells of at
 * least `minDashes` dashes with optional colons, between pipes, spaces around anything.
 */
export function isDelimiterRow(line: string, minDashes: number): boolean {
  if (surelyNoDelimiterRow(line, 0, line.length)) return false;
  let body = line.startsWith('|') ? line.slice(1) : line;
  body = body.trimEnd();
  if (body.endsWith('|')) body = body.slice(0, -1);
  const cell = minDashes === 3 ? THREE_DASH_CELL : DASH_CELL;
  for (const part of body.split('|')) {
    if (!cell.test(part.trim())) return false;
  }
  return true;
}

/**
 * Whether text.slice(from, to) is surely no delimiter row: an ASCII character that no
 * delimiter row holds comes before any character beyond ASCII. Almost every line asked about
 * is a table row of text, and this answers it before any slicing or splitting (`inc check`
 * asks for every row of every timeline); other lines are left to the full reading.
 */
export function surelyNoDelimiterRow(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 128) return false;
    if (!DELIMITER_ROW_ASCII[code]) return true;
  }
  return false;
}

/** A line without its trailing spaces; `/ +\n/g` over a text is quadratic on a long run of spaces inside a line. */
export function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') end -= 1;
  return line.slice(0, end);
}

/** Longest line inc reads in any file: far beyond any line a person writes, small enough to bound every reader. */
export const LINE_LIMIT = 64 * 1024;

/** The first line (1-based) longer than `limit` characters and its length, or undefined. A lone CR ends a line too. */
export function firstLongLine(text: string, limit = LINE_LIMIT): { line: number; length: number } | undefined {
  if (text.length <= limit) return undefined;
  let line = 1;
  let start = 0;
  for (let i = 0; i <= text.length; i += 1) {
    const c = i === text.length ? 10 : text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (i - start > limit) return { line, length: i - start };
    if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
    line += 1;
    start = i + 1;
  }
  return undefined;
}

/** The message for a line past LINE_LIMIT. */
export function longLineProblem(length: number): string {
  return `this line is ${length.toLocaleString('en-US')} characters long; inc reads lines of up to ${LINE_LIMIT.toLocaleString('en-US')} characters`;
}
