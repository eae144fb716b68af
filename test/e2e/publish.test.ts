/**
 * inc publish in-process on a repository of the worked example, a generated history and a
 * hostile incident: the files it writes, read by real readers (an XML DOM parser with the
 * Atom rules, a JSON Schema validator with the Statuspage fields widgets read), the public
 * edition (no internal string in any output file), and the folder rules.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';
import { HOSTILE_ID, HOSTILE_TITLE, makeSiteRepo, type SiteRepo, WORKED_EXAMPLE } from '../helpers/site.js';

const ATOM = 'http://www.w3.org/2005/Atom';
/** RFC 3339 date-time, as Atom and Statuspage write them. */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

let repo: SiteRepo;

function siteFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (name.endsWith('.html') || name.endsWith('.json') || name.endsWith('.xml') || name.endsWith('.css') || name.endsWith('.js')) {
      files.set(name.split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

beforeAll(() => {
  repo = makeSiteRepo();
});

afterAll(() => {
  repo.cleanup();
});

describe('the internal edition', () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    const result = await repo.inc(['publish']);
    expect(result.code, result.err).toBe(0);
    expect(result.out.trim()).toBe(join(repo.dir, '_site'));
    expect(result.err).toMatch(/^Published 26 incidents \(internal edition\); open .*index\.html in a browser\.$/m);
    files = siteFiles(join(repo.dir, '_site'));
  });

  it('writes a page per incident and the site pages, feeds and API files', () => {
    for (const id of repo.ids) expect(files.has(`incidents/${id}.html`), id).toBe(true);
    for (const name of ['index.html', 'history.html', 'reports.html', 'feed.xml', 'api/v2/summary.json', 'api/v2/incidents.json', 'api/v2/status.json', 'api/v2/components.json']) {
      expect(files.has(name), name).toBe(true);
    }
  });

  it('escapes every text from the files: no markup, script or javascript: link reaches a page', () => {
    const page = files.get(`incidents/${HOSTILE_ID}.html`)!;
    expect(page).toContain('Checkout &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page).toContain('&lt;img src=&quot;x&quot; onerror=');
    expect(page).toContain('Incident declared &lt;b&gt;bold&lt;/b&gt;');
    for (const [name, text] of files) {
      if (!name.endsWith('.html')) continue;
      expect(text, name).not.toMatch(/<(script|img|iframe|style|b|em)\b(?![^>]*src="\.\.\/assets\/|[^>]*src="assets\/)/i);
      expect(text, name).not.toMatch(/href="(javascript|vbscript):/i);
      expect(text, name).not.toContain('tracker.invalid');
    }
    // The task list is GitHub's: checkboxes, read-only.
    expect(page).toMatch(/<input type="checkbox" disabled checked aria-label="done"> rolled back/);
    expect(page).toMatch(/<input type="checkbox" disabled aria-label="not done"> post the fix/);
    // And in the feed and the JSON, the title is text.
    expect(files.get('feed.xml')).toContain('Checkout &lt;script&gt;');
    const incidents = JSON.parse(files.get('api/v2/incidents.json')!) as { incidents: { name: string }[] };
    expect(incidents.incidents.map((i) => i.name)).toContain(HOSTILE_TITLE);
  });

  it('renders the postmortem with GFM tables: the action items of the worked example as a table', () => {
    const page = files.get(`incidents/${WORKED_EXAMPLE}.html`)!;
    expect(page).toMatch(/<th>Action<\/th>\s*<th>Owner<\/th>\s*<th>Priority<\/th>\s*<th>Due<\/th>\s*<th>Ticket<\/th>\s*<th>Status<\/th>/);
    expect(page).toContain('<td>ENG-4521</td>');
    expect(page).toContain('Authors: Alice · Reviewers: Bob, Carol · Action items done: 3 of 6');
  });

  it('writes an Atom feed that an XML parser reads, with the elements RFC 4287 requires', () => {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(files.get('feed.xml')!, 'application/xml');
    expect(errors).toEqual([]);
    const feed = doc.documentElement!;
    expect(feed.localName).toBe('feed');
    expect(feed.namespaceURI).toBe(ATOM);
    const children = (parent: Element, name: string) => Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ATOM);
    const one = (parent: Element, name: string) => {
      const found = children(parent, name);
      expect(found, `${parent.localName} needs exactly one ${name}`).toHaveLength(1);
      return found[0]!;
    };
    const iri = /^(urn:uuid:[0-9a-f-]{36}|https?:\/\/\S+)$/;
    expect(one(feed, 'id').textContent).toMatch(iri);
    expect(one(feed, 'title').textContent).toBe('Status: incidents');
    expect(one(feed, 'updated').textContent).toMatch(RFC3339);
    expect(children(feed, 'author').length).toBeGreaterThan(0);
    expect(children(feed, 'link').some((l) => l.getAttribute('rel') === 'alternate')).toBe(true);
    const entries = children(feed, 'entry');
    expect(entries).toHaveLength(26);
    const ids = new Set<string>();
    for (const entry of entries) {
      const id = one(entry, 'id').textContent!;
      expect(id).toMatch(iri);
      ids.add(id);
      expect(one(entry, 'title').textContent!.length).toBeGreaterThan(0);
      expect(one(entry, 'updated').textContent).toMatch(RFC3339);
      const alternate = children(entry, 'link').filter((l) => l.getAttribute('rel') === 'alternate');
      expect(alternate).toHaveLength(1);
      const href = alternate[0]!.getAttribute('href')!;
      expect(files.has(decodeURIComponent(href)), href).toBe(true);
      expect(one(entry, 'content').getAttribute('type')).toBe('html');
    }
    expect(ids.size).toBe(entries.length);
    // Newest change first, and the worked example's updates in its entry, newest first.
    const worked = entries.find((e) => one(e, 'link').getAttribute('href') === `incidents/${WORKED_EXAMPLE}.html`)!;
    const content = one(worked, 'content').textContent!;
    expect(content.indexOf('Resolved')).toBeLessThan(content.indexOf('Investigating'));
  });

  it('writes Statuspage v2 JSON with the fields status widgets read', async () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const time = { type: 'string', pattern: RFC3339.source };
    const nullableTime = { anyOf: [time, { type: 'null' }] };
    const page = { type: 'object', required: ['id', 'name', 'url', 'time_zone', 'updated_at'], properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, time_zone: { type: 'string' }, updated_at: time } };
    const component = {
      type: 'object',
      required: ['id', 'name', 'status', 'position', 'created_at', 'updated_at', 'group', 'only_show_if_degraded'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, status: { enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] }, position: { type: 'integer' }, created_at: time, updated_at: time, group: { type: 'boolean' }, only_show_if_degraded: { type: 'boolean' } },
    };
    const update = {
      type: 'object',
      required: ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at'],
      properties: { id: { type: 'string' }, status: { enum: ['investigating', 'identified', 'monitoring', 'resolved'] }, body: { type: 'string' }, incident_id: { type: 'string' }, created_at: time, updated_at: time, display_at: time },
    };
    const incident = {
      type: 'object',
      required: ['id', 'name', 'status', 'impact', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        status: { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] },
        impact: { enum: ['none', 'minor', 'major', 'critical'] },
        created_at: time,
        updated_at: time,
        monitoring_at: nullableTime,
        resolved_at: nullableTime,
        shortlink: { type: 'string' },
        started_at: nullableTime,
        page_id: { type: 'string' },
        incident_updates: { type: 'array', minItems: 1, items: update },
        components: { type: 'array', items: component },
      },
    };
    const summary = ajv.compile({
      type: 'object',
      required: ['page', 'components', 'incidents', 'scheduled_maintenances', 'status'],
      properties: {
        page,
        components: { type: 'array', items: component },
        incidents: { type: 'array', items: incident },
        scheduled_maintenances: { type: 'array' },
        status: { type: 'object', required: ['indicator', 'description'], properties: { indicator: { enum: ['none', 'minor', 'major', 'critical'] }, description: { type: 'string' } } },
      },
    });
    const incidentsFile = ajv.compile({ type: 'object', required: ['page', 'incidents'], properties: { page, incidents: { type: 'array', items: incident } } });
    const summaryJson = JSON.parse(files.get('api/v2/summary.json')!);
    const incidentsJson = JSON.parse(files.get('api/v2/incidents.json')!);
    expect(summary(summaryJson), ajv.errorsText(summary.errors)).toBe(true);
    expect(incidentsFile(incidentsJson), ajv.errorsText(incidentsFile.errors)).toBe(true);

    // The unresolved incidents are the open ones but drills, each with its updates newest first.
    const open = (JSON.parse((await repo.inc(['list', '--json'])).out) as { id: string; drill: boolean }[]).filter((i) => !i.drill);
    expect(open.length).toBeGreaterThan(1);
    expect(summaryJson.incidents.map((i: { shortlink: string }) => i.shortlink).sort()).toEqual(open.map((i) => `incidents/${i.id}.html`).sort());
    for (const i of incidentsJson.incidents as { incident_updates: { created_at: string }[] }[]) {
      const times = i.incident_updates.map((u) => Date.parse(u.created_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    // A service hit by an open SEV2 (partial in the matrix) is a partial outage; the indicator says "major".
    const sev2 = summaryJson.incidents.find((i: { impact: string }) => i.impact === 'major');
    expect(sev2).toBeDefined();
    const hit = summaryJson.components.find((c: { name: string }) => c.name === sev2.components[0].name);
    expect(['partial_outage', 'major_outage']).toContain(hit.status);
    expect(['major', 'critical']).toContain(summaryJson.status.indicator);
    expect(JSON.parse(files.get('api/v2/status.json')!).status).toEqual(summaryJson.status);
  });

  it('is read back by inc import statuspage: every incident, with its title, severity and milestones', async () => {
    const listed = (JSON.parse((await repo.inc(['list', '--all', '--json'])).out) as { id: string; title: string; severity: string; drill: boolean; detected_at: string; resolved_at: string | null }[]).filter((i) => !i.drill);
    const target = await makeRepo({ init: true });
    try {
      const result = await incIn(target, ['import', 'statuspage', join(repo.dir, '_site', 'api', 'v2', 'incidents.json'), '--dry-run', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const created = (JSON.parse(result.stdout) as { created: { title: string; severity: string; milestones: Record<string, string | null> }[] }).created;
      const read = created.map((c) => ({ title: c.title, severity: c.severity, detected: c.milestones.detected_at, resolved: c.milestones.resolved_at })).sort((a, b) => a.title.localeCompare(b.title) || a.detected!.localeCompare(b.detected!));
      const expected = listed.map((i) => ({ title: i.title, severity: i.severity, detected: i.detected_at, resolved: i.resolved_at })).sort((a, b) => a.title.localeCompare(b.title) || a.detected.localeCompare(b.detected));
      expect(read).toEqual(expected);
    } finally {
      target.cleanup();
    }
  });

  it('refuses a folder it did not write, and one inside incidents/; replaces its own', async () => {
    const foreign = join(repo.dir, 'docs-site');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    const refused = await repo.inc(['publish', '--out', 'docs-site']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('docs-site is not empty and was not written by inc publish');
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(foreign)).toEqual(['keep.txt']);

    const inside = await repo.inc(['publish', '--out', 'incidents/site']);
    expect(inside.code).toBe(2);
    expect(existsSync(join(repo.dir, 'incidents', 'site'))).toBe(false);

    writeFileSync(join(repo.dir, '_site', 'stale.html'), 'old');
    // A page edited by hand is written again; the others, made from unchanged incidents, are not.
    const page = join(repo.dir, '_site', 'incidents', `${WORKED_EXAMPLE}.html`);
    const original = readFileSync(page, 'utf8');
    writeFileSync(page, `${original}<!-- edited -->`);
    const again = await repo.inc(['publish']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/^1 file written, 1 removed, \d+ unchanged\.$/m);
    expect(readFileSync(page, 'utf8')).toBe(original);
    expect(existsSync(join(repo.dir, '_site', 'stale.html'))).toBe(false);
    expect(existsSync(join(repo.dir, '_site', 'index.html'))).toBe(true);
    expect(readdirSync(repo.dir).filter((name) => name.includes('inc-publish') || name.includes('inc-old'))).toEqual([]);
  });
});

describe('the public edition', () => {
  const PUBLIC_CONFIG = `timezone: "UTC"
commit: true
publish:
  title: "Example Corp status"
  url: "https://status.example.com"
  public:
    severities: [SEV1, SEV2]
  redact:
    terms: ["#incident-20260315", "billing_region"]
    ticket_prefixes: [ENG-]
`;
  let pub: SiteRepo;
  let files: Map<string, string>;
  let internal: string[];

  beforeAll(async () => {
    pub = makeSiteRepo({ config: PUBLIC_CONFIG });
    const worked = join(pub.dir, 'incidents', WORKED_EXAMPLE);
    // Internal notes in the postmortem, an internal timeline row: never on a public page.
    const pm = readFileSync(join(worked, 'postmortem.md'), 'utf8');
    writeFileSync(join(worked, 'postmortem.md'), pm.replace('## Lessons learned', '## Internal notes\n\nThe on-call laptop password is SECRET-HUNTER-2.\n\n## Lessons learned'));
    writeFileSync(join(worked, 'timeline.md'), `${readFileSync(join(worked, 'timeline.md'), 'utf8')}| 2026-03-15T15:05:00Z | Internal: vendor contract clause 7 | Alice | internal |\n`);
    const result = await pub.inc(['publish', '--public', '--out', 'public']);
    expect(result.code, result.err).toBe(0);
    files = siteFiles(join(pub.dir, 'public'));
    const people = ['Alice Martin', 'Bob Chen', 'Carol Diaz', 'Dan Okafor', 'Erin Walsh', 'Farid Haddad', 'Grace Kim', 'Hugo Laurent', 'Mallory Hostile'];
    internal = [
      ...people,
      ...people.map((p) => p.split(' ')[1]!),
      'Alice',
      'Bob',
      'Carol',
      'Dave',
      'ENG-452',
      'OPS-',
      '#incident-20260315',
      'billing_region',
      'SECRET-HUNTER-2',
      'vendor contract',
      HOSTILE_TITLE,
      'markup-in-files',
    ];
  });

  afterAll(() => {
    pub.cleanup();
  });

  it('shows only public incidents (SEV1 and SEV2 by the config rule), never drills', () => {
    const pages = [...files.keys()].filter((name) => name.startsWith('incidents/')).sort();
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toContain(`incidents/${WORKED_EXAMPLE}.html`);
    expect(pages).not.toContain(`incidents/${HOSTILE_ID}.html`);
    for (const page of pages) expect(files.get(page), page).toMatch(/<span class="sev sev-[12]">SEV[12]<\/span>/);
  });

  it('shows published postmortems only', () => {
    for (const [name, text] of files) {
      if (!name.startsWith('incidents/') || !text.includes('id="postmortem"')) continue;
      expect(text, name).toContain('status-pm-published');
    }
    expect(files.get(`incidents/${WORKED_EXAMPLE}.html`)).toContain('id="postmortem"');
  });

  it('lets no internal string reach any output file', () => {
    const leaks: string[] = [];
    for (const [name, text] of files) for (const secret of internal) if (text.includes(secret)) leaks.push(`${name}: ${secret}`);
    expect(leaks).toEqual([]);
    // The worked example is still told, redacted: the action items without owner and ticket columns.
    const page = files.get(`incidents/${WORKED_EXAMPLE}.html`)!;
    expect(page).toContain('[redacted]');
    expect(page).toMatch(/<th>Action<\/th>\s*<th>Priority<\/th>\s*<th>Due<\/th>\s*<th>Status<\/th>/);
    expect(page).toContain('Rolling back first and diagnosing afterwards worked');
  });

  it('uses the configured address in the feed and the Statuspage JSON', () => {
    expect(files.get('feed.xml')).toContain('xml:base="https://status.example.com/"');
    const summary = JSON.parse(files.get('api/v2/summary.json')!);
    expect(summary.page).toMatchObject({ name: 'Example Corp status', url: 'https://status.example.com/' });
  });
});

describe('config mistakes', () => {
  it('names the config line of a bad publish setting', async () => {
    const bad = makeSiteRepo({ incidents: 1, config: 'timezone: "UTC"\npublish:\n  title: "Status"\n  url: "status.example.com"\n' });
    try {
      const result = await bad.inc(['publish']);
      expect(result.code).toBe(1);
      expect(result.err).toContain('.inc/config.yaml:4: publish.url: "status.example.com" is not an http(s) address');
      expect(existsSync(join(bad.dir, '_site'))).toBe(false);
    } finally {
      bad.cleanup();
    }
  });
});
