import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { actionsSummary, checkSummary, inlineText, mermaidText, mermaidTimeline } from '../../src/ci/summary.js';
import type { Incident } from '../../src/domain/incident.js';
import { hasCmark } from '../helpers/tools.js';

const T = (hhmm: string) => Date.parse(`2026-03-15T${hhmm}:00Z`);


const incident: Incident = {
  id: '2026-03-15-checkout-errors',
  title: 'Checkout <b>errors</b> | *all* [regions](http://x)',
  severity: 'SEV2',
  status: 'mitigated',
  drill: false,
  services: ['checkout'],
  commander: 'Alice',
  communications: null,
  smes: [],
  milestones: { detected: T('14:05') },
  tags: [],
  extra: {},
};

describe('job summaries', () => {
  it('escape what a pull request wrote: no markup, no link, no HTML outside or inside tables', () => {
    expect(inlineText('Checkout <b>errors</b> | *all* [x](y)\n## fake')).toBe(
      'Checkout &#60;b&#62;errors&#60;/b&#62; &#124; &#42;all&#42; &#91;x&#93;&#40;y&#41; &#35;&#35; fake',
    );
    const summary = checkSummary({
      files: 2,
      findings: [{ file: 'incidents/a/incident.md', line: 3, level: 'error', rule: 'unknown-severity', message: 'severity "<script>" | x' }],
      incidents: [{ incident, entries: [], metrics: { ttd: null, tta: 1, ttm: 15, ttr: null, impact: 90.5 } }],
      unreadable: [],
      zone: 'UTC',
    });
    expect(summary).not.toMatch(/<(b|script)>/);
    expect(summary).toContain('| 3 | error | Severity not in the matrix | severity "&#60;script&#62;" \\| x |');
    expect(summary).toContain('| - | 1m | 15m | - | 1h 31m |');
  });

  it.skipIf(!hasCmark)('cmark-gfm renders the findings and the metrics as tables, with the title as plain text', () => {
    const summary = checkSummary({
      files: 1,
      findings: [{ file: 'incidents/a/incident.md', line: 3, level: 'warning', rule: 'milestones', message: 'a | b' }],
      incidents: [{ incident, entries: [{ at: T('14:05'), text: 'Declared', author: 'A', kind: null }], metrics: { ttd: null, tta: null, ttm: null, ttr: null, impact: null } }],
      unreadable: [],
      zone: 'UTC',
    });
    const html = execFileSync('cmark-gfm', ['-e', 'table'], { input: summary, encoding: 'utf8' });
    expect(html.match(/<table>/g)).toHaveLength(2);
    expect(html).toContain('<td>a | b</td>');
    expect(html).not.toContain('<a href');
    expect(html).not.toContain('<em>');
    expect(html).toContain('<pre><code class="language-mermaid">timeline');
  });

  it('Mermaid labels keep nothing its timeline grammar reads as syntax', () => {
    expect(mermaidText('Rollback: step one; see #ops: done')).toBe('Rollback - step one see ops - done');
    expect(mermaidText('a:b stays, "quotes" and <tags> go')).toBe('a:b stays, quotes and tags go');
    expect(mermaidText('x'.repeat(100))).toHaveLength(80);
    const diagram = mermaidTimeline('Outage: EU', [{ at: T('14:05'), text: 'Declared: SEV2', author: 'A', kind: null }, { at: Date.parse('2026-03-16T01:00:00Z'), text: 'next day', author: 'A', kind: null }], 'UTC');
    expect(diagram).toBe('```mermaid\ntimeline\n    title Outage - EU, UTC\n    2026-03-15 14∶05 : Declared - SEV2\n    2026-03-16 01∶00 : next day\n```');
    for (const line of diagram.split('\n').slice(3, -1)) expect(line).toMatch(/^ {4}[^:#\n]+ : [^#\n]*$/);
  });

  it('lists action items with their due dates, or says there are none', () => {
    expect(actionsSummary([], 'Overdue action items', '2026-03-15', 'UTC')).toBe('## Overdue action items\n\nNone (today is 2026-03-15 UTC).\n');
    expect(actionsSummary([{ incident: 'i', action: 'Fix | it', owner: null, due: '2026-03-01', ticket: null, status: 'todo', overdue: true }], 'Overdue action items', '2026-03-15', 'UTC')).toBe(
      '## Overdue action items\n\n**1 action item**, 1 overdue (today is 2026-03-15 UTC).\n\n| Incident | Action | Owner | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| i | Fix \\| it | - | 2026-03-01 (overdue) | - | todo |\n',
    );
  });
});
