/**
 * Full YAML through the `yaml` package: the slow, complete path for reading hand-edited
 * front matter, and the Document API for writing, which keeps a person's comments and key
 * order when a command changes one field.
 */
import { createRequire } from 'node:module';
import type { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { FileError } from './errors.js';
import { CONFLICT_MARKER_PROBLEM, conflictStartLine, RESOLVE_CONFLICT_MARKERS, splitFrontMatter, type YamlReader } from './frontmatter.js';

type YamlPackage = typeof import('yaml');
let yamlPackage: YamlPackage | undefined;

/**
 * The `yaml` package, loaded at its first use rather than with this module (~25 ms): loading
 * the matrix imports this module, and needs the package only when the matrix changed since
 * this clone cached it (store/matrix.ts). It ships CommonJS for Node, so `require` loads it
 * synchronously and synchronous callers keep their signatures.
 */
function yaml(): YamlPackage {
  yamlPackage ??= createRequire(import.meta.url)('yaml') as YamlPackage;
  return yamlPackage;
}

/** Aliases are legal YAML but a classic memory bomb; no file of ours needs many. */
const MAX_ALIAS_COUNT = 50;

const TO_STRING = { lineWidth: 0, minContentWidth: 0, defaultKeyType: 'PLAIN', defaultStringType: 'QUOTE_DOUBLE' } as const;

/**
 * Deeper than any file of ours needs. `yaml` recurses once per level: a hostile file of a
 * million `[` takes it seconds and ends in a stack overflow, so such text is refused first.
 */
const MAX_NESTING = 200;

/** The line where `[` and `{` nest past MAX_NESTING (quoted ones count too: a cheap, safe over-count). */
function tooDeeplyNested(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10) line += 1;
    else if (c === 91 || c === 123) {
      depth += 1;
      if (depth > MAX_NESTING) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth -= 1;
  }
  return undefined;
}

function parseOrThrow(yamlText: string, file: string, lineOffset: number) {
  const deep = tooDeeplyNested(yamlText);
  if (deep !== undefined) {
    throw new FileError(file, deep + lineOffset, `brackets nest more than ${MAX_NESTING} levels deep; inc does not read such YAML`);
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  let doc;
  try {
    // uniqueKeys compares each key with every earlier one (20,000 keys took minutes): checked below instead.
    doc = parseDocument(yamlText, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  } catch (error) {
    throw new FileError(file, lineOffset + 1, `YAML could not be read: ${(error as Error).message}`);
  }
  const error = doc.errors[0];
  if (error) {
    const marker = conflictStartLine(yamlText);
    if (marker !== undefined) {
      throw new FileError(file, marker + lineOffset, CONFLICT_MARKER_PROBLEM, `${RESOLVE_CONFLICT_MARKERS}, then \`git add\` the file and finish the merge or rebase.`);
    }
    const line = lineCounter.linePos(error.pos[0]).line + lineOffset;
    const reason = /Maximum call stack/.test(error.message)
      ? 'nested too deeply for inc to read'
      : error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    throw new FileError(file, line, `invalid YAML: ${reason}`);
  }
  const duplicate = firstDuplicateKey(doc.contents);
  if (duplicate !== undefined) throw new FileError(file, lineCounter.linePos(duplicate).line + lineOffset, 'invalid YAML: Map keys must be unique');
  return { doc, lineCounter };
}

/** The identity of a scalar key, as `yaml` compares them (1 and "1" differ), or undefined for another node. */
function keyIdentity(key: unknown): string | undefined {
  const { isScalar } = yaml();
  if (!isScalar(key)) return undefined;
  return `${typeof key.value}:${String(key.value)}`;
}

/** Where the first repeated key of any mapping starts, in time linear in the number of nodes. */
function firstDuplicateKey(root: unknown): number | undefined {
  const { isMap, isSeq, isPair } = yaml();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const identity = keyIdentity(pair.key);
        if (identity !== undefined) {
          if (seen.has(identity)) return (pair.key as Scalar).range?.[0] ?? 0;
          seen.add(identity);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(isPair(item) ? item.value : item);
    }
  }
  return undefined;
}

export const readYamlMapping: YamlReader = (yamlText, file, lineOffset) => {
  const { doc, lineCounter } = parseOrThrow(yamlText, file, lineOffset);
  if (doc.contents === null) return { data: {}, keyLines: {} };
  const { isMap, isScalar } = yaml();
  if (!isMap(doc.contents)) {
    throw new FileError(file, lineOffset + 1, 'the front matter must be a mapping of "key: value" lines');
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new FileError(file, lineOffset + 1, `YAML rejected: ${(error as Error).message}`);
  }
  const keyLines: Record<string, number> = {};
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) {
      keyLines[String(pair.key.value)] = lineCounter.linePos(pair.key.range[0]).line + lineOffset;
    }
  }
  return { data: data as Record<string, unknown>, keyLines };
};

/** Parses a whole YAML file (the severity matrix, the config) with line-numbered errors. */
export function readYamlFile(text: string, file: string): { data: unknown; lineOf: (path: (string | number)[]) => number } {
  const { doc, lineCounter } = parseOrThrow(text.replace(/^\uFEFF/, ''), file, 0);
  const { isMap, isScalar, isSeq } = yaml();
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new FileError(file, 1, `YAML rejected: ${(error as Error).message}`);
  }
  // Each mapping's keys indexed once: the matrix's validation asks for a line per key, and a
  // search per question made a matrix of 20,000 levels quadratic.
  const indexes = new Map<YAMLMap, Map<unknown, Pair>>();
  const pairOf = (map: YAMLMap, key: string | number): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items as Pair[]) if (isScalar(pair.key) && !index.has(pair.key.value)) index.set(pair.key.value, pair);
      indexes.set(map, index);
    }
    return index.get(key);
  };
  /** The line of a key (or list item) at `path`, or of its nearest ancestor that exists. */
  const lineOf = (path: (string | number)[]): number => {
    let node: unknown = doc.contents;
    let line = 1;
    for (const key of path) {
      if (isMap(node)) {
        const pair = pairOf(node as YAMLMap, key);
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) line = lineCounter.linePos(pair.key.range[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = (node as YAMLSeq).items[key] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        if (item.range) line = lineCounter.linePos(item.range[0]).line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
  return { data, lineOf };
}

/** A value as a YAML node that every reader (YAML 1.1 ones included) reads back the same. */
function node(doc: Document, value: unknown) {
  if (typeof value === 'string') return quoted(value);
  if (Array.isArray(value)) {
    // Block style (one "- item" per line) diffs and merges line by line; [] when empty.
    const seq = doc.createNode(value.map((v) => (typeof v === 'string' ? quoted(v) : v)));
    (seq as { flow?: boolean }).flow = value.length === 0;
    return seq;
  }
  return doc.createNode(value);
}

function quoted(value: string): Scalar {
  const { Scalar } = yaml();
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** Renders a new front-matter file: keys in the given order, strings double-quoted. */
export function renderFrontMatter(data: Record<string, unknown>, body: string): string {
  const doc = new (yaml().Document)({});
  const map = doc.contents as YAMLMap;
  for (const [key, value] of Object.entries(data)) map.set(key, node(doc, value ?? null));
  return `---\n${doc.toString(TO_STRING)}---\n${body}`;
}

/**
 * Changes fields of an existing front-matter file and keeps everything else as it was:
 * comments, key order, the body. `undefined` deletes nothing; `null` sets an empty value.
 */
export function updateFrontMatter(text: string, file: string, changes: Record<string, unknown>): string {
  const split = splitFrontMatter(text, file);
  const { doc } = parseOrThrow(split.yaml, file, split.yamlLineOffset);
  const { isMap, YAMLMap } = yaml();
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new FileError(file, split.yamlLineOffset + 1, 'the front matter must be a mapping of "key: value" lines');
  }
  if (doc.contents === null) (doc as unknown as Document).contents = new YAMLMap();
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    // Replace the value node but keep the comments a person wrote on it (`status: x # why`).
    const old = doc.get(key, true) as { comment?: string | null; commentBefore?: string | null } | undefined;
    const fresh = node(doc, value) as { comment?: string | null; commentBefore?: string | null };
    if (old && typeof old === 'object') {
      if (old.comment) fresh.comment = old.comment;
      if (old.commentBefore) fresh.commentBefore = old.commentBefore;
    }
    doc.set(key, fresh);
  }
  return `---\n${doc.toString(TO_STRING)}---\n${split.body}`;
}
