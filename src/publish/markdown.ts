/**
 * Postmortems and incident summaries as HTML, with markdown-it (CommonMark plus GFM tables
 * and strikethrough; task lists added here). Raw HTML from a file is shown as text, never
 * passed through: `html: false`. Links: markdown-it already refuses javascript:, vbscript:,
 * file: and data: (but images); a relative link points into the repository, which the site
 * does not hold, so it goes to `repositoryUrl` where the config gives one and is shown as
 * plain text otherwise. Images from outside are not loaded (a status page must not call
 * out), so an image shows as its description.
 */
import { createHash } from 'node:crypto';
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it';

export interface MarkdownOptions {
  /** Headings move down this many levels (the page has its own h1). */
  headingShift: number;
  /** Table columns (header text, case aside) to leave out: owners, tickets on a public site. */
  dropColumns: string[];
  /** Base URL of the incident's folder in the repository, or null. */
  repositoryBase: string | null;
}

/** HTML rendered before, by a key of its source and options (the command keeps it between runs). */
export interface RenderCache {
  get(key: string): string | undefined;
  set(key: string, html: string): void;
}

let shared: MarkdownIt | undefined;

function parser(): MarkdownIt {
  shared ??= markdownIt('commonmark', { html: false, linkify: false, typographer: false }).enable(['table', 'strikethrough']);
  return shared;
}

const ABSOLUTE = /^(https?:|mailto:)/i;

export function renderMarkdown(source: string, options: MarkdownOptions, cache?: RenderCache): string {
  if (!cache) return render(source, options);
  const key = createHash('sha256').update(JSON.stringify([options.headingShift, options.dropColumns, options.repositoryBase, source])).digest('base64url');
  const known = cache.get(key);
  if (known !== undefined) return known;
  const html = render(source, options);
  cache.set(key, html);
  return html;
}

function render(source: string, options: MarkdownOptions): string {
  const md = parser();
  const tokens = md.parse(source, {});
  shiftHeadings(tokens, options.headingShift);
  taskLists(tokens);
  const kept = options.dropColumns.length > 0 ? dropColumns(tokens, new Set(options.dropColumns.map((c) => c.toLowerCase()))) : tokens;
  rewriteLinks(kept, options.repositoryBase);
  return md.renderer.render(kept, md.options, {});
}

function shiftHeadings(tokens: Token[], shift: number): void {
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + shift)}`;
    }
  }
}

/** GitHub's task lists: a list item starting with `[ ]` or `[x]` gets a (read-only) checkbox. */
function taskLists(tokens: Token[]): void {
  for (let i = 2; i < tokens.length; i += 1) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || tokens[i - 2]!.type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    const match = first?.type === 'text' ? /^\[([ xX])\]\s+/.exec(first.content) : null;
    if (!first || !match) continue;
    const done = match[1] !== ' ';
    first.content = first.content.slice(match[0].length);
    const box = new (first.constructor as new (type: string, tag: string, nesting: number) => Token)('html_inline', '', 0);
    box.content = `<input type="checkbox" disabled${done ? ' checked' : ''} aria-label="${done ? 'done' : 'not done'}"> `;
    inline.children!.unshift(box);
    tokens[i - 2]!.attrJoin('class', 'task');
  }
}

/** Removes the columns whose header is listed, from every table. */
function dropColumns(tokens: Token[], dropped: Set<string>): Token[] {
  const out: Token[] = [];
  let drop: Set<number> | null = null;
  let column = -1;
  let skipping = false;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.type === 'table_open') {
      drop = headerColumns(tokens, i, dropped);
    } else if (token.type === 'table_close') {
      drop = null;
    } else if (drop && token.type === 'tr_open') {
      column = -1;
    } else if (drop && (token.type === 'th_open' || token.type === 'td_open')) {
      column += 1;
      skipping = drop.has(column);
    }
    if (!skipping) out.push(token);
    if (drop && (token.type === 'th_close' || token.type === 'td_close')) skipping = false;
  }
  return out;
}

function headerColumns(tokens: Token[], start: number, dropped: Set<string>): Set<number> {
  const columns = new Set<number>();
  let column = -1;
  for (let i = start + 1; i < tokens.length && tokens[i]!.type !== 'thead_close' && tokens[i]!.type !== 'table_close'; i += 1) {
    if (tokens[i]!.type === 'th_open') {
      column += 1;
      if (dropped.has((tokens[i + 1]?.content ?? '').trim().toLowerCase())) columns.add(column);
    }
  }
  return columns;
}

function rewriteLinks(tokens: Token[], repositoryBase: string | null): void {
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.children) rewriteLinks(token.children, repositoryBase);
    if (token.type === 'image') {
      // The description stays, as text: no request leaves the page.
      token.content = token.children?.map((c: Token) => c.content).join('') || String(token.attrGet('alt') ?? '');
      token.type = 'text';
      token.children = null;
      continue;
    }
    if (token.type !== 'link_open') continue;
    const href = String(token.attrGet('href') ?? '');
    if (ABSOLUTE.test(href) || href.startsWith('#')) continue;
    if (repositoryBase !== null && !href.startsWith('/') && !href.startsWith('//') && !href.startsWith('\\')) {
      token.attrSet('href', new URL(href, repositoryBase).href);
      continue;
    }
    // No address to give: the link's text stays, without the link.
    const close = tokens.findIndex((t, j) => j > i && t.type === 'link_close' && t.level === token.level);
    for (const index of [i, close]) {
      if (index === -1) continue;
      tokens[index]!.type = 'text';
      tokens[index]!.content = '';
    }
  }
}
