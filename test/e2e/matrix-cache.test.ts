/**
 * list and stats take the severity matrix's data from .git/inc/matrix-cache.json while the
 * file holds the text it came from (src/store/matrix.ts): an edit of the matrix must
 * show at once, a broken matrix must be reported as before, and a forged or foreign cache
 * file must change nothing. A matrix as `inc init` writes it is read by the fast reader and
 * needs no cache; the cache serves the hand-edited ones that only `yaml` reads (here: a
 * comment after a value).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
const cacheFile = () => join(repo.dir, '.git', 'inc', 'matrix-cache.json');
const MATRIX = 'incident-severity.yaml';
// The levels of the matrix that `inc init` writes, in its order.
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

async function sevNames(): Promise<string[]> {
  const result = await repo.ok(['stats', '--json']);
  return Object.keys((JSON.parse(result.stdout) as { by_severity: object }).by_severity);
}

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  await repo.ok(['open', 'Payment outage', '--sev', '1', '--no-commit']);
});
afterAll(() => repo?.cleanup());

describe('the cache of the parsed severity matrix', () => {
  it('is not needed for the matrix `inc init` writes, which the fast reader reads', async () => {
    expect(await sevNames()).toEqual(SEVERITIES);
    expect(existsSync(cacheFile())).toBe(false);
    // The same matrix with a comment after a value: only `yaml` reads that, and the cache keeps what it read.
    repo.write(MATRIX, repo.read(MATRIX).replace(/^( {4}update_every_minutes: 30)$/m, '$1 # every half hour'));
    expect(await sevNames()).toEqual(SEVERITIES);
    expect(existsSync(cacheFile())).toBe(true);
  });

  it('is written by list and stats, and an edited matrix shows at once', async () => {
    const before = await sevNames();
    expect(before).toEqual(SEVERITIES);
    expect(existsSync(cacheFile())).toBe(true);
    expect(await sevNames()).toEqual(before);
    const good = repo.read(MATRIX);
    repo.write(MATRIX, good.replace(/^ {2}SEV4:/m, '  SEV5:'));
    expect(await sevNames()).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV5']);
    repo.write(MATRIX, good);
  });

  it('reports a matrix broken after it was cached, with its line, as before', async () => {
    await repo.ok(['list']);
    const good = repo.read(MATRIX);
    repo.write(MATRIX, good.replace(/update_every_minutes: 15/, 'update_every_minutes: soon'));
    // A bad value stops only what needs it: list and stats work and warn with the line.
    for (const args of [['list'], ['stats']]) {
      const result = await repo.inc(args);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/warning: incident-severity\.yaml:\d+: update_every_minutes of SEV1 must be a positive number of minutes/);
    }
    const check = await repo.inc(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/incident-severity\.yaml:\d+: error: update_every_minutes of SEV1 must be a positive number of minutes/);
    repo.write(MATRIX, good);
  });

  it('ignores a cache whose text differs from the file or that comes from another build', async () => {
    await repo.ok(['list']);
    const expected = await sevNames();
    expect(expected).toEqual(SEVERITIES);
    const cache = JSON.parse(readFileSync(cacheFile(), 'utf8')) as { build: string; text: string; data: { severities: Record<string, unknown> } };
    const forged = { ...cache, data: { severities: { FORGED1: { description: 'forged' } } } };
    writeFileSync(cacheFile(), JSON.stringify({ ...forged, text: `${cache.text}\n# edited` }));
    expect(await sevNames()).toEqual(expected);
    writeFileSync(cacheFile(), JSON.stringify({ ...forged, build: 'another build' }));
    expect(await sevNames()).toEqual(expected);
    writeFileSync(cacheFile(), '{ not json');
    expect(await sevNames()).toEqual(expected);
  });
});
