/**
 * The cache of parsed incidents in .git/inc (src/store/incident-cache.ts) must never show
 * anything but what the files say: an edit of any kind, a deleted incident, a broken or
 * foreign cache file. Incidents are cached only once their files are older than 3 s on the
 * file system's clock (the racily-clean rule): the listings here get a file clock set far
 * ahead, so every file the test wrote counts as settled, whatever the machine's speed.
 */
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
const OLD_TIME = 1_767_225_600; // 2026-01-01T00:00:00Z, in seconds
const ids: string[] = [];
/** The file system's clock of the listings here: long after any file the test writes. */
const SETTLED_CLOCK = () => Date.parse('2100-01-01T00:00:00Z');
const cacheFile = () => join(repo.dir, '.git', 'inc', 'incidents-cache.json');
const cachedIds = () => Object.keys((JSON.parse(readFileSync(cacheFile(), 'utf8')) as { entries: object }).entries).sort();

async function list(): Promise<{ id: string; title: string; severity: string }[]> {
  const result = await repo.ok(['list', '--all', '--json'], { fileClock: SETTLED_CLOCK });
  return JSON.parse(result.stdout) as { id: string; title: string; severity: string }[];
}

/** The same listing with no cache at all: what the files alone say. */
async function listWithoutCache() {
  const saved = existsSync(cacheFile()) ? readFileSync(cacheFile()) : undefined;
  rmSync(cacheFile(), { force: true });
  const fresh = await list();
  if (saved) writeFileSync(cacheFile(), saved);
  return fresh;
}

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  for (const [title, sev] of [['Payment outage', '1'], ['Search stale', '2'], ['Login slow', '3']] as const) {
    const result = await repo.ok(['open', title, '--sev', sev, '--no-commit']);
    ids.push(result.stdout.split(' ')[0]!);
  }
  // A value JSON cannot hold exactly (NaN): read through yaml, never cached.
  const odd = `incidents/${ids[2]}/incident.md`;
  repo.write(odd, repo.read(odd).replace('tags: []', 'tags: []\nratio: .nan'));
  // Whole-second times, so that a test can put an mtime back exactly.
  for (const id of ids) utimesSync(join(repo.dir, 'incidents', id, 'incident.md'), OLD_TIME, OLD_TIME);
});
afterAll(() => repo?.cleanup());

describe('the cache of parsed incidents', () => {
  it('is written by a listing and gives the same listing back', async () => {
    const first = await list();
    expect(cachedIds()).toEqual([ids[0], ids[1]].sort());
    expect(await list()).toEqual(first);
    expect(await listWithoutCache()).toEqual(first);
  });

  it('ignores a cache file it cannot read, or one from another build of inc', async () => {
    const expected = await listWithoutCache();
    const cache = JSON.parse(readFileSync(cacheFile(), 'utf8')) as { build: string; entries: Record<string, [number, number, number, number, number, { title: string }]> };
    cache.entries[ids[1]!]![5].title = 'Forged title';
    writeFileSync(cacheFile(), JSON.stringify({ ...cache, build: 'another build' }));
    expect(await list()).toEqual(expected);
    writeFileSync(cacheFile(), JSON.stringify(cache).slice(0, 200));
    expect(await list()).toEqual(expected);
  });

  it('sees an edit that keeps the size, even with the old mtime put back', async () => {
    await list();
    const path = join(repo.dir, 'incidents', ids[0]!, 'incident.md');
    const before = statSync(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('title: "Payment outage"', 'title: "Paymenx outage"'));
    utimesSync(path, OLD_TIME, OLD_TIME);
    const after = statSync(path);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
    const listed = await list();
    expect(listed.find((i) => i.id === ids[0])?.title).toBe('Paymenx outage');
    expect(listed).toEqual(await listWithoutCache());
  });

  it('keeps a file out until it is more than 3 s old on the file system clock', async () => {
    const path = join(repo.dir, 'incidents', ids[0]!, 'incident.md');
    const { mtimeMs, ctimeMs } = statSync(path);
    const changed = Math.max(mtimeMs, ctimeMs);
    rmSync(cacheFile(), { force: true });
    await repo.ok(['list', '--all', '--json'], { fileClock: () => changed + 2_000 });
    expect(existsSync(cacheFile()) ? cachedIds() : []).not.toContain(ids[0]);
    await repo.ok(['list', '--all', '--json'], { fileClock: () => changed + 3_500 });
    expect(cachedIds()).toContain(ids[0]);
  });

  it('is not written under CI, where a clone is thrown away with the job, and is still read there', async () => {
    const expected = await listWithoutCache();
    rmSync(cacheFile(), { force: true });
    const underCi = await repo.ok(['list', '--all', '--json'], { fileClock: SETTLED_CLOCK, env: { CI: 'true' } });
    expect(JSON.parse(underCi.stdout)).toEqual(expected);
    expect(existsSync(cacheFile())).toBe(false);
    await list();
    const written = readFileSync(cacheFile(), 'utf8');
    await repo.ok(['list', '--all', '--json'], { fileClock: SETTLED_CLOCK, env: { CI: 'true' } });
    expect(readFileSync(cacheFile(), 'utf8')).toBe(written);
  });

  it('drops a deleted incident and reports a broken file on every run', async () => {
    await list();
    rmSync(join(repo.dir, 'incidents', ids[1]!), { recursive: true });
    const path = `incidents/${ids[0]}/incident.md`;
    repo.write(path, repo.read(path).replace(/^severity: .*$/m, 'severity: [1, 2'));
    for (let run = 0; run < 2; run += 1) {
      const result = await repo.ok(['list', '--all', '--json']);
      expect(result.stderr).toMatch(new RegExp(`warning: incidents/${ids[0]}/incident.md:\\d+`));
      expect((JSON.parse(result.stdout) as { id: string }[]).map((i) => i.id)).toEqual([ids[2]]);
    }
  });

});

