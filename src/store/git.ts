/**
 * The only module that talks to git. It runs the git binary directly rather than through
 * simple-git: every write command is on the critical path of an incident and of the start-up
 * budget, simple-git costs a module load per command and drops the GIT_* variables that CI
 * sets, and we need git's exact stderr to handle index.lock contention
 * (docs/decisions/0060-git-without-simple-git.md).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IncError } from '../domain/errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitRepo {
  root: string;
  gitDir: string;
  env: Record<string, string | undefined>;
}

export function runGit(repo: Pick<GitRepo, 'root' | 'env'>, args: string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: repo.root,
        env: { ...repo.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } as NodeJS.ProcessEnv,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          reject(new IncError(`could not run git: ${error.message}`, 1, 'Is git installed and on the PATH?'));
          return;
        }
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** What git said about a failure, its first lines: enough to act on, short enough to read. */
export function gitWords(result: GitResult): string {
  return (result.stderr || result.stdout).trim().split('\n').slice(0, 6).join('\n');
}

/** Runs git and turns a failure into a plain error carrying git's own words. */
export async function git(repo: Pick<GitRepo, 'root' | 'env'>, args: string[], what: string): Promise<string> {
  const result = await runGit(repo, args);
  if (result.code !== 0) {
    const detail = gitWords(result);
    throw new IncError(`git could not ${what}: ${detail}`);
  }
  return result.stdout;
}

export interface Identity {
  name: string;
  email: string;
}

/** The author git would use, or an error that says how to set one (nothing is written first). */
export async function gitIdentity(repo: GitRepo): Promise<Identity> {
  const result = await runGit(repo, ['var', 'GIT_AUTHOR_IDENT']);
  const m = /^(.*?) <([^>]*)>/.exec(result.stdout);
  if (result.code !== 0 || !m || m[1]!.trim() === '') {
    throw new IncError(
      'git does not know who you are, so inc cannot commit; nothing was written',
      1,
      'Run: git config --global user.name "Your Name" && git config --global user.email you@example.com',
    );
  }
  return { name: m[1]!.trim(), email: m[2]! };
}

/** A merge, rebase, cherry-pick or revert in progress: writes wait until it is finished. */
export function operationInProgress(gitDir: string): string | undefined {
  const markers: [string, string][] = [
    ['MERGE_HEAD', 'a merge'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
  ];
  return markers.find(([file]) => existsSync(join(gitDir, file)))?.[1];
}

/**
 * A detached HEAD (a checked-out tag or commit): a commit there belongs to no branch and
 * drops out of sight at the next `git switch`. Read from the HEAD file: no git process.
 */
export function detachedHead(gitDir: string): boolean {
  try {
    return !readFileSync(join(gitDir, 'HEAD'), 'utf8').startsWith('ref: ');
  } catch {
    return false;
  }
}

function indexLocked(result: GitResult): boolean {
  return /index\.lock': File exists|Unable to create .*\.lock/.test(result.stderr);
}

/**
 * Runs a git command that takes the index lock, retrying while another git process (an IDE,
 * a second clone's hook, a user's `git status`) holds it.
 */
async function withIndexRetry(repo: GitRepo, args: string[]): Promise<GitResult> {
  let result = await runGit(repo, args);
  for (let attempt = 0; attempt < 40 && result.code !== 0 && indexLocked(result); attempt += 1) {
    await sleep(25 + attempt * 10);
    result = await runGit(repo, args);
  }
  return result;
}

/**
 * Commits exactly `paths` (relative to the root) with `message`; `--only` leaves whatever
 * else the user staged untouched and uncommitted. Returns false when there was nothing to commit.
 */
export async function commitPaths(repo: GitRepo, paths: string[], message: string): Promise<boolean> {
  const commit = () => withIndexRetry(repo, ['commit', '--quiet', '-m', message, '--only', '--', ...paths]);
  // `--only` takes tracked files from the working tree itself, so the usual write (an append
  // to a timeline) needs no `git add`: one git process fewer. A path git does not
  // know yet (a new file, an untracked .gitattributes) is refused before anything happens;
  // it is added, then committed.
  let result = await commit();
  if (result.code !== 0 && /did not match any file\(s\) known to git/.test(result.stderr)) {
    const added = await withIndexRetry(repo, ['add', '--', ...paths]);
    if (added.code !== 0) throw new IncError(`git could not add ${paths.join(', ')}: ${added.stderr.trim()}`);
    result = await commit();
  }
  if (result.code === 0) return true;
  if (/nothing to commit|no changes added/.test(result.stdout + result.stderr)) return false;
  throw commitError(repo, result);
}

/** git's refusal to commit, in words that say what to do. */
function commitError(repo: GitRepo, result: GitResult): IncError {
  if (indexLocked(result)) {
    // Usually .git/index.lock; after a crash it can be a branch's lock (refs/heads/main.lock).
    const lock = /Unable to create '([^']+\.lock)'/.exec(result.stderr)?.[1] ?? join(repo.gitDir, 'index.lock');
    const shown = lock.startsWith(repo.gitDir) ? `.git${lock.slice(repo.gitDir.length)}` : lock;
    return new IncError(
      `another git process held the lock ${shown} through 9 s of retries, so inc could not commit; nothing was written`,
      1,
      `If no git command or editor is running in ${repo.root}, a git process crashed earlier: remove ${lock} and run the command again.`,
    );
  }
  if (/unmerged files|unresolved conflict/i.test(result.stderr + result.stdout)) {
    return new IncError(
      'this repository has files with unresolved conflicts, so git cannot commit; nothing was written',
      1,
      '`git status` lists them: resolve each one (edit it, then `git add` it), finish with `git commit`, then run the command again.',
    );
  }
  return new IncError(`git could not commit: ${gitWords(result)}`);
}

/**
 * Whether HEAD already holds the working-tree content of `paths`: after git reported a failed
 * commit, this tells a commit that did land (a hook or signal after the ref moved) from one
 * that did not, so the files are not rolled back under a commit that has them.
 */
export async function headMatchesWorkingTree(repo: GitRepo, paths: string[]): Promise<boolean> {
  // Clean means HEAD, the index and the files agree; an untracked or ignored file is listed too.
  const status = await runGit(repo, ['status', '--porcelain', '--untracked-files=all', '--ignored', '--', ...paths]);
  return status.code === 0 && status.stdout.trim() === '';
}

/** Puts the index entries of `paths` back as in HEAD after a failed commit (none: out of the index). */
export async function unstage(repo: GitRepo, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const reset = await runGit(repo, ['reset', '--quiet', '--', ...paths]);
  if (reset.code !== 0) await runGit(repo, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...paths]);
}

export async function currentBranch(repo: GitRepo): Promise<string | undefined> {
  const result = await runGit(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

export async function hasCommits(repo: GitRepo): Promise<boolean> {
  return (await runGit(repo, ['rev-parse', '--verify', '--quiet', 'HEAD'])).code === 0;
}

/** Changed, staged or untracked files under `paths`, as `git status --porcelain` lists them. */
export async function uncommittedChanges(repo: GitRepo, paths: string[]): Promise<string[]> {
  const result = await runGit(repo, ['status', '--porcelain', '--untracked-files=all', '--', ...paths]);
  if (result.code !== 0) throw new IncError(`git could not read the status of ${paths.join(', ')}: ${result.stderr.trim()}`);
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

export async function branchExists(repo: GitRepo, name: string): Promise<boolean> {
  return (await runGit(repo, ['show-ref', '--verify', '--quiet', `refs/heads/${name}`])).code === 0;
}

/**
 * The branch HEAD is on, read from the HEAD file (no git process: every write asks), or
 * undefined when HEAD is detached or unreadable.
 */
export function headBranch(gitDir: string): string | undefined {
  try {
    const m = /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(join(gitDir, 'HEAD'), 'utf8'));
    return m ? m[1]!.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The branch a person most likely works on: the remote's default branch (origin/HEAD), else a
 * local main or master. For hints only: never acted upon.
 */
export async function mainBranchName(repo: GitRepo): Promise<string | undefined> {
  const remoteHead = await runGit(repo, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (remoteHead.code === 0 && remoteHead.stdout.trim().startsWith('origin/')) return remoteHead.stdout.trim().slice('origin/'.length);
  for (const name of ['main', 'master']) if (await branchExists(repo, name)) return name;
  return undefined;
}

export interface BranchCommit {
  branch: string;
  /** The commit the new branch starts from. */
  parent: string;
  files: { path: string; content: string }[];
  message: string;
}

/**
 * Creates `branch` with one commit on top of `parent` holding `files`, built with git's
 * plumbing in a temporary index: the user's working tree, index and current branch are
 * never touched (see docs/decisions). The branch must not exist yet: update-ref with an
 * empty old value refuses to move a branch someone made meanwhile. Hooks do not run, as for
 * any commit made without `git commit`.
 */
export async function commitToNewBranch(repo: GitRepo & { stateDir: string }, plan: BranchCommit): Promise<string> {
  mkdirSync(repo.stateDir, { recursive: true });
  const index = join(repo.stateDir, `index-${process.pid}-${randomBytes(4).toString('hex')}`);
  const withIndex = { root: repo.root, env: { ...repo.env, GIT_INDEX_FILE: index } };
  const step = async (args: string[], what: string, input?: string): Promise<string> => {
    const result = await runGit(withIndex, args, input);
    if (result.code !== 0) throw new IncError(`git could not ${what}: ${gitWords(result)}; nothing was written`);
    return result.stdout.trim();
  };
  try {
    await step(['read-tree', plan.parent], `read the tree of ${plan.parent}`);
    for (const file of plan.files) {
      const blob = await step(['hash-object', '-w', '--stdin', `--path=${file.path}`], `store ${file.path}`, file.content);
      await step(['update-index', '--add', '--cacheinfo', `100644,${blob},${file.path}`], `stage ${file.path}`);
    }
    const tree = await step(['write-tree'], 'write the tree');
    const commit = await step(['commit-tree', tree, '-p', plan.parent, '-m', plan.message], 'make the commit');
    await step(['update-ref', '-m', plan.message, `refs/heads/${plan.branch}`, commit, ''], `create branch ${plan.branch}`);
    return commit;
  } finally {
    rmSync(index, { force: true });
  }
}

/** Switches to an existing branch; git refuses (and changes nothing) when local changes are in the way. */
export async function switchBranch(repo: GitRepo, name: string): Promise<GitResult> {
  return withIndexRetry(repo, ['switch', '--quiet', name]);
}

/** The commit a ref names, or undefined when the ref names none here (not fetched, a typo). */
export async function resolveCommit(repo: Pick<GitRepo, 'root' | 'env'>, ref: string): Promise<string | undefined> {
  // --end-of-options: a ref from the command line is never read as an option of git's.
  const result = await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** What a path holds in a commit: a file's text, or why it holds none that inc will read. */
export type FileAtCommit = { kind: 'file'; text: string } | { kind: 'missing' } | { kind: 'refused'; why: string };

/**
 * Reads files as a commit holds them, through git's plumbing (ls-tree, cat-file) and never
 * through the working tree: what `inc check --config-from` trusts must not come from the pull
 * request checked out there. Only regular files no larger than `maxBytes` are read.
 */
export async function readFilesAtCommit(repo: Pick<GitRepo, 'root' | 'env'>, commit: string, paths: string[], maxBytes: number): Promise<Map<string, FileAtCommit>> {
  const listing = await git(repo, ['ls-tree', '-z', '-l', '--full-tree', commit, '--', ...paths], `list files of commit ${commit}`);
  const found = new Map<string, { mode: string; type: string; oid: string; size: number }>();
  for (const record of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (m) found.set(m[5]!, { mode: m[1]!, type: m[2]!, oid: m[3]!, size: Number(m[4]) });
  }
  const files = new Map<string, FileAtCommit>();
  for (const path of paths) {
    const entry = found.get(path);
    if (!entry) files.set(path, { kind: 'missing' });
    else if (entry.type !== 'blob' || entry.mode === '120000') files.set(path, { kind: 'refused', why: 'is not a regular file' });
    else if (entry.size > maxBytes) files.set(path, { kind: 'refused', why: `${Math.round(entry.size / 1024)} KiB is larger than inc reads` });
    else files.set(path, { kind: 'file', text: await git(repo, ['cat-file', 'blob', entry.oid], `read ${path} of commit ${commit}`) });
  }
  return files;
}
