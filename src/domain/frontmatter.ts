/**
 * Front-matter markdown: `---`, a YAML mapping, `---`, then a markdown body. Pure functions
 * of a string; every error names the file and the line.
 */
import { FileError } from './errors.js';
import { readSimpleMapping } from './simple-yaml.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based line in the whole file of each top-level key. */
  keyLines: Record<string, number>;
  body: string;
  /** 1-based line in the whole file where the body starts. */
  bodyStartLine: number;
}

export interface SplitFile {
  yaml: string;
  body: string;
  /**
   * Lines before the YAML text in the file: the opening `---`, so always 1 (a byte-order mark
   * is dropped from that line, never a line of its own). Key lines add it.
   */
  yamlLineOffset: number;
  bodyStartLine: number;
}

/** A parser for the YAML of a front matter: returns the data and 1-based key lines within `yaml`. */
export type YamlReader = (yaml: string, file: string, lineOffset: number) => Omit<FrontMatter, 'body' | 'bodyStartLine'>;

/**
 * Most front matter inc reads: an incident's is about 1 KiB. The full YAML reader costs
 * far more per byte than the file's body, so it is bounded on its own.
 */
export const FRONT_MATTER_LIMIT = 64 * 1024;

const EXPECTED = 'expected front matter: a first line "---", YAML "key: value" lines, then a closing "---"';

/** Normalises what editors add: a byte-order mark and CRLF line endings. */
export function normaliseText(text: string): string {
  // Most files have neither: a scan for a CR costs less than the replacing regex's own scan.
  if (text.charCodeAt(0) !== 0xfeff && !text.includes('\r')) return text;
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function splitFrontMatter(rawText: string, file: string): SplitFile {
  const text = normaliseText(rawText);
  if (text.trim() === '') throw new FileError(file, 1, `the file is empty; ${EXPECTED}`);
  // Lines are found up to the closing delimiter only; the body, most of the file, is sliced
  // whole (list and stats split thousands of files).
  const lineEnd = (start: number) => {
    const end = text.indexOf('\n', start);
    return end === -1 ? text.length : end;
  };
  const firstEnd = lineEnd(0);
  if (text.slice(0, firstEnd).trimEnd() !== '---') {
    throw new FileError(file, 1, `found ${quoteForMessage(text.slice(0, firstEnd))}; ${EXPECTED}`);
  }
  let lineIndex = 1;
  for (let start = firstEnd + 1; start <= text.length; lineIndex += 1) {
    if (start > FRONT_MATTER_LIMIT) {
      throw new FileError(file, lineIndex + 1, `the front matter is longer than inc reads (${FRONT_MATTER_LIMIT / 1024} KiB up to its closing "---")`);
    }
    const end = lineEnd(start);
    const line = text.slice(start, end).trimEnd();
    if (line === '---' || line === '...') {
      return {
        yaml: text.slice(firstEnd + 1, Math.max(firstEnd + 1, start - 1)),
        body: end === text.length ? '' : text.slice(end + 1),
        yamlLineOffset: 1,
        bodyStartLine: lineIndex + 2,
      };
    }
    start = end + 1;
  }
  throw new FileError(file, 1, `the front matter that starts here has no closing "---"`);
}

/**
 * Parses a front-matter file. The fast reader handles what inc writes; anything else goes
 * to `fullReader` (the `yaml` package, see yaml-document.ts). Returns undefined when the fast
 * reader declines and no full reader was given, so callers can load `yaml` only when needed.
 */
export function parseFrontMatter(text: string, file: string, fullReader?: YamlReader): FrontMatter | undefined {
  const split = splitFrontMatter(text, file);
  // Key lines come counted in the whole file: no copy to shift them (list and stats read 10,000).
  const fast = readSimpleMapping(split.yaml, split.yamlLineOffset);
  let head: Omit<FrontMatter, 'body' | 'bodyStartLine'>;
  if (fast) {
    head = fast;
  } else if (fullReader) {
    head = fullReader(split.yaml, file, split.yamlLineOffset);
  } else {
    return undefined;
  }
  // Most front matter holds neither a raw control character nor an escape that makes one.
  if (CONTROL_OR_ESCAPE.test(split.yaml)) refuseControlCharacters(head.data, head.keyLines, file);
  return { data: head.data, keyLines: head.keyLines, body: split.body, bodyStartLine: split.bodyStartLine };
}

/**
 * Control characters (C0 but tab, line feed and carriage return; DEL; C1): a markdown file
 * cannot show them, and printed to a terminal an ESC or CSI can rewrite what it displays.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

// eslint-disable-next-line no-control-regex
const CONTROL_OR_ESCAPE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\\]/;

/**
 * A value holding a control character (ESC, CSI, BEL, NUL...) is refused: inc never writes
 * one, and printed to a terminal it can rewrite what the terminal shows (a hostile pull
 * request's title that hides or fakes text). Tab, line feed and carriage return are text.
 */
function refuseControlCharacters(data: Record<string, unknown>, keyLines: Record<string, number>, file: string): void {
  const find = (value: unknown, depth: number): string | undefined => {
    if (typeof value === 'string') return CONTROL.exec(value)?.[0];
    if (depth > 20 || value === null || typeof value !== 'object') return undefined;
    for (const item of Array.isArray(value) ? value : Object.values(value)) {
      const found = find(item, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  for (const key of Object.keys(data)) {
    const found = find(data[key], 0);
    if (found !== undefined) {
      throw new FileError(file, keyLines[key] ?? 1, `${key} contains the control character ${describeControl(found)}, which inc does not show (it could rewrite what a terminal displays)`);
    }
  }
}

/** A control character as messages name it: `U+001B`. */
export function describeControl(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A line git writes into a conflicted file: `<<<<<<< ours`, `=======`, `>>>>>>> theirs`. */
const CONFLICT_MARKER = /^(?:<{7}|={7}|>{7})(?: |$)/;
const CONFLICT_START = /^<{7}(?: |$)/m;

/** What every message about a conflict marker says it is. */
export const CONFLICT_MARKER_PROBLEM = 'unresolved conflict marker from a merge or rebase';
/** How to resolve one, the first step of every hint about conflict markers (no final full stop). */
export const RESOLVE_CONFLICT_MARKERS = 'Keep the right lines between <<<<<<< and >>>>>>>, delete the marker lines';

export function isConflictMarker(line: string): boolean {
  return CONFLICT_MARKER.test(line);
}

/**
 * The 1-based line where an unresolved conflict starts (`<<<<<<<`), or undefined. Only the
 * opening marker counts: a markdown heading can be underlined with `=======`, and git always
 * writes the opening marker first.
 */
export function conflictStartLine(text: string): number | undefined {
  const m = CONFLICT_START.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A text from a file, safe to quote in a message: short, in quotes, control characters as \uXXXX. */
export function quoteForMessage(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(truncate(text, max)).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
