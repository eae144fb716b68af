/**
 * Several responders logging to one incident from several terminals of one clone: every
 * process succeeds, every entry is kept, every write is its own commit. The clone's write
 * lock makes them take turns; git's own index.lock, held by any other git process, is waited
 * for; a lock left by a killed process is taken over; a live one is waited for, then refused
 * with a clear message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepoWithIncident, PAYMENT_OUTAGE as ID, type TempRepo } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

async function openIncident(): Promise<void> {
  repo = await makeRepoWithIncident();
}

interface ShownEntry {
  at: string;
  text: string;
  author: string;
  kind: string | null;
}

async function timeline(): Promise<ShownEntry[]> {
  const shown = await repo.ok(['show', ID, '--json']);
  return (JSON.parse(shown.stdout) as { timeline: ShownEntry[] }).timeline;
}

describe('many inc processes writing to one clone at once', () => {
  it('4 processes x 10 entries: 40 rows, 40 commits, each process in its own order, shown in time order', async () => {
    await openIncident();
    const PROCESSES = 4;
    const ENTRIES = 10;
    const before = commitSubjects(repo).length;
    // Times interleave across processes, so time order differs from the order rows land in.
    const at = (p: number, i: number) => `2026-03-15T14:${String(10 + i).padStart(2, '0')}:${String(p * 10).padStart(2, '0')}Z`;
    const text = (p: number, i: number) => `p${p} entry ${i} | with a pipe`;
    const chain = async (p: number) => {
      for (let i = 0; i < ENTRIES; i += 1) await repo.okBin(['log', text(p, i), '--at', at(p, i)]);
    };
    await Promise.all(Array.from({ length: PROCESSES }, (_, p) => chain(p)));

    const rows = repo.read(`incidents/${ID}/timeline.md`).split('\n').filter((line) => / p\d entry \d+ /.test(line));
    expect(rows).toHaveLength(PROCESSES * ENTRIES);
    for (let p = 0; p < PROCESSES; p += 1) {
      const own = rows.filter((row) => row.includes(`| p${p} entry `)).map((row) => Number(/entry (\d+)/.exec(row)![1]));
      expect(own).toEqual([...Array(ENTRIES).keys()]);
    }

    const subjects = commitSubjects(repo);
    expect(subjects.length - before).toBe(PROCESSES * ENTRIES);
    expect(subjects.slice(0, PROCESSES * ENTRIES).every((s) => s.startsWith(`inc(${ID}): log "p`))).toBe(true);
    for (let n = 0; n < PROCESSES * ENTRIES; n += 1) expect(commitFiles(repo, `HEAD~${n}`)).toEqual([`incidents/${ID}/timeline.md`]);
    expect(repo.git(['status', '--porcelain'])).toBe('');
    expect(existsSync(join(repo.dir, '.git/inc/write.lock'))).toBe(false);

    const shown = await timeline();
    // Exactly the declaration and the 40 texts, each once: nothing lost, doubled or mangled.
    const expected = ['Incident declared: SEV1 Payment outage'];
    for (let p = 0; p < PROCESSES; p += 1) for (let i = 0; i < ENTRIES; i += 1) expected.push(text(p, i));
    expect(shown.map((e) => e.text).sort()).toEqual(expected.sort());
    const entries = shown.filter((e) => e.text.includes('entry'));
    expect(entries).toHaveLength(PROCESSES * ENTRIES);
    const times = entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // ref: sha256 of ["2026-03-15T14:10:00Z","p0 entry 0 | with a pipe","Alice Example",""]
    expect(entries[0]).toEqual({ at: '2026-03-15T14:10:00Z', text: 'p0 entry 0 | with a pipe', author: 'Alice Example', kind: null, ref: '~1c17bfd', amended: false, superseded: false });
  });

  it('waits while another git process holds .git/index.lock, then commits', async () => {
    await openIncident();
    const lock = join(repo.dir, '.git/index.lock');
    writeFileSync(lock, '');
    const pending = repo.inc(['log', 'written while an IDE held the index']);
    // The entry is on disk before the commit; once it is there, inc is retrying the commit.
    await waitFor('the entry to be written while the index is locked', () => repo.read(`incidents/${ID}/timeline.md`).includes('while an IDE'), 8_000);
    rmSync(lock);
    const result = await pending;
    expect(result.code, result.stderr).toBe(0);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): log "written while an IDE held the index"`);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('gives up on an index.lock that never goes away: a plain message, the file as it was, no commit', async () => {
    await openIncident();
    const path = `incidents/${ID}/timeline.md`;
    const before = repo.read(path);
    const commits = commitSubjects(repo).length;
    writeFileSync(join(repo.dir, '.git/index.lock'), '');
    const result = await repo.inc(['log', 'never committed']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('another git process held the lock .git/index.lock through 9 s of retries, so inc could not commit');
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).toContain('remove');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(repo.read(path)).toBe(before);
    expect(commitSubjects(repo)).toHaveLength(commits);
  });

  it('a live holder of the inc lock is waited for, then refused with who holds it and what to do', async () => {
    await openIncident();
    repo.write('.inc/config.yaml', 'timezone: "UTC"\ncommit: true\nlock_timeout_seconds: 1\n');
    const before = repo.read(`incidents/${ID}/timeline.md`);
    // This test process is alive: its lock is not stale.
    writeFileSync(join(repo.dir, '.git/inc/write.lock'), `${process.pid} ${hostname()} token\n`);
    const result = await repo.inc(['log', 'blocked']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`waited 1 s for another inc command (pid ${process.pid})`);
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).toContain('.git/inc/write.lock');
    expect(repo.read(`incidents/${ID}/timeline.md`)).toBe(before);
  });

  it('takes over a lock left by a killed process (dead pid), and one left empty long ago', async () => {
    await openIncident();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lockPath = join(repo.dir, '.git/inc/write.lock');
    writeFileSync(lockPath, `${dead.stdout} ${hostname()} token\n`);
    await repo.ok(['log', 'after a crash']);
    expect(existsSync(lockPath)).toBe(false);

    writeFileSync(lockPath, '');
    // Far older than any lock a live process holds, whatever the clock says now.
    const longAgo = new Date('2020-01-01T00:00:00Z');
    utimesSync(lockPath, longAgo, longAgo);
    await repo.ok(['log', 'after a crash mid-lock']);
    expect((await timeline()).map((e) => e.text)).toEqual(expect.arrayContaining(['after a crash', 'after a crash mid-lock']));
  });
});
