/**
 * Action items written as lists, as real postmortems write them: GitHub task lists
 * (`- [ ] add an alert`, `- [x] raise the limit`) and plain or numbered lists under the
 * "Action items" heading and its sub-headings ("### Process improvements"). The table stays
 * the scaffold's form; a list is read when the section has no table.
 *
 * What a list item says about itself is read from its words, each by a linear scan: a box
 * ticked or "(done)" is done, a struck-through item is won't do, `@name` or "owner: name" is
 * the owner, P0-P4 the priority, "due YYYY-MM-DD" or "by YYYY-MM-DD" the due date, an issue
 * reference or link the ticket. What it does not say stays empty: unknown, never invented.
 */
/** A list item as read; postmortem.ts turns it into an ActionItem (with the parsed due date). */
export interface ListedAction {
  action: string;
  owner: string;
  priority: string;
  due: string;
  ticket: string;
  status: 'todo' | 'done' | "won't do";
  statusText: string;
  line: number;
}

const ITEM = /^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const TASK_BOX = /^\[([ xX])\][ \t]+/;
const OWNER = /(?:^|[\s(,;])@([A-Za-z0-9][\w.-]{0,38})|\bowner:?[ \t]+([^,;()]{1,40})/i;
const PRIORITY = /\b(P[0-4])\b/;
const DUE = /\b(?:due|by)(?: on)?:?[ \t]+(\d{4}-\d{2}-\d{2})\b/i;
/** A link's target (`](https://...)`), a bare URL, `#123` or a tracker key such as ENG-42; each alternative starts at a fixed character. */
const TICKET = /\]\((https?:\/\/[^)\s]{1,500})\)|(https?:\/\/[^\s)]{1,500})|(?:^|\s)(#\d{1,9})\b|\b([A-Z][A-Z0-9]{1,9}-\d{1,9})\b/;
const DONE_WORDS = /\((?:done|fixed|completed?)\)|\[(?:done|fixed)\]|\bDONE\b|✅/i;

function statusOf(text: string, box: string | undefined): Pick<ListedAction, 'status' | 'statusText'> {
  if (box === 'x' || box === 'X') return { status: 'done', statusText: '[x]' };
  const trimmed = text.trim();
  if (trimmed.length > 4 && trimmed.startsWith('~~') && trimmed.endsWith('~~')) return { status: "won't do", statusText: '~~struck through~~' };
  if (DONE_WORDS.test(text)) return { status: 'done', statusText: DONE_WORDS.exec(text)![0] };
  return { status: 'todo', statusText: box === ' ' ? '[ ]' : '' };
}

function itemOf(text: string, box: string | undefined, line: number): ListedAction {
  const owner = OWNER.exec(text);
  const due = DUE.exec(text)?.[1] ?? '';
  const ticket = TICKET.exec(text);
  return {
    action: text.trim(),
    owner: (owner?.[1] ?? owner?.[2] ?? '').trim(),
    priority: PRIORITY.exec(text)?.[1] ?? '',
    due,
    ticket: ticket ? (ticket[1] ?? ticket[2] ?? ticket[3] ?? ticket[4] ?? '') : '',
    ...statusOf(text, box),
    line,
  };
}

/**
 * The list items of an Action items section, given its lines (sub-sections included, as
 * sectionContent gives them, comments blanked). A line indented under an item continues it;
 * a heading, a blank line or prose ends it. Lines inside fenced code are not read.
 */
export function readActionList(content: { line: number; text: string }[], isCode: (line: string) => boolean): ListedAction[] {
  const items: { text: string; box: string | undefined; line: number }[] = [];
  let current: (typeof items)[number] | undefined;
  for (const { line, text } of content) {
    if (isCode(text)) {
      current = undefined;
      continue;
    }
    const item = ITEM.exec(text);
    if (item) {
      const body = item[2]!;
      const box = TASK_BOX.exec(body);
      current = { text: box ? body.slice(box[0].length) : body, box: box?.[1], line };
      if (current.text.trim() !== '') items.push(current);
      else current = undefined;
      continue;
    }
    if (current && /^[ \t]{2,}\S/.test(text)) {
      // A nested line or bullet: part of the item above.
      current.text = `${current.text} ${text.trim().replace(/^(?:[-*+]|\d{1,9}[.)])[ \t]+/, '')}`;
      continue;
    }
    current = undefined;
  }
  return items.map(({ text, box, line }) => itemOf(text, box, line));
}
