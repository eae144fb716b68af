/**
 * End-to-end helpers: a temporary git repository with a fixed identity and branch, and inc
 * run in it with a pinned clock (INC_NOW), no terminal and no colour. HOME and git's global
 * config point into the temp folder so the machine's own config never leaks in.
 *
 * `repo.inc` and `repo.ok` run inc in-process through run(argv, context), as the binary does
 * but without starting Node for every command; git is still the real git, spawned with the
 * repository's environment. `repo.bin` and `repo.okBin` run the built binary, for the tests
 * whose subject is the process itself (signals, crashes, concurrent processes, the bin script).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { clockFromEnv, type Context, type TerminalStream } from '../../src/io/context.js';
import { run } from '../../src/main.js';
import { testEnvironment } from './env.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'inc.js');
export const DEFAULT_NOW = '2026-03-15T15:30:00Z';

export interface RunResult {
  /** The exit code, or -1 when a signal ended the process. */
  code: number;
  /** The signal that ended the process (a SIGKILL from a test or a hook), or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** In-process only: the file system's clock the caches use (see Context.fileClock). */
  fileClock?: () => number;
}

export interface TempRepo {
  dir: string;
  home: string;
  env: Record<string, string>;
  /** Runs `inc` in-process in the repository (or in `cwd`). */
  inc(args: string[], options?: RunOptions): Promise<RunResult>;
  /** Like inc(), but a non-zero exit fails the test with inc's stderr. */
  ok(args: string[], options?: RunOptions): Promise<RunResult>;
  /** Runs the built binary in the repository (or in `cwd`): for tests of the process itself. */
  bin(args: string[], options?: RunOptions): Promise<RunResult>;
  /** Like bin(), but a non-zero exit fails the test with inc's stderr. */
  okBin(args: string[], options?: RunOptions): Promise<RunResult>;
  git(args: string[], cwd?: string): string;
  read(path: string): string;
  write(path: string, content: string): void;
  cleanup(): void;
}

export function baseEnv(home: string): Record<string, string> {
  return testEnvironment(home, DEFAULT_NOW);
}

export function runBinary(args: string[], cwd: string, env: Record<string, string | undefined>, input?: string): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? -1, signal, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A stream that keeps what is written to it, synchronously, as a pipe would deliver it. */
export function collector(): { stream: TerminalStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  }) as TerminalStream;
  stream.isTTY = false;
  return { stream, text: () => text };
}

/**
 * Runs inc in-process through run(argv, context) with what the binary would get from the
 * process: `cwd`, `env` (INC_NOW pins the clock), stdin holding `input`, piped stdout/stderr.
 */
export async function runInProcess(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  input?: string,
  fileClock?: () => number,
): Promise<RunResult> {
  const stdout = collector();
  const stderr = collector();
  const stdin = Readable.from(input === undefined || input === '' ? [] : [input]) as Readable & { isTTY?: boolean };
  stdin.isTTY = false;
  // An unset variable (undefined) is left out, as spawn leaves it out of a child's environment.
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  const ctx: Context = { cwd, env: defined, now: clockFromEnv(env), stdin, stdout: stdout.stream, stderr: stderr.stream, fileClock };
  const code = await run(args, ctx);
  return { code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
}

async function succeeded(args: string[], result: Promise<RunResult>): Promise<RunResult> {
  const done = await result;
  if (done.code !== 0) throw new Error(`inc ${args.join(' ')} exited ${done.code}: ${done.stderr}`);
  return done;
}

/**
 * Repositories this test process has already made, by kind ('init', 'incident'), to be copied
 * rather than made again: git init, inc init and inc open are most of what a short test costs.
 * A copy is a new folder with new file times and inodes, as a repository made afresh would be.
 */
const templates = new Map<string, string>();
process.on('exit', () => {
  for (const template of templates.values()) rmSync(template, { recursive: true, force: true });
});

function fromTemplate(kind: string): TempRepo | undefined {
  const template = templates.get(kind);
  if (template === undefined) return undefined;
  const base = mkdtempSync(join(tmpdir(), 'inc-test-'));
  cpSync(template, base, { recursive: true });
  const repo = openRepo(join(base, 'ops'), baseEnv(join(base, 'home')));
  return { ...repo, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function keepAsTemplate(kind: string, repo: TempRepo): void {
  const template = mkdtempSync(join(process.env.INC_TEST_TEMPLATES ?? tmpdir(), 'inc-template-'));
  cpSync(dirname(repo.dir), template, { recursive: true });
  templates.set(kind, template);
}

/** A new git repository (branch main, no commits) with a fixed identity; `init: true` also runs `inc init`. */
export async function makeRepo(options: { init?: boolean; identity?: boolean } = {}): Promise<TempRepo> {
  const copy = options.init && options.identity !== false ? fromTemplate('init') : undefined;
  if (copy) return copy;
  const base = mkdtempSync(join(tmpdir(), 'inc-test-'));
  const dir = join(base, 'ops');
  const home = join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  const env = baseEnv(home);
  if (options.identity === false) {
    for (const key of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']) delete env[key];
    // git falls back to user@hostname only when it can; this makes it refuse instead.
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tuseConfigOnly = true\n');
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const repo: TempRepo = { ...openRepo(dir, env), cleanup: () => rmSync(base, { recursive: true, force: true }) };
  if (options.init) {
    const result = await repo.inc(['init']);
    if (result.code !== 0) throw new Error(`inc init failed: ${result.stderr}`);
    if (options.identity !== false) keepAsTemplate('init', repo);
  }
  return repo;
}

/**
 * The TempRepo interface over a folder that already exists (a second clone, a worktree), with
 * `env` as its environment. Its cleanup() removes nothing: the folder belongs to whoever made it.
 */
export function openRepo(dir: string, env: Record<string, string>): TempRepo {
  return {
    dir,
    home: env.HOME ?? dir,
    env,
    inc: (args, opts = {}) => runInProcess(args, opts.cwd ?? dir, { ...env, ...opts.env }, opts.input, opts.fileClock),
    ok: (args, opts = {}) => succeeded(args, runInProcess(args, opts.cwd ?? dir, { ...env, ...opts.env }, opts.input, opts.fileClock)),
    bin: (args, opts = {}) => runBinary(args, opts.cwd ?? dir, { ...env, ...opts.env }, opts.input),
    okBin: (args, opts = {}) => succeeded(args, runBinary(args, opts.cwd ?? dir, { ...env, ...opts.env }, opts.input)),
    // stderr piped, not inherited: git's hints and progress stay out of a green run (a failure still carries them).
    git: (args, cwd = dir) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    write: (path, content) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    cleanup: () => {},
  };
}

/** The id of the incident that makeRepoWithIncident() opens. */
export const PAYMENT_OUTAGE = '2026-03-15-payment-outage';

/**
 * A repository after `inc init` and `inc open "Payment outage" --sev 1 --at 14:05` (committed,
 * and this clone's current incident): where the write tests start.
 */
export async function makeRepoWithIncident(): Promise<TempRepo> {
  const copy = fromTemplate('incident');
  if (copy) return copy;
  const repo = await makeRepo({ init: true });
  try {
    const opened = await repo.ok(['open', 'Payment outage', '--sev', '1', '--at', '14:05']);
    if (opened.stdout !== `${PAYMENT_OUTAGE} opened 2026-03-15T14:05:00Z\n`) throw new Error(`inc open printed ${JSON.stringify(opened.stdout)}, not the id ${PAYMENT_OUTAGE}`);
  } catch (error) {
    repo.cleanup();
    throw error;
  }
  keepAsTemplate('incident', repo);
  return repo;
}

/**
 * A repository after `inc init` (or `start`) and what `build` does in it, made once per test process under
 * the name `kind` and copied for every later call: for a file whose tests all start from the
 * same few commands. `build` must do the same thing at every call (no test's own values).
 */
export async function makeRepoFrom(kind: string, build: (repo: TempRepo) => Promise<unknown>, start: () => Promise<TempRepo> = () => makeRepo({ init: true })): Promise<TempRepo> {
  const copy = fromTemplate(kind);
  if (copy) return copy;
  const repo = await start();
  try {
    await build(repo);
  } catch (error) {
    repo.cleanup();
    throw error;
  }
  keepAsTemplate(kind, repo);
  return repo;
}

/** Commit subjects, newest first. */
export function commitSubjects(repo: TempRepo): string[] {
  return repo.git(['log', '--format=%s']).trim().split('\n').filter(Boolean);
}

/** Files changed by a commit (default HEAD). */
export function commitFiles(repo: TempRepo, rev = 'HEAD'): string[] {
  return repo.git(['show', '--name-only', '--format=', rev]).trim().split('\n').filter(Boolean).sort();
}

/** Every file of the working tree (not .git) with its bytes: what a write that changes nothing leaves as it was. */
export function workingTreeFiles(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path);
      } else found[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return found;
}
