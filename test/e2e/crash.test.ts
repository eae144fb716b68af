/**
 * Crash safety: a write interrupted at any point leaves the old file or the new one, never a
 * truncated one, and no commit lacks its file. Shown two ways: inc processes killed with
 * SIGKILL while they write (alone and together with their git child), at points a hook holds
 * them at and at spread-out moments, and failures injected into the commit step (a failing
 * hook, a hook that kills inc, a git that reports failure after committing).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTimeline } from '../../src/domain/timeline.js';
import { BIN, commitSubjects, makeRepoWithIncident, PAYMENT_OUTAGE as ID, type TempRepo } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const TIMELINE = `incidents/${ID}/timeline.md`;
const INCIDENT = `incidents/${ID}/incident.md`;
const ROW = /^\| \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \| .+ \| .* \| .* \|$/;

async function withIncident(): Promise<void> {
  repo = await makeRepoWithIncident();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = 'completed' | 'failed' | 'killed';

interface Writer {
  outcome: Promise<Outcome>;
  /** SIGKILL to inc, or to its whole process group (its git and git's hook too) when started with `group`. */
  kill(): void;
}

/** Starts `inc log <text>` in the repository. */
function startLog(text: string, group: boolean): Writer {
  const child = spawn(process.execPath, [BIN, 'log', text], { cwd: repo.dir, env: repo.env, stdio: 'ignore', detached: group });
  const outcome = new Promise<Outcome>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? 'killed' : code === 0 ? 'completed' : 'failed'));
  });
  const kill = () => {
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  };
  return { outcome, kill };
}

/** Runs `inc log <text>` and kills it with SIGKILL after `delayMs` unless it has ended by then. */
function logAndKill(text: string, delayMs: number, group: boolean): Promise<Outcome> {
  const writer = startLog(text, group);
  const timer = setTimeout(writer.kill, delayMs);
  return writer.outcome.finally(() => clearTimeout(timer));
}

function rows(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('| 2026'));
}

/** How many rows of `text` hold the entry `entry`. */
function rowsOf(text: string, entry: string): number {
  return rows(text).filter((row) => row.includes(`| ${entry} |`)).length;
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

/**
 * A pre-commit hook that stops a commit at a known point: while the hold file exists, it
 * creates the held file and waits (20 s at most) for the release file, then refuses the
 * commit. A commit stopped there has its writer's entry on disk, under inc's write lock.
 */
function holdingHook(): { hold: string; held: string; release: string } {
  const base = join(repo.dir, '..');
  const paths = { hold: join(base, 'hold'), held: join(base, 'held'), release: join(base, 'release') };
  const q = (path: string) => JSON.stringify(path);
  writeFileSync(
    join(repo.dir, '.git', 'hooks', 'pre-commit'),
    `#!/bin/sh\n[ -f ${q(paths.hold)} ] || exit 0\n: > ${q(paths.held)}\ni=0\n` +
      `while [ ! -f ${q(paths.release)} ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done\nrm -f ${q(paths.held)}\nexit 1\n`,
    { mode: 0o755 },
  );
  return paths;
}

describe('inc log killed with SIGKILL mid-write', () => {
  it('3 writers killed at known points and 60 killed at spread-out moments, 4 at a time: every file parses, fsck is clean, nothing committed is lost', async () => {
    await withIncident();
    const outcomes: Record<string, Outcome> = {};
    const indexLock = join(repo.dir, '.git', 'index.lock');
    const writeLock = join(repo.dir, '.git', 'inc', 'write.lock');

    // Known points first, so that what is asserted does not hang on the machine's speed.
    const hook = holdingHook();
    writeFileSync(hook.hold, '');
    // 1. inc killed alone while its git commits: it holds the write lock and its entry is on disk.
    const alone = startLog('held, inc killed alone', false);
    await waitFor('the commit of "held, inc killed alone" to reach the hook', () => existsSync(hook.held));
    expect(rowsOf(repo.read(TIMELINE), 'held, inc killed alone')).toBe(1);
    expect(existsSync(writeLock)).toBe(true);
    // 2. A writer started now cannot take the lock while that inc lives: killed before it writes anything.
    const waiting = startLog('killed before taking the lock', false);
    await sleep(300); // most likely waiting for the lock by now; killed earlier, it has written nothing either
    waiting.kill();
    outcomes['killed before taking the lock'] = await waiting.outcome;
    alone.kill();
    outcomes['held, inc killed alone'] = await alone.outcome;
    // Its git, orphaned, goes on: the hook, released, refuses the commit.
    writeFileSync(hook.release, '');
    await waitFor('the orphaned git to finish', () => !existsSync(hook.held) && !existsSync(indexLock));
    rmSync(hook.release);
    // 3. inc killed together with its git, in the middle of the commit.
    const together = startLog('held, killed with its git', true);
    await waitFor('the commit of "held, killed with its git" to reach the hook', () => existsSync(hook.held));
    expect(rowsOf(repo.read(TIMELINE), 'held, killed with its git')).toBe(1);
    together.kill();
    outcomes['held, killed with its git'] = await together.outcome;
    rmSync(join(repo.dir, '.git', 'hooks', 'pre-commit'));
    const staleLocks = removeGitLocks();
    // 4. The next writer, not killed, completes and commits the entries the killed ones left on disk.
    outcomes['after the held writers'] = await startLog('after the held writers', false).outcome;
    expect(outcomes).toEqual({
      'killed before taking the lock': 'killed',
      'held, inc killed alone': 'killed',
      'held, killed with its git': 'killed',
      'after the held writers': 'completed',
    });
    const recovered = repo.git(['show', `HEAD:${TIMELINE}`]);
    expect(rowsOf(recovered, 'held, inc killed alone')).toBe(1);
    expect(rowsOf(recovered, 'held, killed with its git')).toBe(1);
    expect(rowsOf(recovered, 'killed before taking the lock')).toBe(0);

    // Then moments spread over start-up, the lock, the file write and the commit: whether each
    // writer completes or is killed depends on the machine; the invariants below hold for both.
    const WRITERS = 60;
    for (let start = 0; start < WRITERS; start += 4) {
      const batch = Array.from({ length: Math.min(4, WRITERS - start) }, (_, k) => start + k);
      await Promise.all(
        batch.map(async (i) => {
          // The last 12 also kill git.
          outcomes[`crash ${i}`] = await logAndKill(`crash ${i}`, 30 + ((i * 37) % 220), i >= WRITERS - 12);
        }),
      );
    }
    // Orphaned git children (their inc was killed alone) finish on their own.
    for (let waited = 0; existsSync(indexLock) && waited < 100; waited += 1) await sleep(50);
    staleLocks.push(...removeGitLocks());

    await repo.ok(['log', 'after the crashes']);

    const writers = Object.keys(outcomes);
    const completed = writers.filter((t) => outcomes[t] === 'completed');
    const killed = writers.filter((t) => outcomes[t] === 'killed');
    const failed = writers.filter((t) => outcomes[t] === 'failed');
    const text = repo.read(TIMELINE);
    const finalRows = rows(text);
    const killedWithRow = killed.filter((t) => rowsOf(text, t) > 0);
    console.log(
      `crash loop: ${writers.length} writers, ${completed.length} completed, ${killed.length} killed (${killedWithRow.length} of them had written their row, ` +
        `committed by the next writer), ${failed.length} failed; git locks left by killed git processes: ${staleLocks.length ? staleLocks.join(', ') : 'none'}`,
    );
    expect(failed).toEqual([]);
    expect(completed.length + killed.length).toBe(WRITERS + 4);
    expect(killed.length).toBeGreaterThan(0);
    expect(completed.length).toBeGreaterThan(0);
    // A completed write's entry is there exactly once; a killed one's at most once.
    for (const t of completed) expect(rowsOf(text, t), t).toBe(1);
    for (const t of killed) expect(rowsOf(text, t), t).toBeLessThanOrEqual(1);
    // No row comes from anywhere else: the declaration, the writers above and the last write.
    expect(finalRows).toHaveLength(1 + completed.length + killedWithRow.length + 1);
    expect(rowsOf(text, 'after the crashes')).toBe(1);

    // Every file parses; every row is whole; no entry appears twice.
    const parsed = parseTimeline(text, TIMELINE);
    expect(parsed.problems).toEqual([]);
    for (const line of text.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---') && !l.startsWith('| Time'))) expect(line).toMatch(ROW);
    expect(new Set(finalRows).size).toBe(finalRows.length);
    const shown = await repo.ok(['show', ID, '--json']);
    expect(shown.stderr).toBe('');

    // Every write that reported success is committed, and so is every row a killed writer left.
    const head = execFileSync('git', ['show', `HEAD:${TIMELINE}`], { cwd: repo.dir, encoding: 'utf8' });
    for (const t of completed) expect(head).toContain(`| ${t} |`);
    expect(head).toBe(text);

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
    expect(existsSync(writeLock)).toBe(false);
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
    const result = await repo.bin(['log', 'written, never committed']);
    expect(result.code).not.toBe(0);
    expect(result.signal).toBe('SIGKILL');
    expect(rows(repo.read(TIMELINE)).some((r) => r.includes('written, never committed'))).toBe(true);
    expect(repo.git(['show', `HEAD:${TIMELINE}`])).not.toContain('written, never committed');
    rmSync(join(repo.dir, '.git', 'hooks', 'pre-commit'));
    await repo.ok(['log', 'next one']);
    const head = repo.git(['show', `HEAD:${TIMELINE}`]);
    expect(head).toContain('written, never committed');
    expect(head).toContain('next one');
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });

  it('inc killed by its hook, the commit then made: the commit has the file', async () => {
    await withIncident();
    hook('kill -9 $(ps -o ppid= -p $PPID); exit 0');
    const result = await repo.bin(['log', 'committed by an orphaned git']);
    // Killed, not finished: otherwise inc itself would have made the commit checked below.
    expect(result.signal).toBe('SIGKILL');
    await waitFor('the orphaned git to commit', () => commitSubjects(repo)[0]?.includes('orphaned') === true, 5_000, 50);
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
    await repo.ok(['log', 'committed despite the error'], { env: { PATH: `${bin}:${repo.env.PATH}` } });
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
