/** Action items as real postmortems write them: task lists and plain lists, and `?` for what is unknown. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPostmortem } from '../../src/domain/check.js';
import { parseActionItems } from '../../src/domain/postmortem.js';
import { ROOT } from '../helpers/repo.js';

const ID = '2018-02-23-nginx-crash';
const FILES = { id: ID, folder: `incidents/${ID}` };

describe('action items written as lists', () => {
  it('GitHub task lists: the box is the status, @owner, P1, "due" and an issue reference are read from the words', () => {
    const body = [
      '## Action items',
      '',
      '- [x] Raise the per-repo limit @minrk P1 due 2018-02-21 #428',
      '- [ ] Alert on launch success below 90% (owner: Tim Head, P2, by 2018-03-01)',
      '  with a page to the on-call',
      '- [ ] Document the culler',
      '- ~~Move off NGINX~~',
      '',
      'Prose after the list is not an item.',
    ].join('\n');
    expect(parseActionItems(body, 10)).toEqual([
      { action: 'Raise the per-repo limit @minrk P1 due 2018-02-21 #428', owner: 'minrk', priority: 'P1', due: '2018-02-21', dueDate: '2018-02-21', ticket: '#428', status: 'done', statusText: '[x]', line: 12 },
      {
        action: 'Alert on launch success below 90% (owner: Tim Head, P2, by 2018-03-01) with a page to the on-call',
        owner: 'Tim Head',
        priority: 'P2',
        due: '2018-03-01',
        dueDate: '2018-03-01',
        ticket: '',
        status: 'todo',
        statusText: '[ ]',
        line: 13,
      },
      { action: 'Document the culler', owner: '', priority: '', due: '', dueDate: null, ticket: '', status: 'todo', statusText: '[ ]', line: 15 },
      { action: '~~Move off NGINX~~', owner: '', priority: '', due: '', dueDate: null, ticket: '', status: "won't do", statusText: '~~struck through~~', line: 16 },
    ]);
  });

  it('a real report: numbered lists under sub-headings, "(DONE)" and a linked issue', () => {
    const report = readFileSync(join(ROOT, 'test/fixtures/import/mybinder/2018-02-22-nginx-down.md'), 'utf8');
    const items = parseActionItems(report, 1);
    expect(items.map((i) => [i.line, i.status, i.ticket])).toEqual([
      [51, 'done', ''],
      [55, 'todo', 'https://github.com/jupyterhub/zero-to-jupyterhub-k8s/issues/528'],
    ]);
    expect(items[0]!.action).toBe('Make sure that everybody gets emailed when the site goes down (DONE)');
  });

  it('a table still wins: list items beside a table are not read twice', () => {
    const body = '## Action items\n\n| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| Canary | Bob | P1 | 2026-04-01 | ENG-1 | todo |\n\n- [ ] stray\n';
    expect(parseActionItems(body, 1).map((i) => i.action)).toEqual(['Canary']);
  });
});

describe('inc check on list items and unknown (?) cells', () => {
  const postmortem = (frontMatter: string[], actions: string[]) =>
    ['---', `incident: ${ID}`, 'status: published', 'authors: [Tim]', 'reviewers: [Chris]', ...frontMatter, '---', '', '## Action items', '', ...actions, ''].join('\n');
  const check = (text: string) =>
    checkPostmortem(text, FILES, { prompts: new Set(), today: '2026-03-18' })
      .findings.filter((f) => f.rule === 'action-item')
      .map((f) => `${f.line}: ${f.level}: ${f.message}`);

  it('written today, a list item needs an owner, a priority and a due date like a table row', () => {
    expect(check(postmortem([], ['- [ ] Add an alert @tim P1 due 2026-04-01', '- [ ] Document the culler']))).toEqual([
      '11: error: action item without owner, priority, due: "Document the culler"',
    ]);
  });

  it('an imported postmortem: unknown owners and dates are one warning, ? included; not errors, not overdue', () => {
    const table = ['| Action | Owner | Priority | Due | Ticket | Status |', '|---|---|---|---|---|---|', '| Add an alert | ? | ? | ? | #12 | todo |', '| Canary | Bob | P2 | 2018-03-01 | #13 | done |'];
    expect(check(postmortem(['imported: report'], table))).toEqual([
      '13: warning: 1 action item of this imported postmortem without a known owner, priority or due date (lines 13); fill them in when known',
    ]);
    expect(check(postmortem(['imported: report'], ['1. Make sure everybody gets emailed (DONE)', '2. Find a path away from NGINX']))).toEqual([
      '11: warning: 2 action items of this imported postmortem without a known owner, priority or due date (lines 11, 12); fill them in when known',
    ]);
    // Not imported, ? is no answer: an error, as a blank cell is.
    expect(check(postmortem([], table))).toEqual(['12: error: action item without owner, priority, due: "Add an alert"']);
  });

  it('no table and no list: one warning that names both forms', () => {
    expect(check(postmortem([], ['We will do better.']))).toEqual([
      '8: warning: no action items: neither a table (| Action | Owner | Priority | Due | Ticket | Status |) nor a list (- [ ] ...)',
    ]);
  });
});

// Every pattern of a list item starts at a fixed character ("](", "http", "#", "@", "owner",
// "due"/"by") and reads a bounded way from there; lines of 64 KiB built against each are read.
describe('list items on hostile lines', () => {
  it('reads 64 KiB lines of brackets, links, owners and dates', () => {
    const n = 65_536;
    for (const line of ['['.repeat(n), '](http://'.repeat(n / 9), `owner${' '.repeat(n)}x`, 'due '.repeat(n / 4), '@'.repeat(n), 'AB-'.repeat(n / 3)]) {
      const items = parseActionItems(`## Action items\n\n- ${line}\n  ${line}\n`, 1);
      expect(items).toHaveLength(1);
      expect(items[0]!.action).toBe(`${line} ${line.trim()}`.trim());
    }
  });
});
