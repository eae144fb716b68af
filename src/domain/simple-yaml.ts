/**
 * A fast reader for the plain YAML that inc itself writes: a flat mapping of
 * `key: scalar` lines and lists of scalars. It returns undefined ("declined") for anything
 * else, and the caller then parses with the full `yaml` package. It accepts only text that
 * it reads exactly as YAML 1.2's core schema does (a property test holds it to that), so
 * the fast path never changes a value; it exists because `yaml` costs ~250 µs a file and
 * ~30 ms to load, which matters for `inc stats` over 10,000 incidents
 * (docs/decisions/0061-own-front-matter-reader.md).
 */

export type SimpleValue = string | number | boolean | null | SimpleValue[];

export interface SimpleMapping {
  /** The mapping, with a null prototype: no key reaches Object.prototype. */
  data: Record<string, SimpleValue>;
  /** 1-based line of each key within the YAML text, plus the lineOffset asked for. */
  keyLines: Record<string, number>;
}

/** A list item, `  - value`. (A key line, `key: value`, is read by keyEnd and valueAfter.) */
const ITEM_LINE = /^[ ]*-[ ]+(.*)$/;
/** What `.` does not match in a regex: a value holding one is left to `yaml`. */
const LINE_BREAKS = /[\n\r\u2028\u2029]/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9]+\.[0-9]*|[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
/** Keys YAML reads as null or a boolean rather than as text. */
const KEYWORD_KEYS = new Set([...NULLS, ...TRUES, ...FALSES]);
const DECLINED = Symbol('declined');
/**
 * Characters YAML forbids in a document (outside c-printable): `yaml` reports them as errors
 * (or reads them its own way), so a line holding one is left to it. Tab is printable.
 */
// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufffe\uffff]/;
type Scalar = string | number | boolean | null | typeof DECLINED;

function plainScalar(text: string): Scalar {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  if (/^[0-9+-]/.test(text)) {
    if (INT.test(text) || FLOAT.test(text)) {
      const n = Number(text);
      return Number.isFinite(n) && (INT.test(text) ? Number.isSafeInteger(n) : true) ? n : DECLINED;
    }
    if (/^[0-9]/.test(text) && DATE_LIKE.test(text)) return text;
    // `5 minutes`: no number, boolean or null of the core schema holds a space, so it is text.
    if (/^[0-9]/.test(text) && text.includes(' ') && !UNSAFE_IN_PLAIN.test(text)) return text;
    return DECLINED;
  }
  // Anything that could be an indicator, a comment, a nested mapping or an escape in YAML
  // is left to the full parser.
  if (!/^[A-Za-z_]/.test(text)) return DECLINED;
  if (UNSAFE_IN_PLAIN.test(text)) return DECLINED;
  return text;
}

/**
 * What the fast reader leaves to `yaml` inside a plain scalar: a comment or mapping start,
 * quotes, escapes, flow brackets, anchors, tags, block indicators, and white space at the end.
 * (`,`, `%`, `@` and a backquote are text after the first character, in block and flow
 * context alike: a flow list is split on its commas before its items get here.)
 */
const UNSAFE_IN_PLAIN = /[#:\t\\"'{}[\]&*!|>]|\s$/;

const SPACE = 32;
const TAB = 9;
const DASH = 45;

/** YAML's whitespace is space and tab only: String.trim() would also drop U+00A0, U+2028, ... */
function yamlTrim(text: string): string {
  // Index scans, not a regex: list and stats read 10,000 files of ~20 lines.
  let start = 0;
  let end = text.length;
  while (start < end && isYamlSpace(text.charCodeAt(start))) start += 1;
  while (end > start && isYamlSpace(text.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isYamlSpace(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** yamlTrim(text) === '', without making the trimmed text. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (!isYamlSpace(text.charCodeAt(i))) return false;
  return true;
}

/** [A-Za-z_] and, after the first character, [A-Za-z0-9_-]: the keys the fast reader reads. */
function isKeyCharacter(code: number, first: boolean): boolean {
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) return true;
  return !first && ((code >= 48 && code <= 57) || code === DASH);
}

/**
 * The index of the `:` that ends the key of a `key: value` line, or -1: what the regex
 * /^([A-Za-z_][A-Za-z0-9_-]*):/ matches, scanned by hand (list and stats read 170,000 such
 * lines, and a regex match allocates its captures).
 */
function keyEnd(line: string): number {
  let end = 0;
  while (end < line.length && isKeyCharacter(line.charCodeAt(end), end === 0)) end += 1;
  return end > 0 && line.charCodeAt(end) === 58 ? end : -1;
}

/**
 * The value after a key's `:` as /:(?:[ \t]+(.*))?$/ reads it ('' for none), or undefined
 * when that does not match: a character other than a space or tab right after the colon.
 * Line breaks in the value are the caller's to check (`.` does not match them).
 */
function valueAfter(line: string, colon: number): string | undefined {
  let start = colon + 1;
  if (start === line.length) return '';
  if (!isYamlSpace(line.charCodeAt(start))) return undefined;
  while (start < line.length && isYamlSpace(line.charCodeAt(start))) start += 1;
  return line.slice(start);
}

/** A double-quoted text with no escape, quote or control character means what it holds. */
const NEEDS_JSON = /["\\\u0000-\u001f]/;

function quotedOrPlain(raw: string): Scalar {
  const text = yamlTrim(raw);
  if (text === '') return null;
  if (text.startsWith('"')) {
    // YAML double-quoted strings are a superset of JSON strings with the same meaning for
    // every escape JSON knows; JSON.parse throws on the YAML-only ones, and we decline then.
    if (!text.endsWith('"') || text.length < 2) return DECLINED;
    const inner = text.slice(1, -1);
    if (!NEEDS_JSON.test(inner)) return inner;
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'string' ? value : DECLINED;
    } catch {
      return DECLINED;
    }
  }
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'$/.exec(text);
    if (!m || /[\t]/.test(m[1]!)) return DECLINED;
    return m[1]!.replace(/''/g, "'");
  }
  return plainScalar(text);
}

function flowSequence(text: string): SimpleValue[] | typeof DECLINED {
  const inner = yamlTrim(text.slice(1, -1));
  if (inner === '') return [];
  if (inner.startsWith('"')) {
    // A JSON array of strings reads the same in YAML.
    try {
      const list: unknown = JSON.parse(text);
      if (Array.isArray(list) && list.every((v) => typeof v === 'string')) return list as string[];
    } catch {
      // not JSON: the checks below decide
    }
  }
  // Split only when no item can hide a comma or bracket inside quotes.
  if (/[[\]{}]/.test(inner)) return DECLINED;
  const items: SimpleValue[] = [];
  for (const piece of inner.split(',')) {
    const item = yamlTrim(piece);
    if (item === '' || item.includes('"') || item.includes("'")) return DECLINED;
    const value = plainScalar(item);
    if (value === DECLINED) return DECLINED;
    items.push(value);
  }
  return items;
}

export function readSimpleMapping(yamlText: string, lineOffset = 0): SimpleMapping | undefined {
  // Plain objects while they fill (a null-prototype object is a slow dictionary to V8, and list
  // and stats read 10,000 of them); the data's prototype is dropped once it is complete.
  const data: Record<string, SimpleValue> = {};
  const keyLines: Record<string, number> = {};
  // A CR that does not end a line is read differently by YAML parsers: leave it to `yaml`.
  if (yamlText.includes('\r') && /\r(?!\n)/.test(yamlText)) return undefined;
  const lines = yamlText.split('\n');
  // Most texts hold no character YAML forbids: then no line needs the check below.
  const checkLines = NOT_PRINTABLE.test(yamlText) || yamlText.includes('\uFEFF');
  // Nor a line break but the line feeds the text is split on.
  const mayBreak = /[\r\u2028\u2029]/.test(yamlText);
  let listKey: string | undefined;
  let listIndent: number | undefined;

  for (let index = 0; index < lines.length; index += 1) {
    const rawLine = lines[index]!;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (isBlank(line) || line.startsWith('#')) continue;

    if (checkLines && (NOT_PRINTABLE.test(line) || line.includes('\uFEFF'))) return undefined;
    const first = line.charCodeAt(0);
    const item = first === SPACE || first === DASH ? ITEM_LINE.exec(line) : null; // a key line starts with a letter
    if (item) {
      if (listKey === undefined) return undefined;
      // Items of one list share an indent; a different one is a continuation or an error in YAML.
      let indent = 0;
      while (line.charCodeAt(indent) === SPACE) indent += 1;
      listIndent ??= indent;
      if (indent !== listIndent) return undefined;
      const value = quotedOrPlain(item[1]!);
      if (value === DECLINED || yamlTrim(item[1]!) === '') return undefined;
      (data[listKey] as SimpleValue[]).push(value);
      continue;
    }

    const colon = keyEnd(line);
    const rest = colon === -1 ? undefined : valueAfter(line, colon);
    if (rest === undefined || (mayBreak && LINE_BREAKS.test(rest))) return undefined;
    const key = line.slice(0, colon);
    if (key === '__proto__' || Object.hasOwn(data, key)) return undefined; // duplicates: let yaml report them
    // `True:` or `null:` is a boolean or null key to YAML, which turns it into "true" or "".
    if (KEYWORD_KEYS.has(key)) return undefined;
    keyLines[key] = index + 1 + lineOffset;
    const raw = yamlTrim(rest);
    listKey = undefined;
    listIndent = undefined;
    if (raw === '') {
      // Either null or the start of a block list; a list replaces the null below.
      let next: string | undefined;
      for (let after = index + 1; after < lines.length && next === undefined; after += 1) {
        const l = lines[after]!;
        if (!isBlank(l) && !l.startsWith('#')) next = l;
      }
      if (next !== undefined && ITEM_LINE.test(next.replace(/\r$/, ''))) {
        data[key] = [];
        listKey = key;
      } else {
        data[key] = null;
      }
      continue;
    }
    if (raw.startsWith('[')) {
      if (!raw.endsWith(']')) return undefined;
      const list = flowSequence(raw);
      if (list === DECLINED) return undefined;
      data[key] = list;
      continue;
    }
    const value = quotedOrPlain(raw);
    if (value === DECLINED) return undefined;
    data[key] = value;
  }
  return { data: Object.setPrototypeOf(data, null) as Record<string, SimpleValue>, keyLines };
}

/** A mapping of readSimpleDocument: its values are what readSimpleMapping reads, or mappings again. */
export interface SimpleDocument {
  [key: string]: SimpleValue | SimpleDocument;
}

interface ContentLine {
  /** Leading spaces. */
  indent: number;
  text: string;
}

/**
 * A YAML document of mappings nested by indentation, whose values are what readSimpleMapping
 * reads (scalars, flow lists of scalars, block lists of scalars), with comment lines
 * anywhere: the severity matrix as `inc init` writes it. Undefined ("declined") for anything
 * else, and the caller reads the text with `yaml` instead; whatever it accepts it reads as
 * `yaml` does (a property test holds it to that). It spares loading `yaml` (~25 ms) on every
 * run that has no cache of the matrix, as in CI.
 */
export function readSimpleDocument(text: string): SimpleDocument | undefined {
  // A CR that ends no line, a character YAML forbids, a byte-order mark or a Unicode line break: left to `yaml`.
  if (/\r(?!\n)|[\u2028\u2029\uFEFF]/.test(text) || NOT_PRINTABLE.test(text)) return undefined;
  const lines: ContentLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (isBlank(line)) continue;
    let indent = 0;
    while (line.charCodeAt(indent) === SPACE) indent += 1;
    if (line.charCodeAt(indent) === TAB) return undefined; // a tab in the indentation: an error to YAML
    if (line.charCodeAt(indent) !== HASH) lines.push({ indent, text: line });
  }
  if (lines.length === 0) return undefined; // an empty document is null to YAML, not a mapping
  const reader = { lines, at: 0 };
  const data = readNestedMapping(reader, 0, 0);
  return data === DECLINED || reader.at < lines.length ? undefined : data;
}

const HASH = 35;
/** Mappings nest at most this deep here (the matrix: 2): a hostile file of ever deeper lines is `yaml`'s to refuse, not a stack overflow. */
const MAX_DEPTH = 16;

/** The `key: value` lines at exactly `indent` from reader.at on, with what each key holds. */
function readNestedMapping(reader: { lines: ContentLine[]; at: number }, indent: number, depth: number): SimpleDocument | typeof DECLINED {
  if (depth > MAX_DEPTH) return DECLINED;
  const { lines } = reader;
  const data: SimpleDocument = {};
  while (reader.at < lines.length && lines[reader.at]!.indent >= indent) {
    const { indent: own, text } = lines[reader.at]!;
    // Deeper than its mapping: a continued value or an error, for `yaml` to read.
    if (own !== indent) return DECLINED;
    const line = text.slice(indent);
    const colon = keyEnd(line);
    const rest = colon === -1 ? undefined : valueAfter(line, colon);
    if (rest === undefined) return DECLINED;
    const key = line.slice(0, colon);
    if (key === '__proto__' || KEYWORD_KEYS.has(key) || Object.hasOwn(data, key)) return DECLINED;
    reader.at += 1;
    const raw = yamlTrim(rest);
    const next = lines[reader.at];
    if (raw !== '') {
      const value = raw.startsWith('[') ? (raw.endsWith(']') ? flowSequence(raw) : DECLINED) : quotedOrPlain(raw);
      if (value === DECLINED) return DECLINED;
      data[key] = value;
    } else if (next !== undefined && next.indent >= indent && ITEM_LINE.test(next.text)) {
      const list = readBlockList(reader, next.indent);
      if (list === DECLINED) return DECLINED;
      data[key] = list;
    } else if (next !== undefined && next.indent > indent) {
      const nested = readNestedMapping(reader, next.indent, depth + 1);
      if (nested === DECLINED) return DECLINED;
      data[key] = nested;
    } else {
      data[key] = null;
    }
  }
  return data;
}

/** The `- scalar` lines at exactly `indent` from reader.at on. */
function readBlockList(reader: { lines: ContentLine[]; at: number }, indent: number): SimpleValue[] | typeof DECLINED {
  const items: SimpleValue[] = [];
  for (let line = reader.lines[reader.at]; line !== undefined && line.indent === indent; line = reader.lines[reader.at]) {
    const item = ITEM_LINE.exec(line.text);
    if (!item) break;
    const value = quotedOrPlain(item[1]!);
    if (value === DECLINED || yamlTrim(item[1]!) === '') return DECLINED;
    items.push(value);
    reader.at += 1;
  }
  return items;
}
