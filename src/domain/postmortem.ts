/**
 * postmortem.md: front matter (incident, status, authors, reviewers, due date, root-cause
 * tags) and the sections of a blameless postmortem. The action-items table is edited by
 * hand, so it is read leniently: columns found by their header, cells missing or extra,
 * status words in any case and spacing.
 */
import type { FrontMatter } from './frontmatter.js';
import { decodeCell, splitRow } from './timeline.js';

export const POSTMORTEM_STATUSES = ['draft', 'in-review', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

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

/** A due cell as `YYYY-MM-DD`, or null: accepts 2026-03-22 and 2026-03-22T..., nothing vaguer. */
export function parseDueDate(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text.trim());
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]) ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

export interface Section {
  title: string;
  /** 1-based line of the heading in the file. */
  line: number;
  /** Lines of the section body (without the heading). */
  lines: string[];
}

/** Splits a markdown body into `##`/`###` sections. */
export function splitSections(body: string, bodyStartLine: number): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  body.split('\n').forEach((line, index) => {
    const heading = /^#{2,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      current = { title: heading[1]!, line: bodyStartLine + index, lines: [] };
      sections.push(current);
    } else if (current) {
      current.lines.push(line);
    }
  });
  return sections;
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

const SEPARATOR = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** The action items of a postmortem body: the first table under an "Action items" heading. */
export function parseActionItems(body: string, bodyStartLine: number): ActionItem[] {
  const section = splitSections(body, bodyStartLine).find((s) => /^action items?\b/i.test(s.title));
  if (!section) return [];
  const items: ActionItem[] = [];
  let columns: (ActionColumn | undefined)[] | undefined;
  section.lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line.startsWith('|')) return;
    if (SEPARATOR.test(line)) return;
    const cells = splitRow(line).map(decodeCell);
    if (!columns) {
      columns = cells.map(columnOf);
      return;
    }
    const get = (column: ActionColumn) => {
      const at = columns!.indexOf(column);
      return at === -1 ? '' : (cells[at] ?? '').trim();
    };
    const action = get('action');
    if (action === '' && cells.every((c) => c.trim() === '')) return;
    const statusText = get('status');
    items.push({
      action,
      owner: get('owner'),
      priority: get('priority'),
      due: get('due'),
      dueDate: parseDueDate(get('due')),
      ticket: get('ticket'),
      status: normaliseActionStatus(statusText),
      statusText,
      line: section.line + 1 + index,
    });
  });
  return items;
}

/** Overdue: a due date before today (in the configured zone) and not done or dropped. */
export function isOverdue(item: ActionItem, today: string): boolean {
  return item.dueDate !== null && item.dueDate < today && item.status !== 'done' && item.status !== "won't do";
}

export function postmortemStatus(fm: FrontMatter): string {
  const raw = fm.data.status;
  if (typeof raw !== 'string' || raw.trim() === '') return 'draft';
  const word = raw.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return word;
}

export function summarisePostmortem(fm: FrontMatter): { status: string; action_items: { total: number; done: number } } {
  const items = parseActionItems(fm.body, fm.bodyStartLine);
  return {
    status: postmortemStatus(fm),
    action_items: { total: items.length, done: items.filter((i) => i.status === 'done').length },
  };
}
