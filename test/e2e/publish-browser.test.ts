/**
 * The published site in a real browser: Debian's Chromium, driven by playwright-core (never
 * a downloaded browser), opens every page of a site built from the worked example, a
 * generated history and a hostile incident, from file:// as a reader would. Each page: no
 * console error, no failed request, no link or image to a missing file or anchor. The status
 * page shows the open incidents, the charts have one mark per data point (counted against
 * `inc stats --json` and `inc actions --json`, not against the page itself), the history
 * filters are reached with the keyboard and filter, and axe-core finds nothing serious.
 * Screenshots of the status page and an incident page go to test-artifacts/ (gitignored).
 *
 * Skipped, saying so, only where /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_ID, makeSiteRepo, type SiteRepo, WORKED_EXAMPLE } from '../helpers/site.js';
import { ROOT } from '../helpers/repo.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.warn(`publish-browser: skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run does)`);

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

let repo: SiteRepo;
let site: string;
let browser: Browser;
let page: Page;
const problems = new Map<string, string[]>();
let currentPage = '';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html'))
    .map((name) => name.split('\\').join('/'))
    .sort();
}

function problem(text: string) {
  const list = problems.get(currentPage) ?? [];
  list.push(text);
  problems.set(currentPage, list);
}

async function open(path: string): Promise<void> {
  currentPage = path;
  await page.goto(pathToFileURL(join(site, path)).href, { waitUntil: 'load' });
}

describe.skipIf(!hasBrowser)('inc publish in Chromium', () => {
  beforeAll(async () => {
    repo = makeSiteRepo();
    const result = await repo.inc(['publish', '--out', '_site']);
    expect(result.code, result.err).toBe(0);
    site = join(repo.dir, '_site');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problem(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problem(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problem(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    page.on('dialog', (dialog) => {
      problem(`dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (repo) repo.cleanup();
  });

  it('opens every page with no console error, failed request, broken link or missing anchor', async () => {
    const pages = htmlFiles(site);
    // index, history, reports and one page per incident.
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'history.html', 'reports.html', `incidents/${WORKED_EXAMPLE}.html`, `incidents/${HOSTILE_ID}.html`]));
    expect(pages).toHaveLength(3 + repo.ids.length);
    const anchors = new Map<string, Set<string>>();
    const targets: { from: string; url: string }[] = [];
    for (const path of pages) {
      await open(path);
      const found = await page.evaluate(() => ({
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
        urls: [
          ...[...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
          ...[...document.querySelectorAll('link[href]')].map((l) => (l as HTMLLinkElement).href),
          ...[...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src),
          ...[...document.querySelectorAll('img[src], iframe, object, embed')].map((i) => (i as HTMLImageElement).src || 'embedded element'),
        ],
        title: document.title,
      }));
      anchors.set(path, new Set(found.ids));
      for (const url of found.urls) targets.push({ from: path, url });
      expect(found.title, path).not.toBe('owned');
    }
    const broken: string[] = [];
    for (const { from, url } of targets) {
      if (!url.startsWith('file:')) {
        broken.push(`${from}: leaves the site: ${url}`);
        continue;
      }
      const parsed = new URL(url);
      const file = fileURLToPath(parsed);
      if (!existsSync(file) || !statSync(file).isFile()) {
        broken.push(`${from}: missing ${relative(site, file)}`);
        continue;
      }
      const hash = decodeURIComponent(parsed.hash.slice(1));
      const target = relative(site, file).split('\\').join('/');
      if (hash && anchors.has(target) && !anchors.get(target)!.has(hash)) broken.push(`${from}: no #${hash} in ${target}`);
    }
    expect(broken).toEqual([]);
    expect(Object.fromEntries(problems)).toEqual({});
    expect(targets.length).toBeGreaterThan(pages.length * 5);
  });

  it('shows every open incident on the status page, with its latest update', async () => {
    const list = JSON.parse((await repo.inc(['list', '--json'])).out) as { id: string; title: string; drill: boolean; status: string }[];
    const open = list.filter((i) => !i.drill);
    expect(open.length).toBeGreaterThan(0);
    await open_('index.html');
    const cards = await page.$$eval('.incident-card', (els) => els.map((e) => ({ link: e.querySelector('a')!.getAttribute('href'), text: e.textContent ?? '' })));
    expect(cards.map((c) => c.link).sort()).toEqual(open.map((i) => `incidents/${i.id}.html`).sort());
    for (const card of cards) expect(card.text).toMatch(/(Investigating|Identified|Monitoring) \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): \S/);
    // An investigating SEV1/SEV2 takes its service down in the matrix; the banner says the worst.
    const banner = await page.textContent('.overall');
    expect(banner).not.toContain('All Systems Operational');
    await page.screenshot({ path: join(ARTIFACTS, 'status.png') });
    expect(problems.get('index.html')).toBeUndefined();
  });

  it('draws one mark per data point in every chart', async () => {
    const stats = JSON.parse((await repo.inc(['stats', '--json'])).out) as {
      incidents: number;
      by_month: Record<string, Record<string, number>>;
      monthly: Record<string, { ttm: { n: number; median: number | null } }>;
      postmortems: { required: number; written: number };
    };
    const actions = JSON.parse((await repo.inc(['actions', '--json'])).out) as { incident: string; status: string }[];
    await open_('reports.html');
    const marks = (chart: string) =>
      page.$$eval(`#${chart} .mark`, (els) => els.map((e) => ({ series: e.getAttribute('data-series')!, category: e.getAttribute('data-category')!, value: Number(e.getAttribute('data-value')) })));

    const severity = await marks('chart-severity');
    const cells = Object.entries(stats.by_month).flatMap(([month, counts]) => Object.entries(counts).filter(([, n]) => n > 0).map(([sev, n]) => ({ series: sev, category: month, value: n })));
    expect(severity.sort(byKey)).toEqual(cells.sort(byKey));
    expect(severity.reduce((sum, m) => sum + m.value, 0)).toBe(stats.incidents);

    const ttm = await marks('chart-ttm');
    const months = Object.entries(stats.monthly).filter(([, m]) => m.ttm.n > 0);
    expect(ttm.filter((m) => m.series === 'median')).toHaveLength(months.length);
    expect(ttm.filter((m) => m.series === 'p90')).toHaveLength(months.length);
    for (const [month, m] of months) expect(ttm.find((mark) => mark.series === 'median' && mark.category === month)?.value).toBe(m.ttm.median);

    // Action items by the month of their incident: the id starts with its detection date (UTC here).
    const opened = new Map<string, number>();
    const done = new Map<string, number>();
    for (const item of actions) {
      const month = item.incident.slice(0, 7);
      opened.set(month, (opened.get(month) ?? 0) + 1);
      if (item.status === 'done') done.set(month, (done.get(month) ?? 0) + 1);
    }
    const actionMarks = await marks('chart-actions');
    expect(actionMarks.filter((m) => m.series === 'opened').map((m) => [m.category, m.value])).toEqual([...opened.entries()].sort());
    expect(actionMarks.filter((m) => m.series === 'done').map((m) => [m.category, m.value])).toEqual([...done.entries()].sort());

    const coverage = await marks('chart-coverage');
    const total = (series: string) => coverage.filter((m) => m.series === series).reduce((sum, m) => sum + m.value, 0);
    expect(total('required')).toBe(stats.postmortems.required);
    expect(total('written')).toBe(stats.postmortems.written);

    // Every chart has its numbers in a table beside it, one row per month.
    const rows = await page.$$eval('.chart-row', (els) => els.map((e) => ({ chart: !!e.querySelector('svg[role="img"]'), rows: e.querySelectorAll('.table-box tbody tr').length })));
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row).toEqual({ chart: true, rows: Object.keys(stats.monthly).length });
  });

  it('filters the history by service and severity from the keyboard', async () => {
    const all = JSON.parse((await repo.inc(['list', '--all', '--json'])).out) as { id: string; services: string[]; severity: string }[];
    await open_('history.html');
    const visibleRows = () => page.$$eval('table.incidents tbody tr', (rows) => rows.filter((r) => (r as HTMLElement).offsetParent !== null).length);
    expect(await visibleRows()).toBe(all.length);
    const reached: string[] = [];
    for (let i = 0; i < 20 && !reached.includes('filter-severity'); i += 1) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(reached).toContain('filter-service');
    expect(reached).toContain('filter-severity');
    // On the focused select, the arrow keys choose an option, as a keyboard user would.
    await page.focus('#filter-service');
    await page.keyboard.press('ArrowDown');
    const service = await page.inputValue('#filter-service');
    expect(service).not.toBe('');
    expect(await visibleRows()).toBe(all.filter((i) => i.services.includes(service)).length);
    await page.focus('#filter-severity');
    await page.keyboard.press('ArrowDown');
    const severity = await page.inputValue('#filter-severity');
    expect(await visibleRows()).toBe(all.filter((i) => i.services.includes(service) && i.severity === severity).length);
    expect(await page.textContent('#filter-count')).toMatch(/^Showing \d+ of \d+ incidents\.$/);
    // The choice is in the address: a filtered view can be linked and reloaded.
    await page.reload();
    expect(await page.inputValue('#filter-service')).toBe(service);
    expect(await page.inputValue('#filter-severity')).toBe(severity);
  });

  it('passes axe-core without a serious or critical violation, and keeps screenshots', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const found: Record<string, string[]> = {};
    for (const path of ['index.html', 'history.html', 'reports.html', `incidents/${WORKED_EXAMPLE}.html`, `incidents/${HOSTILE_ID}.html`]) {
      await open_(path);
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
          resultTypes: ['violations'],
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      });
      if (violations.length > 0) found[path] = violations;
      if (path.startsWith('incidents/2026-03-15')) await page.screenshot({ path: join(ARTIFACTS, 'incident.png') });
    }
    expect(found).toEqual({});
    expect(existsSync(join(ARTIFACTS, 'incident.png'))).toBe(true);
  });
});

async function open_(path: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await open(path);
}

function byKey(a: { series: string; category: string }, b: { series: string; category: string }) {
  return `${a.category} ${a.series}`.localeCompare(`${b.category} ${b.series}`);
}
