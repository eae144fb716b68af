/**
 * Crash safety: a write interrupted at any point leaves the old file or the new one, never a
 * truncated one, and no commit lacks its file. Shown two ways: inc processes killed with
 * SIGKILL at spread-out moments while they write (alone and together with their git child),
 * and failures injected into the commit step (a failing hook, a hook that kills inc, a git
 * that reports failure after committing).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTimeline } from '../../src/domain/timeline.js';
import { BIN, commitSubjects, makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ID = '2026-03-15-payment-outage';
const TIMELINE = `incidents/${ID}/timeline.md`;
const INCIDENT = `incidents/${ID}/incident.md`;
const ROW = /^\| \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \| .+ \| .* \| .* \|$/;

async function withIncident(): Promise<void> {
  repo = await makeRepo({ init: true });
  const opened = await repo.inc(['open', 'Payment outage', '--sev', '1', '--at', '14:05']);
  expect(opened.code, opened.stderr).toBe(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `inc log <text>` and kills it with SIGKILL after `delayMs` (its git child too, with `group`). */
function logAndKill(text: string, delayMs: number, group: boolean): Promise<'completed' | 'failed' | 'killed'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'log', text], { cwd: repo.dir, env: repo.env, stdio: 'ignore', detached: group });
    const timer = setTimeout(() => {
      try {
        if (group) process.kill(-child.pid!, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }, delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : code === 0 ? 'completed' : 'failed');
    });
  });
}

function rows(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('| 2026'));
}

/** Locks a killed git leaves behind, which git's own message tells the user to remove. */
function removeGitLocks(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // inc's own lock (.git/inc/write.lock) is not removed: inc takes over a dead writer's lock itself.
      if (entry.isDirectory() && entry.name !== 'objects' && entry.name !== 'inc') walk(path);
      else if (entry.name.endsWith('.lock')) {
        found.push(path.slice(repo.dir.length + 1));
        rmSync(path);
      }
    }
  };
  walk(join(repo.dir, '.git'));
  return found;
}

describe('inc log killed with SIGKILL mid-write', () => {
  it('60 writers, 4 at a time, killed at spread-out moments: every file parses, fsck is clean, nothing committed is lost', async () => {
    await withIncident();
    const WRITERS = 60;
    const outcomes: Record<string, 'completed' | 'failed' | 'killed'> = {};
    for (let start = 0; start < WRITERS; start += 4) {
      const batch = Array.from({ length: Math.min(4, WRITERS - start) }, (_, k) => start + k);
      await Promise.all(
        batch.map(async (i) => {
          // Delays sweep start-up, the lock, the file write and the commit; the last 12 also kill git.
          outcomes[`crash ${i}`] = await logAndKill(`crash ${i}`, 30 + ((i * 37) % 220), i >= WRITERS - 12);
        }),
      );
    }
    // Orphaned git children (their inc was killed alone) finish on their own.
    for (let waited = 0; existsSync(join(repo.dir, '.git', 'index.lock')) && waited < 100; waited += 1) await sleep(50);
    const staleLocks = removeGitLocks();

    const final = await repo.inc(['log', 'after the crashes']);
    expect(final.code, final.stderr).toBe(0);

    const completed = Object.keys(outcomes).filter((t) => outcomes[t] === 'completed');
    const killed = Object.keys(outcomes).filter((t) => outcomes[t] === 'killed');
    const failed = Object.keys(outcomes).filter((t) => outcomes[t] === 'failed');
    const text = repo.read(TIMELINE);
    const finalRows = rows(text);
    const recovered = killed.filter((t) => finalRows.some((row) => row.includes(`| ${t} |`)));
    console.log(
      `crash loop: ${WRITERS} writers, ${completed.length} completed, ${killed.length} killed (${recovered.length} of them had written their row, ` +
        `committed by the next writer), ${failed.length} failed; git locks left by killed git processes: ${staleLocks.length ? staleLocks.join(', ') : 'none'}`,
    );
    expect(failed).toEqual([]);
    expect(killed.length).toBeGreaterThan(0);
    expect(completed.length).toBeGreaterThan(0);

    // Every file parses; every row is whole; no entry appears twice.
    const parsed = parseTimeline(text, TIMELINE);
    expect(parsed.problems).toEqual([]);
    for (const line of text.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---') && !l.startsWith('| Time'))) expect(line).toMatch(ROW);
    expect(new Set(finalRows).size).toBe(finalRows.length);
    const shown = await repo.inc(['show', ID, '--json']);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe('');

    // Every write that reported success is committed.
    const head = execFileSync('git', ['show', `HEAD:${TIMELINE}`], { cwd: repo.dir, encoding: 'utf8' });
    for (const t of completed) expect(head).toContain(`| ${t} |`);

    // No commit lacks its file, and no commit's entry was lost later.
    for (const commit of repo.git(['rev-list', 'HEAD', '--', TIMELINE]).trim().split('\n')) {
      const subject = repo.git(['log', '-1', '--format=%s', commit]).trim();
      const atCommit = repo.git(['show', `${commit}:${TIMELINE}`]);
      expect(parseTimeline(atCommit, TIMELINE).problems).toEqual([]);
      const logged = /log "(.*)"$/.exec(subject)?.[1];
      if (logged) expect(atCommit, subject).toContain(`| ${logged} |`);
      for (const row of rows(atCommit)) expect(finalRows).toContain(row);
    }

    // The repository is sane and clean: no temp file, no lock, nothing uncommitted.
    execFileSync('git', ['fsck', '--no-progress', '--no-dangling'], { cwd: repo.dir, env: repo.env, stdio: 'pipe' });
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(readdirSync(join(repo.dir, 'incidents', ID)).sort()).toEqual(['incident.md', 'timeline.md']);
    expect(existsSync(join(repo.dir, '.git', 'inc', 'write.lock'))).toBe(false);
  }, 180_000);
});

describe('failures injected into the commit step', () => {
  function hook(body: string): void {
    writeFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }

  it('a failing pre-commit hook: inc ack puts both files back byte for byte, commits nothing', async () => {
    await withIncident();
    const incident = readFileSync(join(repo.dir, INCIDENT));
    const timeline = readFileSync(join(repo.dir, TIMELINE));
    const commits = commitSubjects(repo).length;
    hook('echo "hook: no" >&2; exit 1');
    const result = await repo.inc(['ack', '--at', '14:06']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hook: no');
    expect(readFileSync(join(repo.dir, INCIDENT)).equals(incident)).toBe(true);
    expect(readFileSync(join(repo.dir, TIMELINE)).equals(timeline)).toBe(true);
    expect(commitSubjects(repo)).toHaveLength(commits);
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });

  it('a failing pre-commit hook: inc open leaves no folder, no file, nothing in the index', async () => {
    await withIncident();
    hook('exit 1');
    const result = await repo.inc(['open', 'Search is slow', '--sev', '3', '--at', '14:30']);
    expect(result.code).toBe(1);
    expect(existsSync(join(repo.dir, 'incidents', '2026-03-15-search-is-slow'))).toBe(false);
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(repo.git(['ls-files', 'incidents/2026-03-15-search-is-slow'])).toBe('');
  });

  it('inc killed by its hook while committing, the commit then refused: the entry stays on disk and the next write commits it', async () => {
    await withIncident();
    // $PPID is git; its parent is inc.
    hook('kill -9 $(ps -o ppid= -p $PPID); exit 1');
    const result = await repo.inc(['log', 'written, never committed']);
    expect(result.code).not.toBe(0);
    expect(rows(repo.read(TIMELINE)).some((r) => r.includes('written, never committed'))).toBe(true);
    expect(repo.git(['show', `HEAD:${TIMELINE}`])).not.toContain('written, never committed');
    rmSync(join(repo.dir, '.git', 'hooks', 'pre-commit'));
    expect((await repo.inc(['log', 'next one'])).code).toBe(0);
    const head = repo.git(['show', `HEAD:${TIMELINE}`]);
    expect(head).toContain('written, never committed');
    expect(head).toContain('next one');
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });

  it('inc killed by its hook, the commit then made: the commit has the file', async () => {
    await withIncident();
    hook('kill -9 $(ps -o ppid= -p $PPID); exit 0');
    await repo.inc(['log', 'committed by an orphaned git']);
    for (let waited = 0; commitSubjects(repo)[0]?.includes('orphaned') !== true && waited < 100; waited += 1) await sleep(50);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): log "committed by an orphaned git"`);
    expect(repo.git(['show', `HEAD:${TIMELINE}`])).toContain('committed by an orphaned git');
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });

  it('git reports a failure after the commit landed: inc keeps the files (no rollback under a commit that has them)', async () => {
    await withIncident();
    const bin = join(repo.dir, '..', 'fakebin');
    mkdirSync(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nfor a in "$@"; do if [ "$a" = commit ]; then "${realGit}" "$@"; echo "fatal: simulated failure after the commit" >&2; exit 1; fi; done\nexec "${realGit}" "$@"\n`,
      { mode: 0o755 },
    );
    const result = await repo.inc(['log', 'committed despite the error'], { env: { PATH: `${bin}:${repo.env.PATH}` } });
    expect(result.code, result.stderr).toBe(0);
    expect(repo.git(['show', `HEAD:${TIMELINE}`])).toContain('committed despite the error');
    expect(repo.read(TIMELINE)).toContain('committed despite the error');
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });

  it('git reports a failure and did not commit: inc rolls the file back', async () => {
    await withIncident();
    const before = readFileSync(join(repo.dir, TIMELINE));
    const bin = join(repo.dir, '..', 'fakebin');
    mkdirSync(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nfor a in "$@"; do if [ "$a" = commit ]; then echo "fatal: simulated failure before the commit" >&2; exit 1; fi; done\nexec "${realGit}" "$@"\n`,
      { mode: 0o755 },
    );
    const result = await repo.inc(['log', 'never committed'], { env: { PATH: `${bin}:${repo.env.PATH}` } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('simulated failure before the commit');
    expect(readFileSync(join(repo.dir, TIMELINE)).equals(before)).toBe(true);
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });
});
