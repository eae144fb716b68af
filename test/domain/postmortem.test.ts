import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blamingPhrases } from '../../src/domain/blame.js';
import { parseFrontMatter } from '../../src/domain/frontmatter.js';
import type { Incident } from '../../src/domain/incident.js';
import { computeMetrics } from '../../src/domain/metrics.js';
import {
  isOpen,
  isOverdue,
  markdownCell,
  normaliseActionStatus,
  parseActionItems,
  parseDueDate,
  postmortemDueDate,
  postmortemFrontMatter,
  postmortemStatus,
  postmortemTemplateValues,
  readActionTable,
  renderTimelineTable,
  sectionContent,
  splitSections,
  summarisePostmortem,
  templatePrompts,
} from '../../src/domain/postmortem.js';
import type { SeverityLevel } from '../../src/domain/severity.js';
import { renderTemplate } from '../../src/domain/template.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { ROOT } from '../helpers/repo.js';
import { at, PAYMENT_INCIDENT } from '../helpers/worked-example.js';

const TEMPLATE = readFileSync(join(ROOT, 'templates', 'postmortem.md'), 'utf8');

const SEV1: SeverityLevel = {
  name: 'SEV1',
  description: 'Full outage',
  examples: [],
  updateEveryMinutes: 15,
  escalateAfterMinutes: 30,
  postmortemRequired: true,
  postmortemDueBusinessDays: 5,
};

const INCIDENT = PAYMENT_INCIDENT;

const ENTRIES: TimelineEntry[] = [
  { at: at('14:05'), text: 'HighErrorRate alert fires', author: 'Alice', kind: 'alert' },
  { at: at('14:14'), text: 'Rollback: `kubectl rollout undo` | watch pods', author: 'Alice', kind: null },
];

function render(incident = INCIDENT, entries = ENTRIES): string {
  const values = postmortemTemplateValues({ incident, entries, metrics: computeMetrics(incident.milestones), level: SEV1, zone: 'UTC', authors: ['Alice'] });
  return renderTemplate(TEMPLATE, values);
}

describe('the postmortem template', () => {
  it('renders every placeholder from the incident: metadata, impact window, timeline and figures', () => {
    const body = render();
    expect(body).not.toContain('{{');
    expect(body).toContain('# Postmortem: Payment processing outage');
    expect(body).toContain('- **Date**: 2026-03-15');
    // The metadata block holds what the incident files say: the level's description is the matrix's.
    expect(body).toContain('- **Severity**: SEV1\n');
    expect(body).toContain('- **Incident commander**: Alice');
    expect(body).toContain('- **Authors**: Alice');
    expect(body).toContain('- **Impact window**: 2026-03-15 14:02 – 14:22 UTC (20m)');
    expect(body).toContain('- **Duration**: 58m, from the start of impact to resolution');
    expect(body).toContain('| 14:05 | HighErrorRate alert fires | Alice |');
    expect(body).toContain('| 14:14 | Rollback: `kubectl rollout undo` \\| watch pods | Alice |');
    expect(body).toMatch(/\| TTD, time to detect \| 3m \|/);
    expect(body).toMatch(/\| TTA, time to acknowledge \| 1m \|/);
    expect(body).toMatch(/\| TTM, time to mitigate \| 17m \|/);
    expect(body).toMatch(/\| TTR, time to resolve \| 55m \|/);
    expect(body).toMatch(/\| Impact, how long users were affected \| 20m \|/);
    expect(body).toContain('| Action | Owner | Priority | Due | Ticket | Status |');
    for (const section of ['Summary', 'Impact', 'Root cause', 'Timeline', 'What went well', 'What went poorly', 'Action items', 'Lessons learned']) {
      expect(body).toContain(`\n## ${section}\n`);
    }
  });

  it('says what is unknown instead of inventing it', () => {
    const open: Incident = { ...INCIDENT, commander: null, services: [], milestones: { detected: at('14:05') } };
    const body = render(open, []);
    expect(body).toContain('- **Incident commander**: not recorded');
    expect(body).toContain('- **Duration**: not known yet (the incident is not resolved)');
    expect(body).toContain('- **Impact window**: not known (set the start with `inc milestone started --at <time>`)');
    const mitigated = render({ ...open, milestones: { detected: at('14:05'), mitigated: at('14:22') } }, []);
    expect(mitigated).toContain('- **Impact window**: start not recorded – 2026-03-15 14:22 UTC (set the start');
    expect(body).toMatch(/\| TTD, time to detect \| not known \(needs started_at and detected_at\)/);
    expect(body).toContain('(the timeline is empty)');
  });

  it('has a prompt under each prose section, and nothing in the template reads as blame', () => {
    const prompts = templatePrompts(TEMPLATE);
    expect(prompts.size).toBe(6);
    for (const prompt of prompts) expect(prompt).toMatch(/^_.+_$/);
    for (const line of TEMPLATE.split('\n')) expect(blamingPhrases(line)).toEqual([]);
  });

  it('front matter: incident, draft status, authors, reviewers, due date, root-cause tags', () => {
    expect(postmortemFrontMatter('2026-03-15-x', ['Alice'], '2026-03-20')).toEqual({
      incident: '2026-03-15-x',
      status: 'draft',
      authors: ['Alice'],
      reviewers: [],
      due_date: '2026-03-20',
      root_causes: [],
    });
  });

  it('is due five business days after the resolution date, in the configured zone', () => {
    // Resolved Friday 2026-03-13 23:30 UTC: in Los Angeles that is still Friday; in Tokyo, Saturday.
    const resolved = Date.parse('2026-03-13T23:30:00Z');
    expect(postmortemDueDate(resolved, 0, 'UTC', SEV1)).toBe('2026-03-20');
    expect(postmortemDueDate(resolved, 0, 'Asia/Tokyo', SEV1)).toBe('2026-03-20');
    expect(postmortemDueDate(Date.parse('2026-03-12T12:00:00Z'), 0, 'UTC', SEV1)).toBe('2026-03-19');
    expect(postmortemDueDate(undefined, Date.parse('2026-03-16T10:00:00Z'), 'UTC', SEV1)).toBe('2026-03-23');
    expect(postmortemDueDate(resolved, 0, 'UTC', { ...SEV1, postmortemDueBusinessDays: null })).toBeNull();
    expect(postmortemDueDate(resolved, 0, 'UTC', undefined)).toBeNull();
  });
});

describe('action-item priorities', () => {
  // P1 next to SEV1 reads as a severity: priorities are words, in the template and the worked example.
  it('are high, medium or low, never P1 to P3', () => {
    expect(TEMPLATE).toContain('a priority (high, medium or low');
    expect(TEMPLATE).not.toMatch(/\bP[1-4]\b/);
    const example = readFileSync(join(ROOT, 'incidents/2026-03-15-payment-processing-outage/postmortem.md'), 'utf8');
    const priorities = parseActionItems(example, 1).map((item) => item.priority);
    expect(priorities).toEqual(['high', 'high', 'medium', 'medium', 'medium', 'low']);
  });
});

describe('markdown cells and the timeline table', () => {
  it('escapes pipes and backslashes and keeps a multi-line text on one row', () => {
    expect(markdownCell(' a | b ')).toBe('a \\| b');
    expect(markdownCell('C:\\temp')).toBe('C:\\\\temp');
    expect(markdownCell('line one\nline two')).toBe('line one<br>line two');
  });

  it('shows dates only when the timeline spans several days', () => {
    const oneDay = renderTimelineTable(ENTRIES, 'UTC');
    expect(oneDay).toContain('| 14:05 |');
    const twoDays = renderTimelineTable([...ENTRIES, { at: at('09:00', '2026-03-16'), text: 'Fix released', author: 'Bob', kind: null }], 'UTC');
    expect(twoDays).toContain('| 2026-03-15 14:05 |');
    expect(twoDays).toContain('| 2026-03-16 09:00 | Fix released | Bob |');
    expect(renderTimelineTable(ENTRIES, 'America/New_York')).toContain('| Time (America/New_York) |');
  });
});

describe('parseActionItems: hand-edited tables', () => {
  const body = (table: string) => `\n## Action items\n\n${table}\n`;

  it('reads a clean table with line numbers', () => {
    const items = parseActionItems(
      body('| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| Add tests | Bob | P1 | 2026-03-22 | ENG-1 | Done |'),
      10,
    );
    expect(items).toEqual([
      { action: 'Add tests', owner: 'Bob', priority: 'P1', due: '2026-03-22', dueDate: '2026-03-22', ticket: 'ENG-1', status: 'done', statusText: 'Done', line: 15 },
    ]);
  });

  it('tolerates messy spacing, alignment colons and missing outer pipes', () => {
    const items = parseActionItems(
      body('Action|Owner |  Priority|Due|Ticket|Status\n:---|:---:|---:|---|---|---\n   Add tests   |   Bob|P1 |2026-03-22|ENG-1|   in  Progress  '),
      1,
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ action: 'Add tests', owner: 'Bob', priority: 'P1', dueDate: '2026-03-22', ticket: 'ENG-1', status: 'in progress' });
  });

  it('reads missing cells as empty and ignores extra columns, in any column order', () => {
    const items = parseActionItems(
      body('| Status | Notes | Action | Owner | Priority | Due | Ticket | Extra |\n|---|---|---|---|---|---|---|---|\n| TODO | see chat | Canary stage | Dave | P2 | 2026-04-01 | ENG-9 | x | y |\n| done | | Status page |'),
      1,
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ action: 'Canary stage', owner: 'Dave', priority: 'P2', due: '2026-04-01', ticket: 'ENG-9', status: 'todo' });
    expect(items[1]).toMatchObject({ action: 'Status page', owner: '', priority: '', due: '', dueDate: null, ticket: '', status: 'done' });
  });

  it('keeps an escaped pipe inside a cell', () => {
    const items = parseActionItems(body('| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| Alert on 5xx \\| timeouts | Carol | P1 | 2026-03-22 | ENG-2 | todo |'), 1);
    expect(items[0]).toMatchObject({ action: 'Alert on 5xx | timeouts', owner: 'Carol' });
  });

  it('skips empty rows, reads only the first table, and reports rows cut off by a blank line', () => {
    const table = readActionTable(
      body('| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n|  |  |  |  |  |  |\n| One | Bob | P1 | 2026-03-22 | ENG-1 | todo |\n\n| Two | Bob | P1 | 2026-03-22 | ENG-2 | todo |'),
      1,
    );
    expect(table.items.map((i) => i.action)).toEqual(['One']);
    expect(table.strayRows).toEqual([9]);
    expect(table.hasSeparator).toBe(true);
  });

  it('notices a missing column and a missing |---| row', () => {
    const table = readActionTable(body('| Action | Owner | Status |\n| Add tests | Bob | todo |'), 1);
    expect(table.missingColumns).toEqual(['priority', 'due', 'ticket']);
    expect(table.hasSeparator).toBe(false);
    expect(table.headerLine).toBe(4);
  });

  it('does not read a | line inside an HTML comment as the table (the template has one)', () => {
    const items = parseActionItems(
      body('<!--\n  Write \\| for a\n  | inside a cell.\n-->\n\n| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| Add tests | Bob | P1 | 2026-03-22 | ENG-1 | done |'),
      1,
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ action: 'Add tests', status: 'done', line: 11 });
  });

  it('finds nothing without an Action items heading, and ignores tables elsewhere', () => {
    expect(parseActionItems('\n## Timeline\n\n| Action | Owner |\n|---|---|\n| x | y |\n', 1)).toEqual([]);
  });
});

describe('status words, due dates, overdue', () => {
  it.each([
    ['todo', 'todo'],
    ['TODO', 'todo'],
    ['To Do', 'todo'],
    ['', 'todo'],
    ['In Progress', 'in progress'],
    ['in-progress', 'in progress'],
    ['  in   progress ', 'in progress'],
    ['WIP', 'in progress'],
    ['Done', 'done'],
    ['done ✅', 'done'],
    ['Completed', 'done'],
    ["Won't do", "won't do"],
    ['wont do', "won't do"],
    ['WON’T DO', "won't do"],
    ['cancelled', "won't do"],
    ['maybe later', null],
  ])('%j reads as %j', (word, status) => {
    expect(normaliseActionStatus(word)).toBe(status);
  });

  it('reads due dates strictly', () => {
    expect(parseDueDate('2026-03-22')).toBe('2026-03-22');
    expect(parseDueDate(' 2026-03-22T12:00:00Z ')).toBe('2026-03-22');
    expect(parseDueDate('2026-02-30')).toBeNull();
    expect(parseDueDate('next week')).toBeNull();
    expect(parseDueDate('22/03/2026')).toBeNull();
  });

  it('overdue means past due and neither done nor dropped', () => {
    const item = parseActionItems('## Action items\n| Action | Owner | Priority | Due | Ticket | Status |\n|-|-|-|-|-|-|\n| a | b | P1 | 2026-03-20 | T | todo |', 1)[0]!;
    expect(isOverdue(item, '2026-03-21')).toBe(true);
    expect(isOverdue(item, '2026-03-20')).toBe(false);
    expect(isOverdue({ ...item, status: 'in progress' }, '2026-04-01')).toBe(true);
    expect(isOverdue({ ...item, status: 'done' }, '2026-04-01')).toBe(false);
    expect(isOverdue({ ...item, status: "won't do" }, '2026-04-01')).toBe(false);
    expect(isOverdue({ ...item, dueDate: null }, '2026-04-01')).toBe(false);
    expect(isOpen(item)).toBe(true);
    expect(isOpen({ ...item, status: 'done' })).toBe(false);
  });
});

describe('sections and summary', () => {
  it('does not take a # inside a fenced code block for a heading; sub-sections belong to their section', () => {
    const body = '## Root cause\n\n```\n## not a heading\n```\n\n### Details\n\nText.\n\n## Lessons learned\n';
    const sections = splitSections(body, 1);
    expect(sections.map((s) => s.title)).toEqual(['Root cause', 'Details', 'Lessons learned']);
    const content = sectionContent(sections, 0).map((c) => c.text);
    expect(content).toContain('## not a heading');
    expect(content).toContain('Text.');
    expect(content).not.toContain('## Lessons learned');
  });

  it('summarises status and action items for inc show', () => {
    const text = '---\nincident: x\nstatus: In Review\n---\n\n## Action items\n\n| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| a | b | P1 | 2026-01-01 | T | done |\n| c | d | P2 | 2026-01-01 | T | todo |\n';
    const fm = parseFrontMatter(text, 'postmortem.md')!;
    expect(postmortemStatus(fm)).toBe('in-review');
    expect(summarisePostmortem(fm)).toEqual({ status: 'in-review', action_items: { total: 2, done: 1 } });
  });
});

describe('blamingPhrases', () => {
  it.each([
    'This was human error.',
    'The operator should have known better.',
    "It was Bob's fault.",
    'A careless deploy.',
    'Negligence in review.',
    'Someone dropped the ball.',
    'We blame the release process.',
  ])('flags %j', (line) => {
    expect(blamingPhrases(line).length).toBeGreaterThan(0);
  });

  it.each([
    'This review is blameless.',
    'The test suite did not cover the empty case.',
    'Nothing in the editor pointed at the missing check.',
    'The default should have been safe (`human error` is quoted here as code).',
    'A fault in the load balancer.',
  ])('leaves %j alone', (line) => {
    expect(blamingPhrases(line)).toEqual([]);
  });
});
