/**
 * postmortem.md: front matter (incident, status, authors, reviewers, due date, root-cause
 * tags) and the sections of a blameless postmortem. The action-items table is edited by
 * hand, so it is read leniently: columns found by their header, cells missing or extra,
 * status words in any case and spacing. The scaffold `inc postmortem` writes is rendered
 * here from a template; the YAML of its front matter is rendered by the caller, so that
 * reading a summary (inc show, inc list) never loads the YAML library.
 */
import { readActionList } from './action-list.js';
import type { FrontMatter } from './frontmatter.js';
import { BLOCK_NAMES, impactWindow, incidentDates, type PostmortemFacts, renderBlockWithMarkers } from './postmortem-blocks.js';
import type { SeverityLevel } from './severity.js';
import { addBusinessDays, dateInZone, zoneLabel } from './time.js';
import { decodeCell, splitRow } from './timeline.js';
import { isDelimiterRow } from './text.js';

export const POSTMORTEM_STATUSES = ['draft', 'in-review', 'published'] as const;

export const ACTION_STATUSES = ['todo', 'in progress', 'done', "won't do"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_COLUMNS = ['action', 'owner', 'priority', 'due', 'ticket', 'status'] as const;
export type ActionColumn = (typeof ACTION_COLUMNS)[number];

export interface ActionItem {
  action: string;
  owner: string;
  priority: string;
  /** As written; `dueDate` is the parsed YYYY-MM-DD or null. */
  due: string;
  dueDate: string | null;
  ticket: string;
  /** Normalised status, or null when the word is not one inc knows. */
  status: ActionStatus | null;
  statusText: string;
  /** 1-based line in the file. */
  line: number;
}

/** Reads a status word leniently: "In Progress", "in-progress", "WIP", "Done ✅", "wont do". */
export function normaliseActionStatus(text: string): ActionStatus | null {
  const word = text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (word === '') return 'todo';
  if (/^(todo|to do|open|not started|new|planned|backlog|pending)$/.test(word)) return 'todo';
  if (/^(in progress|inprogress|wip|doing|started|ongoing|in review)$/.test(word)) return 'in progress';
  if (/^(done|complete|completed|closed|fixed|resolved|finished|shipped)$/.test(word)) return 'done';
  if (/^(won't do|wont do|will not do|won't fix|wont fix|wontfix|cancelled|canceled|dropped|rejected|obsolete|n a)$/.test(word)) return "won't do";
  return null;
}

/** 2026-03-22 or 2026-03-22T...: a date, nothing vaguer. */
const LEADING_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

/** A due cell as `YYYY-MM-DD`, or null when it is not a date or not a real day. */
export function parseDueDate(text: string): string | null {
  const m = LEADING_DATE.exec(text.trim());
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]) ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** The `YYYY-MM-DD` a text starts with, as written: unlike parseDueDate, 2026-02-30 is not refused. */
export function leadingDate(text: string): string | null {
  const m = LEADING_DATE.exec(text.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

export interface Section {
  title: string;
  /** 2 for `##`, 3 for `###`. */
  level: number;
  /** 1-based line of the heading in the file. */
  line: number;
  /** Lines of the section body (without the heading), up to the next `##`/`###` heading. */
  lines: string[];
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const BACKQUOTE = 96;
const TILDE = 126;
const SPACE = 32;

/**
 * Follows fenced code blocks through a markdown text fed line by line, in order: the function
 * it returns tells whether a line is code (a fence, or inside a fenced block), where a `#` is
 * no heading and prose rules do not apply. A block ends at a fence of its own kind, as long.
 */
export function codeFenceTracker(): (line: string) => boolean {
  let fence: string | undefined;
  return (line) => {
    const marker = couldStartFence(line.charCodeAt(0)) ? fenceMarker(line) : undefined;
    if (!marker) return fence !== undefined;
    if (fence === undefined) fence = marker;
    else if (marker.startsWith(fence)) fence = undefined;
    return true;
  };
}

/**
 * Most lines are no fence: the regex runs only where one could match, a line that starts with
 * a backquote, a tilde or (up to three) white space.
 */
function couldStartFence(first: number): boolean {
  return first === BACKQUOTE || first === TILDE || first <= SPACE || first >= 128;
}

/** The run of backquotes or tildes a fence line opens with, or undefined for a line that is no fence. */
function fenceMarker(line: string): string | undefined {
  return line.includes('```') || line.includes('~~~') ? FENCE.exec(line)?.[1] : undefined;
}

/**
 * A `##` or `###` heading's level and title, without a closing run of `#` (`## Impact ##`).
 * A loop rather than `/^(#{2,3})\s+(.+?)\s*#*\s*$/`, which backtracks cubically on a
 * heading padded with spaces (`## x`, 3,000 spaces, `y` took a minute).
 */
const LINE_BREAK = /[\r\n\u2028\u2029]/;

function readHeading(line: string): { level: number; title: string } | undefined {
  let level = 0;
  while (line[level] === '#') level += 1;
  if (level < 2 || level > 3 || !/\s/.test(line[level] ?? '')) return undefined;
  const rest = line.slice(level);
  const text = rest.trim();
  if (text === '') {
    // All blank: the title is the last blank that is no line break, after at least one blank.
    for (let i = rest.length - 1; i >= 1; i -= 1) if (!LINE_BREAK.test(rest[i]!)) return { level, title: rest[i]! };
    return undefined;
  }
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  // A title is at least one character, even `#` (`## #`), and holds no line break.
  const title = end === 0 ? text.slice(0, 1) : text.slice(0, end).trimEnd();
  if (LINE_BREAK.test(title)) return undefined;
  return { level, title };
}

/** Splits a markdown body into `##`/`###` sections; a `#` inside a fenced code block is not a heading. */
export function splitSections(body: string, bodyStartLine: number): Section[] {
  return withLines(body, findSections(body, bodyStartLine));
}

/** A `##`/`###` section as findSections finds it: where its body lies in the text, its lines not cut out yet. */
export interface SectionSpan {
  title: string;
  /** 2 for `##`, 3 for `###`. */
  level: number;
  /** 1-based line of the heading in the file. */
  line: number;
  /** The body, the lines after the heading up to the next heading: text.slice(from, to); none when from > to. */
  from: number;
  to: number;
}

const HASH = 35;

/**
 * The sections of splitSections, without cutting the text into lines: each line is looked at
 * from its first character, and only a line that could be a fence or a heading is cut out
 * (list, stats and check read the sections of every postmortem, and most callers need the
 * lines of one section, or none).
 */
export function findSections(body: string, bodyStartLine: number): SectionSpan[] {
  const spans: SectionSpan[] = [];
  let fence: string | undefined;
  for (let start = 0, index = 0; start <= body.length; index += 1) {
    const newline = body.indexOf('\n', start);
    const end = newline === -1 ? body.length : newline;
    const first = body.charCodeAt(start);
    // The same steps as codeFenceTracker, then a heading where the line is no code.
    const marker = start < end && couldStartFence(first) ? fenceMarker(body.slice(start, end)) : undefined;
    if (marker) {
      if (fence === undefined) fence = marker;
      else if (marker.startsWith(fence)) fence = undefined;
    } else if (fence === undefined && first === HASH && body.charCodeAt(start + 1) === HASH) {
      const heading = readHeading(body.slice(start, end));
      if (heading) {
        const previous = spans[spans.length - 1];
        if (previous) previous.to = start - 1;
        spans.push({ title: heading.title, level: heading.level, line: bodyStartLine + index, from: end + 1, to: body.length });
      }
    }
    start = end + 1;
  }
  return spans;
}

/** Found sections with their lines cut out. */
function withLines(body: string, spans: SectionSpan[]): Section[] {
  return spans.map((span) => ({ level: span.level, title: span.title, line: span.line, lines: sectionLines(body, span) }));
}

/** The lines of a section's body, as splitSections gives them. */
export function sectionLines(body: string, span: SectionSpan): string[] {
  return span.from > span.to ? [] : body.slice(span.from, span.to).split('\n');
}

/** A section's own lines and those of its sub-sections (`###` under `##`), with their file lines. */
export function sectionContent(sections: Section[], index: number): { line: number; text: string }[] {
  const section = sections[index]!;
  const content = section.lines.map((text, i) => ({ line: section.line + 1 + i, text }));
  for (let next = index + 1; next < sections.length && sections[next]!.level > section.level; next += 1) {
    const sub = sections[next]!;
    content.push({ line: sub.line, text: `${'#'.repeat(sub.level)} ${sub.title}` });
    content.push(...sub.lines.map((text, i) => ({ line: sub.line + 1 + i, text })));
  }
  return content;
}

/**
 * The lines sectionContent gives for a found section (its own, then each sub-section's heading
 * and lines), handed to `visit` in order until it returns true, without a list of them made.
 */
export function visitSectionContent(body: string, spans: SectionSpan[], index: number, visit: (line: number, text: string) => boolean): void {
  const visitLines = (span: SectionSpan): boolean => {
    if (span.from > span.to) return false;
    for (let start = span.from, line = span.line + 1; ; line += 1) {
      const newline = body.indexOf('\n', start);
      const end = newline === -1 || newline > span.to ? span.to : newline;
      if (visit(line, body.slice(start, end))) return true;
      if (end === span.to) return false;
      start = end + 1;
    }
  };
  const section = spans[index]!;
  if (visitLines(section)) return;
  for (let next = index + 1; next < spans.length && spans[next]!.level > section.level; next += 1) {
    const sub = spans[next]!;
    if (visit(sub.line, `${'#'.repeat(sub.level)} ${sub.title}`) || visitLines(sub)) return;
  }
}

function columnOf(header: string): ActionColumn | undefined {
  const name = header.toLowerCase().replace(/[^a-z ]/g, '').trim();
  if (/^(action|action item|item|what|task|description)s?$/.test(name)) return 'action';
  if (/^(owner|owners|assignee|who)$/.test(name)) return 'owner';
  if (/^(priority|prio|p)$/.test(name)) return 'priority';
  if (/^(due|due date|deadline|by|due by)$/.test(name)) return 'due';
  if (/^(ticket|tickets|issue|link|jira|tracking)$/.test(name)) return 'ticket';
  if (/^(status|state)$/.test(name)) return 'status';
  return undefined;
}

/** A table's `|---|---|` row (a linear check: see domain/text.ts). */
const isSeparator = (line: string) => line.includes('-') && isDelimiterRow(line, 1);

export const ACTION_ITEMS_HEADING = /^action items?\b/i;

export interface ActionTable {
  items: ActionItem[];
  /** Line of the "Action items" heading, or null when there is none. */
  sectionLine: number | null;
  /** Line of the table's header row, or null when the section has no table. */
  headerLine: number | null;
  /** Columns inc needs that the header lacks. */
  missingColumns: ActionColumn[];
  /** False when the header is not followed by a `|---|` row: GitHub shows no table then. */
  hasSeparator: boolean;
  /** Lines that look like rows but come after the table ended (a blank line ends a markdown table). */
  strayRows: number[];
  /** How the items are written: the scaffold's table, a (task) list, or not at all. */
  form: 'table' | 'list' | null;
}

/**
 * Reads the first table under an "Action items" heading as GitHub does: it ends at the first
 * line that is not a row. Columns are found by their header, so their order is free; a row
 * with missing cells reads them as empty, extra cells are ignored.
 */
export function readActionTable(body: string, bodyStartLine: number): ActionTable {
  const table: ActionTable = { items: [], sectionLine: null, headerLine: null, missingColumns: [], hasSeparator: false, strayRows: [], form: null };
  // A comment (the template's guidance) is not part of the table, whatever it holds.
  const text = blankComments(body);
  // Only this section's lines are cut out of the text (and, for a list, its sub-sections').
  const spans = findSections(text, bodyStartLine);
  const sectionIndex = spans.findIndex((s) => ACTION_ITEMS_HEADING.test(s.title));
  const section = spans[sectionIndex];
  if (!section) return table;
  table.sectionLine = section.line;
  const lines = sectionLines(text, section);
  let columns: (ActionColumn | undefined)[] | undefined;
  let ended = false;
  // GitHub reads `a | b` as a row too, without the outer pipes.
  const rowLike = (line: string) => line.startsWith('|') || (line.includes('|') && splitRow(line).length >= 2);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const fileLine = section.line + 1 + index;
    const separator = isSeparator(line);
    if (!columns && !line.startsWith('|')) {
      // A header without outer pipes counts only when a |---| row follows it.
      const next = (lines[index + 1] ?? '').trim();
      if (!(rowLike(line) && next.includes('|') && isSeparator(next))) return;
    } else if (!rowLike(line) && !separator) {
      if (columns) ended = true;
      return;
    }
    if (ended) {
      if (!separator) table.strayRows.push(fileLine);
      return;
    }
    if (separator) {
      if (columns && table.items.length === 0) table.hasSeparator = true;
      return;
    }
    const cells = splitRow(line).map(decodeCell);
    if (!columns) {
      columns = cells.map(columnOf);
      table.headerLine = fileLine;
      table.missingColumns = ACTION_COLUMNS.filter((c) => !columns!.includes(c));
      return;
    }
    const get = (column: ActionColumn) => {
      const at = columns!.indexOf(column);
      return at === -1 ? '' : (cells[at] ?? '').trim();
    };
    if (cells.every((c) => c.trim() === '')) return;
    const statusText = get('status');
    table.items.push({
      action: get('action'),
      owner: get('owner'),
      priority: get('priority'),
      due: get('due'),
      dueDate: parseDueDate(get('due')),
      ticket: get('ticket'),
      status: normaliseActionStatus(statusText),
      statusText,
      line: fileLine,
    });
  });
  if (table.headerLine !== null) {
    table.form = 'table';
  } else {
    // No table: the items are the section's (task) list items, sub-headings included.
    const listed = readActionList(sectionContent(withLines(text, spans), sectionIndex), codeFenceTracker());
    table.items = listed.map((item) => ({ ...item, dueDate: item.due === '' ? null : parseDueDate(item.due) }));
    if (listed.length > 0) table.form = 'list';
  }
  return table;
}

/** The action items of a postmortem body: the rows of the first table under an "Action items" heading, else its list items. */
export function parseActionItems(body: string, bodyStartLine: number): ActionItem[] {
  return readActionTable(body, bodyStartLine).items;
}

/** Open: still to be done (todo, in progress, or a status word inc does not know). */
export function isOpen(item: ActionItem): boolean {
  return item.status !== 'done' && item.status !== "won't do";
}

/** Overdue: a due date before today (in the configured zone) and still open. */
export function isOverdue(item: ActionItem, today: string): boolean {
  return item.dueDate !== null && item.dueDate < today && isOpen(item);
}

/** The status of a postmortem as written, normalised: "In Review" and "in_review" are `in-review`. */
export function postmortemStatus(fm: FrontMatter): string {
  const raw = fm.data.status;
  if (typeof raw !== 'string' || raw.trim() === '') return 'draft';
  return raw.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

export function summarisePostmortem(fm: FrontMatter): { status: string; action_items: { total: number; done: number } } {
  const items = parseActionItems(fm.body, fm.bodyStartLine);
  return {
    status: postmortemStatus(fm),
    action_items: { total: items.length, done: items.filter((i) => i.status === 'done').length },
  };
}

// ---------------------------------------------------------------------------------------
// Sections a postmortem must have, and the prompts of the template

export interface RequiredSection {
  name: string;
  pattern: RegExp;
  /** Prose a reviewer writes; empty or prompt-only means unfinished. */
  prose: boolean;
}

export const REQUIRED_SECTIONS: RequiredSection[] = [
  { name: 'Summary', pattern: /^summary$/i, prose: true },
  { name: 'Impact', pattern: /^impact$/i, prose: true },
  { name: 'Root cause', pattern: /^root causes?( analysis)?$/i, prose: true },
  { name: 'Timeline', pattern: /^timeline$/i, prose: false },
  { name: 'What went well', pattern: /^what went (well|right)$/i, prose: true },
  { name: 'What went poorly', pattern: /^what (went poorly|went wrong|went badly|could have gone better|didn't go well)$/i, prose: true },
  { name: 'Action items', pattern: ACTION_ITEMS_HEADING, prose: false },
  { name: 'Lessons learned', pattern: /^lessons( learned| learnt)?$/i, prose: true },
];

/** Replaces HTML comments with blank lines, keeping line numbers. */
export function blankComments(text: string): string {
  if (!text.includes('<!--')) return text; // most postmortems hold none once written
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => comment.replace(/[^\n]/g, ''));
}

/**
 * The prompt lines of a postmortem template: the text under its prose sections. A section of
 * a postmortem that still holds one of them has not been written yet.
 */
export function templatePrompts(template: string): Set<string> {
  const prompts = new Set<string>();
  const sections = splitSections(blankComments(template), 1);
  for (const required of REQUIRED_SECTIONS.filter((r) => r.prose)) {
    const index = sections.findIndex((s) => required.pattern.test(s.title.trim()));
    if (index === -1) continue;
    for (const { text } of sectionContent(sections, index)) {
      const line = text.trim();
      if (line !== '' && !line.includes('{{') && !/^#/.test(line)) prompts.add(line);
    }
  }
  return prompts;
}

// ---------------------------------------------------------------------------------------
// The scaffold

/** Due date of a postmortem: business days after the resolution date (in the zone), per the matrix. */
export function postmortemDueDate(resolvedAt: number | undefined, now: number, zone: string, level: SeverityLevel | undefined): string | null {
  if (!level || level.postmortemDueBusinessDays === null) return null;
  return addBusinessDays(dateInZone(resolvedAt ?? now, zone), level.postmortemDueBusinessDays);
}

/** Kept here too for the modules that import them from postmortem.js. */
export { markdownCell, renderMetricsTable, renderTimelineTable } from './postmortem-blocks.js';

export interface ScaffoldInput extends PostmortemFacts {
  level: SeverityLevel | undefined;
  zone: string;
  authors: string[];
}

/**
 * The values of the `{{placeholders}}` of templates/postmortem.md. A placeholder named after a
 * generated block (metadata, impact, timeline, metrics) is that block with its markers, on
 * lines of its own; the single values (id, date, severity, ...) serve a team's own template.
 */
export function postmortemTemplateValues(input: ScaffoldInput): Record<string, string> {
  const { incident, zone } = input;
  const { date, duration } = incidentDates(input, zone);
  const blocks = Object.fromEntries(BLOCK_NAMES.map((name) => [name, renderBlockWithMarkers(name, input, zone)]));
  return {
    title: incident.title,
    id: incident.id,
    date,
    duration,
    impact_window: impactWindow(input, zone),
    severity: input.level ? `${incident.severity} (${input.level.description})` : incident.severity,
    services: incident.services.length > 0 ? incident.services.join(', ') : 'not recorded',
    commander: incident.commander ?? 'not recorded',
    authors: input.authors.length > 0 ? input.authors.join(', ') : 'not recorded',
    zone: zoneLabel(zone),
    ...blocks,
  };
}

/** Front matter of a new postmortem, in the order people read it. */
export function postmortemFrontMatter(incidentId: string, authors: string[], dueDate: string | null): Record<string, unknown> {
  return {
    incident: incidentId,
    status: 'draft',
    authors,
    reviewers: [],
    due_date: dueDate,
    root_causes: [],
  };
}
