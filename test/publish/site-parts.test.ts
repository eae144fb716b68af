/**
 * The pure parts of the site: escaping, redaction, markdown, charts, times with offsets and
 * service states. The whole site is tested in test/e2e/publish*.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { parseSeverityMatrix } from '../../src/domain/severity.js';
import { groupedBars, lines, niceScale, stackedBars } from '../../src/publish/charts.js';
import { DEFAULT_REDACTION, parsePublishConfig } from '../../src/publish/config.js';
import { isoWithOffset, nameUuid } from '../../src/publish/feeds.js';
import { esc } from '../../src/publish/html.js';
import { renderMarkdown } from '../../src/publish/markdown.js';
import { incidentUpdates } from '../../src/publish/model.js';
import { isPublic, makeRedactor, withoutComments, withoutSections } from '../../src/publish/redact.js';

const matrix = parseSeverityMatrix(
  { severities: { SEV1: { description: 'a', service_status: 'down' }, SEV2: { description: 'b', service_status: 'partial' }, SEV3: { description: 'c' } } },
  'incident-severity.yaml',
);

function incident(fields: Partial<Incident>): Incident {
  return { id: 'x', title: 't', severity: 'SEV1', status: 'investigating', drill: false, services: [], commander: null, communications: null, smes: [], milestones: {}, tags: [], extra: {}, ...fields };
}

describe('esc', () => {
  it('leaves no markup character and no control character in any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const out = esc(text);
        expect(out).not.toMatch(/[<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('the matrix key service_status', () => {
  it('is read, and refused with its line when it is not a state', () => {
    expect(matrix.levels.map((l) => l.serviceStatus)).toEqual(['down', 'partial', undefined]);
    // A bad value stops only what reads it (the status site), with its line.
    const bad = parseSeverityMatrix({ severities: { SEV1: { description: 'a', service_status: 'broken' } } }, 'm.yaml', () => 7);
    const message = 'm.yaml:7: service_status of SEV1 must be one of down, partial, degraded, operational, found "broken"';
    expect(bad.problems.map((p) => p.message)).toEqual([message]);
    expect(() => bad.levels[0]!.serviceStatus).toThrow(message);
  });
});

describe('redaction', () => {
  const redactor = makeRedactor(['Alice Martin', 'Bo'], ['ENG-4521'], { ...DEFAULT_REDACTION, terms: ['db-7.internal'], ticketPrefixes: ['OPS-'] });

  it('redacts names (whole, and by parts of three letters or more), tickets, prefixes and terms, and leaves other words alone', () => {
    expect(redactor.text('Alice Martin paged Martin; Alice acked. Bob and Bo looked (ENG-4521, OPS-17, ops-18) at db-7.internal.')).toBe(
      '[redacted] paged [redacted]; [redacted] acked. Bob and [redacted] looked ([redacted], [redacted], [redacted]) at [redacted].',
    );
    expect(redactor.text('Alerting on Alicexyz')).toBe('Alerting on Alicexyz');
  });

  it('takes linear time on a long hostile text', () => {
    const many = makeRedactor(Array.from({ length: 300 }, (_, i) => `Person${i} Name${i}`), [], DEFAULT_REDACTION);
    const text = 'Person1'.repeat(20_000) + 'a'.repeat(100_000);
    const out = many.text(text);
    expect(out.length).toBeGreaterThan(100_000);
  });

  it('drops listed sections with what is under them, and comments, but not headings in code', () => {
    const md = '# T\n\n## Summary\n\nok\n\n## Internal notes\n\nsecret\n\n### detail\n\nsecret too\n\n```\n## Internal notes\n```\n\n## Lessons\n\nkept <!-- hidden -->';
    const out = withoutComments(withoutSections(md, ['internal notes']));
    expect(out).not.toContain('secret');
    expect(out).toContain('## Lessons\n\nkept ');
    expect(out).not.toContain('hidden');
    expect(withoutSections('```\n## Internal notes\nkeep\n```', ['Internal notes'])).toContain('keep');
  });

  it('makes an incident public by its flag or the config rule, never a drill', () => {
    const rule = { severities: ['1'], services: [] };
    expect(isPublic(incident({ severity: 'SEV1' }), rule, matrix)).toBe(true);
    expect(isPublic(incident({ severity: 'SEV2' }), rule, matrix)).toBe(false);
    expect(isPublic(incident({ severity: 'SEV2', extra: { public: true } }), rule, matrix)).toBe(true);
    expect(isPublic(incident({ severity: 'SEV1', extra: { public: false } }), rule, matrix)).toBe(false);
    expect(isPublic(incident({ severity: 'SEV1', drill: true, extra: { public: true } }), rule, matrix)).toBe(false);
    expect(isPublic(incident({ severity: 'SEV1' }), { severities: [], services: [] }, matrix)).toBe(false);
    expect(isPublic(incident({ severity: 'SEV2', services: ['api'] }), { severities: [], services: ['api'] }, matrix)).toBe(true);
  });
});

describe('markdown', () => {
  const options = { headingShift: 1, dropColumns: [], repositoryBase: null };

  it('escapes raw HTML, refuses script links, keeps GFM tables and task lists', () => {
    const html = renderMarkdown('<b>x</b> [a](javascript:alert(1)) ![i](https://x.invalid/p.png)\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n', options);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('<img');
    expect(html).toContain('<table>');
    expect(html).toMatch(/<li class="task"><input type="checkbox" disabled checked aria-label="done"> done<\/li>/);
  });

  it('drops listed columns and points relative links at the repository or unlinks them', () => {
    const table = '| Action | Owner | Ticket |\n|---|---|---|\n| fix | Bob | ENG-1 |\n\n[runbook](../../runbooks/api.md) [web](https://example.com/)';
    const html = renderMarkdown(table, { ...options, dropColumns: ['owner', 'Ticket'] });
    expect(html).not.toMatch(/Owner|Bob|Ticket|ENG-1/);
    expect(html).toContain('<td>fix</td>');
    expect(html).toContain('runbook');
    expect(html).not.toContain('runbooks/api.md');
    expect(html).toContain('href="https://example.com/"');
    const linked = renderMarkdown(table, { ...options, repositoryBase: 'https://github.com/o/ops/blob/main/incidents/x/' });
    expect(linked).toContain('href="https://github.com/o/ops/blob/main/runbooks/api.md"');
  });

  it('moves headings down one level', () => {
    expect(renderMarkdown('## Impact', options)).toBe('<h3>Impact</h3>\n');
  });
});

describe('charts', () => {
  it('picks round axis tops', () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(55)).toEqual({ top: 60, step: 20 });
    expect(niceScale(1234)).toEqual({ top: 1500, step: 500 });
  });

  it('draws one mark per non-zero value, and nothing for a month without data', () => {
    const spec = { id: 'c', title: 'T', description: 'D', categories: ['2026-01', '2026-02', '2026-03'], unit: 'n' };
    const count = (svg: string) => svg.match(/class="mark /g)?.length ?? 0;
    expect(count(stackedBars({ ...spec, series: [{ name: 'a', className: 'x', values: [1, 0, 2] }, { name: 'b', className: 'y', values: [0, 0, 3] }] }))).toBe(3);
    expect(count(groupedBars({ ...spec, series: [{ name: 'a', className: 'x', values: [1, 0, 2] }, { name: 'b', className: 'y', values: [4, 0, 0] }] }))).toBe(3);
    const line = lines({ ...spec, series: [{ name: 'median', className: 'x', values: [10, null, 20], intervals: [{ low: 5, high: 15 }, null, null] }] });
    expect(count(line)).toBe(2);
    expect(line).toContain('class="interval x"');
    // The gap breaks the line: two separate moves.
    expect(line.match(/<path[^>]*d="([^"]*)"/)![1]!.match(/M/g)).toHaveLength(2);
    expect(stackedBars({ ...spec, title: '<T>', series: [] })).toContain('<title id="c-title">&lt;T&gt;</title>');
  });
});

describe('feeds', () => {
  it('writes times with the zone offset of that instant', () => {
    const at = Date.parse('2026-03-15T14:05:00.250Z');
    expect(isoWithOffset(at, 'UTC')).toBe('2026-03-15T14:05:00.250+00:00');
    expect(isoWithOffset(at, 'America/New_York')).toBe('2026-03-15T10:05:00.250-04:00');
    expect(isoWithOffset(Date.parse('2026-01-15T14:05:00Z'), 'America/New_York')).toBe('2026-01-15T09:05:00.000-05:00');
    expect(isoWithOffset(Date.parse('2026-01-15T14:05:00Z'), 'Asia/Kolkata')).toBe('2026-01-15T19:35:00.000+05:30');
  });

  it('gives the same name the same UUID, and names different UUIDs', () => {
    expect(nameUuid('incident:a')).toBe(nameUuid('incident:a'));
    expect(nameUuid('incident:a')).not.toBe(nameUuid('incident:b'));
    expect(nameUuid('incident:a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('turns stakeholder updates and milestones into Statuspage updates', () => {
    const m = { detected: 1000, identified: 2000, mitigated: 3000 };
    const updates = incidentUpdates(incident({ milestones: m, status: 'mitigated' }), [
      { at: 1500, text: 'Status update sent (investigating): We are looking', author: 'A', kind: 'update' },
      { at: 3500, text: 'Customers told', author: 'A', kind: 'update' },
      { at: 1600, text: 'a note', author: 'A', kind: 'note' },
    ]);
    expect(updates).toEqual([
      { at: 1500, status: 'investigating', text: 'We are looking' },
      { at: 2000, status: 'identified', text: 'The cause has been identified.' },
      { at: 3000, status: 'monitoring', text: 'The impact has been mitigated; we are monitoring the results.' },
      { at: 3500, status: 'monitoring', text: 'Customers told' },
    ]);
  });
});

describe('publish config', () => {
  const lineOf = (path: (string | number)[]) => path.length + 1;
  it('reads the section and says which key is wrong', () => {
    const config = parsePublishConfig({ title: 'S', url: 'https://s.example.com', maintenance: [{ title: 'DB upgrade', services: ['db'], starts_at: '2026-12-01T22:00:00Z', ends_at: '2026-12-01T23:00:00Z' }] }, lineOf, 'c.yaml');
    expect(config.url).toBe('https://s.example.com/');
    expect(config.maintenance[0]).toMatchObject({ title: 'DB upgrade', services: ['db'], startsAt: Date.parse('2026-12-01T22:00:00Z') });
    expect(() => parsePublishConfig({ maintenance: [{ title: 'x', starts_at: '2026-12-01T22:00:00Z', ends_at: '2026-12-01T21:00:00Z' }] }, lineOf, 'c.yaml')).toThrow(
      'c.yaml:5: publish.maintenance.0.ends_at: must be after starts_at',
    );
    expect(() => parsePublishConfig({ redact: { ticket_prefixes: ['(a+)+'] } }, lineOf, 'c.yaml')).toThrow('is not a ticket key prefix');
    expect(() => parsePublishConfig('yes', lineOf, 'c.yaml')).toThrow('c.yaml:2: publish.: must be a mapping');
  });
});
