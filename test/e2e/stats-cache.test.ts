/**
 * inc stats takes what it made of an unchanged timeline or postmortem from
 * .git/inc/stats-cache.json (src/store/file-cache.ts). The report must always be what the
 * files alone say: an edit of any kind shows at once, a broken file is reported on every run,
 * a cache from another build or a torn file changes nothing, and a filtered run keeps the
 * entries of the incidents it left out. Files are cached only once they are older than 3 s
 * on the file system's clock (the racily-clean rule): these runs get a file clock set far
 * ahead, so every file the test wrote counts as settled, whatever the machine's speed.
 */
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
const OLD_TIME = 1_767_225_600; // 2026-01-01T00:00:00Z, in seconds
const ids: string[] = [];
/** The file system's clock of every stats run here: long after any file the test writes. */
const SETTLED_CLOCK = () => Date.parse('2100-01-01T00:00:00Z');
const cacheFile = () => join(repo.dir, '.git', 'inc', 'stats-cache.json');
const cachedPaths = () => Object.keys((JSON.parse(readFileSync(cacheFile(), 'utf8')) as { entries: object }).entries).sort();

const TIMELINE_HEAD = '| Time (UTC) | Event | By | Kind |\n|---|---|---|---|\n';
const POSTMORTEM = (status: string, itemStatus: string) =>
  `---\nstatus: "${status}"\nroot_causes:\n  - "bad-deploy"\n---\n\n## Action items\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n| Canary stage | Carol | 2026-04-01 | ${itemStatus} |\n`;

interface Report {
  incidents: number;
  first_update: { n: number; mean: number | null };
  action_items: { total: number; done: number };
  postmortems: { written: number; published: number };
  recurring: { root_causes: { name: string }[] };
}

async function stats(args: string[] = []): Promise<{ report: Report; stdout: string; stderr: string }> {
  const result = await repo.ok(['stats', '--json', ...args], { fileClock: SETTLED_CLOCK });
  return { report: JSON.parse(result.stdout) as Report, stdout: result.stdout, stderr: result.stderr };
}

/** The same report with no cache at all: what the files alone say. */
async function statsWithoutCache(args: string[] = []) {
  const saved = existsSync(cacheFile()) ? readFileSync(cacheFile()) : undefined;
  rmSync(cacheFile(), { force: true });
  const fresh = await stats(args);
  if (saved) writeFileSync(cacheFile(), saved);
  return fresh;
}

function settle(path: string): void {
  utimesSync(join(repo.dir, path), OLD_TIME, OLD_TIME);
}

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  for (const [title, sev] of [['Payment outage', '1'], ['Search stale', '2']] as const) {
    const result = await repo.ok(['open', title, '--sev', sev, '--at', '2026-03-10T14:05:00Z', '--no-commit']);
    ids.push(result.stdout.split(' ')[0]!);
    await repo.ok(['resolve', '--incident', ids.at(-1)!, '--at', '2026-03-10T16:00:00Z', '--no-commit']);
  }
  for (const id of ids) {
    repo.write(`incidents/${id}/timeline.md`, `${TIMELINE_HEAD}| 2026-03-10T14:20:00Z | Status page updated | Alice | update |\n`);
    repo.write(`incidents/${id}/postmortem.md`, POSTMORTEM('draft', 'todo'));
    for (const file of ['incident.md', 'timeline.md', 'postmortem.md']) settle(`incidents/${id}/${file}`);
  }
});
afterAll(() => repo?.cleanup());

describe('the cache of what stats reads from timelines and postmortems', () => {
  it('is written by a run and gives the same report back', async () => {
    const first = await stats();
    expect(first.report.first_update.n).toBe(2);
    expect(first.report.action_items.total).toBe(2);
    expect(cachedPaths()).toEqual(ids.flatMap((id) => [`incidents/${id}/postmortem.md`, `incidents/${id}/timeline.md`]).sort());
    expect((await stats()).stdout).toBe(first.stdout);
    expect((await statsWithoutCache()).stdout).toBe(first.stdout);
  });

  it('sees an edited timeline and postmortem at once, even with the old mtime put back', async () => {
    await stats();
    const timeline = `incidents/${ids[0]}/timeline.md`;
    repo.write(timeline, repo.read(timeline).replace('14:20:00Z', '14:50:00Z'));
    settle(timeline);
    const postmortem = `incidents/${ids[1]}/postmortem.md`;
    repo.write(postmortem, POSTMORTEM('published', 'done'));
    settle(postmortem);
    const { report, stdout } = await stats();
    expect(report.first_update.mean).toBe(30); // 15 and 45 minutes after detection
    expect(report.action_items.done).toBe(1);
    expect(report.postmortems.published).toBe(1);
    expect((await statsWithoutCache()).stdout).toBe(stdout);
  });

  it('reports a broken postmortem on every run, and a deleted one no longer counts', async () => {
    await stats();
    const postmortem = `incidents/${ids[0]}/postmortem.md`;
    repo.write(postmortem, 'no front matter\n');
    settle(postmortem);
    for (let run = 0; run < 2; run += 1) {
      const { report, stderr } = await stats();
      expect(stderr).toContain(`inc: warning: ${postmortem}:1:`);
      expect(report.postmortems.written).toBe(2);
    }
    rmSync(join(repo.dir, postmortem));
    const { report, stdout } = await stats();
    expect(report.postmortems.written).toBe(1);
    expect((await statsWithoutCache()).stdout).toBe(stdout);
  });

  it('is not written under CI, where a clone is thrown away with the job, and is still read there', async () => {
    const expected = (await statsWithoutCache()).stdout;
    const underCi = () => repo.ok(['stats', '--json'], { fileClock: SETTLED_CLOCK, env: { CI: 'true' } });
    rmSync(cacheFile(), { force: true });
    expect((await underCi()).stdout).toBe(expected);
    expect(existsSync(cacheFile())).toBe(false);
    await stats();
    const written = readFileSync(cacheFile(), 'utf8');
    expect((await underCi()).stdout).toBe(expected);
    expect(readFileSync(cacheFile(), 'utf8')).toBe(written);
  });

  it('keeps the entries of incidents a filtered run left out', async () => {
    await stats();
    const before = cachedPaths();
    const filtered = await stats(['--sev', '2']);
    expect(filtered.report.incidents).toBe(1);
    expect(cachedPaths()).toEqual(before);
  });

  it('ignores a cache from another build or one it cannot read', async () => {
    const expected = (await statsWithoutCache()).stdout;
    const cache = JSON.parse(readFileSync(cacheFile(), 'utf8')) as { build: string; entries: Record<string, unknown[]> };
    cache.entries[`incidents/${ids[1]}/timeline.md`]![4] = [0];
    writeFileSync(cacheFile(), JSON.stringify({ ...cache, build: 'another build' }));
    expect((await stats()).stdout).toBe(expected);
    writeFileSync(cacheFile(), JSON.stringify(cache).slice(0, 100));
    expect((await stats()).stdout).toBe(expected);
  });
});
