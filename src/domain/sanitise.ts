/**
 * The one sanitiser for text that came from a file (or git) and goes to a terminal, a message,
 * an annotation or a report. Files from a pull request are hostile: an ESC, CSI or OSC
 * sequence rewrites what a terminal shows, a lone carriage return overwrites a line (and the
 * GitHub Actions runner splits lines at CR, so it starts a workflow command), a bidirectional
 * override reorders what a reviewer reads. Each is shown visibly and never emitted: `\x1b`,
 * `\r`, `U+202E`. Tab stays; a line feed stays where the output has lines (multiLine).
 *
 * Outputs that escape on their own still pass through here: JSON (jsonText), HTML and
 * markdown (escapeHtml), annotations (io/annotations.ts).
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function shown(character: string): string {
  const code = character.charCodeAt(0);
  if (character === '\r') return '\\r';
  if (character === '\n') return '\\n';
  if (code >= 0x202a) return `U+${code.toString(16).toUpperCase()}`;
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * `text` with every control character, C1 character, DEL and bidirectional override or
 * isolate shown as `\x1b`, `\r`, `U+202E`. Line feeds stay only with `multiLine`.
 */
export function visible(text: string, { multiLine = false } = {}): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => (multiLine && c === '\n' ? c : shown(c)));
}

// A lone half of a surrogate pair: no character, and strict JSON parsers reject it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Valid JSON as JSON.stringify leaves them, but raw on a terminal: DEL, C1, bidi controls.
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text that strict parsers accept and a terminal cannot misread: lone surrogates become
 * U+FFFD (their count is returned, for a warning), DEL, C1 and bidirectional controls are
 * written as \u escapes (JSON.stringify escapes the C0 controls itself).
 */
export function jsonText(data: unknown, indent = 2): { text: string; replaced: number } {
  // JSON.stringify writes a lone surrogate as a \ud8xx..\udfff escape: where none shows, no
  // value held one, and the text is the same as the replacer below would give. Without a
  // replacer function, stringify takes its fast path (the replacer was a third of a cold
  // `inc list --all --json`); the rare text that may hold one is made again the careful way.
  const fast = JSON.stringify(data, null, indent) as string | undefined;
  if (fast !== undefined && !ESCAPED_SURROGATE.test(fast)) return { text: fast.replace(RAW_IN_JSON, rawEscape), replaced: 0 };
  let replaced = 0;
  const text = JSON.stringify(
    data,
    (_key, value: unknown) => {
      if (typeof value !== 'string') return value;
      return value.replace(LONE_SURROGATE, () => {
        replaced += 1;
        return '\ufffd';
      });
    },
    indent,
  );
  return { text: (text ?? 'null').replace(RAW_IN_JSON, rawEscape), replaced };
}

/** How JSON.stringify writes a lone surrogate (also matches an escaped backslash before `ud8..`: then the careful way runs, to the same text). */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

function rawEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `&`, `<`, `>`, `"` and `'` as entities: raw HTML from a file is shown as text, never rendered. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Text for a stream the GitHub Actions runner reads for workflow commands (stdout and stderr
 * of a step): each line escaped as an annotation's message is (`%`, CR), and a line that would
 * start with `::` after its leading spaces gets its first colon escaped, so no line of ours
 * is ever read as a command.
 */
export function forWorkflowLog(text: string, { percent = true } = {}): string {
  return text
    .split('\n')
    .map((line) => {
      const escaped = percent ? line.replace(/%/g, '%25').replace(/\r/g, '%0D') : line.replace(/\r/g, '\\r');
      const start = escaped.length - escaped.trimStart().length;
      return escaped.startsWith('::', start) ? `${escaped.slice(0, start)}%3A${escaped.slice(start + 1)}` : escaped;
    })
    .join('\n');
}

/**
 * A copy of plain data (objects, arrays) with every string, keys included, passed through
 * visible(): what a human-readable renderer receives, so that none of its fields is missed.
 */
export function visibleDeep<T>(value: T, options: { multiLine?: boolean } = {}): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return visible(v, options);
    if (v === null || typeof v !== 'object' || depth > 50) return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) copy[visible(key)] = walk(item, depth + 1);
    return copy;
  };
  return walk(value, 0) as T;
}
