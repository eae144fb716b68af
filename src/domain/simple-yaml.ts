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
const DOUBLE_QUOTE = 34;

function quotedOrPlain(raw: string): Scalar {
  return scalarAt(raw, 0, raw.length);
}

/** quotedOrPlain(text.slice(from, to)), with only the string the value is made. */
function scalarAt(source: string, from: number, to: number): Scalar {
  while (from < to && isYamlSpace(source.charCodeAt(from))) from += 1;
  while (to > from && isYamlSpace(source.charCodeAt(to - 1))) to -= 1;
  if (from === to) return null;
  if (source.charCodeAt(from) === DOUBLE_QUOTE) {
    // YAML double-quoted strings are a superset of JSON strings with the same meaning for
    // every escape JSON knows; JSON.parse throws on the YAML-only ones, and we decline then.
    if (to - from < 2 || source.charCodeAt(to - 1) !== DOUBLE_QUOTE) return DECLINED;
    const inner = source.slice(from + 1, to - 1);
    if (!NEEDS_JSON.test(inner)) return inner;
    try {
      const value: unknown = JSON.parse(source.slice(from, to));
      return typeof value === 'string' ? value : DECLINED;
    } catch {
      return DECLINED;
    }
  }
  const text = source.slice(from, to);
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

/**
 * Reads the text in place: lines are found by indexOf and looked at by position, and only the
 * strings the mapping keeps are cut out (list and stats read 10,000 front matters of ~20
 * lines). A key seen before is taken from seenKeys rather than cut out again.
 */
export function readSimpleMapping(yamlText: string, lineOffset = 0): SimpleMapping | undefined {
  // Plain objects while they fill (a null-prototype object is a slow dictionary to V8, and list
  // and stats read 10,000 of them); the data's prototype is dropped once it is complete.
  const data: Record<string, SimpleValue> = {};
  const keyLines: Record<string, number> = {};
  // A CR that does not end a line is read differently by YAML parsers: leave it to `yaml`.
  if (yamlText.includes('\r') && /\r(?!\n)/.test(yamlText)) return undefined;
  // Most texts hold no character YAML forbids: then no line needs the check below.
  const checkLines = NOT_PRINTABLE.test(yamlText) || yamlText.includes('\uFEFF');
  // Nor a line break but the line feeds the text is split on (and the CR before one).
  const mayBreak = /[\r\u2028\u2029]/.test(yamlText);
  const length = yamlText.length;
  let listKey: string | undefined;
  let listIndent: number | undefined;

  for (let start = 0, index = 0; start <= length; index += 1) {
    const newline = yamlText.indexOf('\n', start);
    const lineEnd = newline === -1 ? length : newline;
    const next = lineEnd + 1;
    // The line is yamlText[start, end): without the CR of a CRLF.
    const end = lineEnd > start && yamlText.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
    const lineStart = start;
    start = next;
    if (isBlankAt(yamlText, lineStart, end) || yamlText.charCodeAt(lineStart) === HASH) continue;

    if (checkLines) {
      const line = yamlText.slice(lineStart, end);
      if (NOT_PRINTABLE.test(line) || line.includes('\uFEFF')) return undefined;
    }
    const first = yamlText.charCodeAt(lineStart);
    const item = first === SPACE || first === DASH ? itemValueStart(yamlText, lineStart, end, mayBreak) : -1; // a key line starts with a letter
    if (item !== -1) {
      if (listKey === undefined) return undefined;
      // Items of one list share an indent; a different one is a continuation or an error in YAML.
      let indent = 0;
      while (yamlText.charCodeAt(lineStart + indent) === SPACE) indent += 1;
      listIndent ??= indent;
      if (indent !== listIndent) return undefined;
      const value = scalarAt(yamlText, item, end);
      if (value === DECLINED || isBlankAt(yamlText, item, end)) return undefined;
      (data[listKey] as SimpleValue[]).push(value);
      continue;
    }

    const colon = keyEndAt(yamlText, lineStart, end);
    if (colon === -1) return undefined;
    // The value after the colon as /:(?:[ \t]+(.*))?$/ reads it: white space must follow the colon.
    let valueStart = colon + 1;
    if (valueStart < end && !isYamlSpace(yamlText.charCodeAt(valueStart))) return undefined;
    while (valueStart < end && isYamlSpace(yamlText.charCodeAt(valueStart))) valueStart += 1;
    if (mayBreak && LINE_BREAKS.test(yamlText.slice(valueStart, end))) return undefined;
    const key = keyAt(yamlText, lineStart, colon);
    if (key === '__proto__' || Object.hasOwn(data, key)) return undefined; // duplicates: let yaml report them
    // `True:` or `null:` is a boolean or null key to YAML, which turns it into "true" or "".
    if (KEYWORD_KEYS.has(key)) return undefined;
    keyLines[key] = index + 1 + lineOffset;
    let valueEnd = end;
    while (valueEnd > valueStart && isYamlSpace(yamlText.charCodeAt(valueEnd - 1))) valueEnd -= 1;
    listKey = undefined;
    listIndent = undefined;
    if (valueStart === valueEnd) {
      // Either null or the start of a block list; a list replaces the null below.
      if (nextContentIsItem(yamlText, next, mayBreak)) {
        data[key] = [];
        listKey = key;
      } else {
        data[key] = null;
      }
      continue;
    }
    if (yamlText.charCodeAt(valueStart) === OPEN_BRACKET) {
      if (yamlText.charCodeAt(valueEnd - 1) !== CLOSE_BRACKET) return undefined;
      const list = flowSequence(yamlText.slice(valueStart, valueEnd));
      if (list === DECLINED) return undefined;
      data[key] = list;
      continue;
    }
    const value = scalarAt(yamlText, valueStart, valueEnd);
    if (value === DECLINED) return undefined;
    data[key] = value;
  }
  return { data: Object.setPrototypeOf(data, null) as Record<string, SimpleValue>, keyLines };
}

const CR = 13;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** isBlank(text.slice(from, to)). */
function isBlankAt(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (!isYamlSpace(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Where the value of a list item line text[from, to) starts, or -1 where the line is none:
 * ITEM_LINE (/^[ ]*-[ ]+(.*)$/) by hand. `.` matches no line break, so a line holding one is
 * none (`mayBreak`: the text holds a line break other than its line feeds).
 */
function itemValueStart(text: string, from: number, to: number, mayBreak: boolean): number {
  let at = from;
  while (at < to && text.charCodeAt(at) === SPACE) at += 1;
  if (text.charCodeAt(at) !== DASH || at + 1 >= to || text.charCodeAt(at + 1) !== SPACE) return -1;
  at += 1;
  while (at < to && text.charCodeAt(at) === SPACE) at += 1;
  return mayBreak && LINE_BREAKS.test(text.slice(at, to)) ? -1 : at;
}

/**
 * Whether the first line from `from` on that is neither blank nor a comment is a list item.
 * The line is looked at as split from the text, its CR included: a line holding only a CR is
 * neither blank nor a comment, and no item.
 */
function nextContentIsItem(text: string, from: number, mayBreak: boolean): boolean {
  for (let start = from; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (!isBlankAt(text, start, end) && text.charCodeAt(start) !== HASH) {
      return itemValueStart(text, start, end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end, mayBreak) !== -1;
    }
    start = end + 1;
  }
  return false;
}

/** keyEnd of the line text[from, to), as an index into text. */
function keyEndAt(text: string, from: number, to: number): number {
  let end = from;
  while (end < to && isKeyCharacter(text.charCodeAt(end), end === from)) end += 1;
  return end > from && end < to && text.charCodeAt(end) === 58 ? end : -1;
}

/**
 * Keys met before, by their length and end characters: front matters repeat the same dozen
 * keys, and a key taken from here is a string V8 has already hashed, where one cut out of the
 * text anew is hashed again by every lookup of the mapping being filled.
 */
const seenKeys: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);

/** text.slice(from, to), the key of a line. */
function keyAt(text: string, from: number, to: number): string {
  const length = to - from;
  const slot = (length * 31 + text.charCodeAt(from) * 7 + text.charCodeAt(to - 1)) & 255;
  const seen = seenKeys[slot];
  if (seen !== undefined && seen.length === length) {
    let same = 1;
    while (same < length && seen.charCodeAt(same) === text.charCodeAt(from + same)) same += 1;
    if (same === length && seen.charCodeAt(0) === text.charCodeAt(from)) return seen;
  }
  // The key as an object's own property name gives it back as the string V8 keeps for names.
  const key = Object.keys({ [text.slice(from, to)]: 0 })[0]!;
  seenKeys[slot] = key;
  return key;
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
