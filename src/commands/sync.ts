/**
 * inc sync: bring this clone up to date with its upstream branch and share its own commits,
 * `git pull --rebase` (or a merge) then `git push`, with plain words at every stop.
 *
 * Timeline appends from two clones combine without a conflict (init's .gitattributes gives
 * timeline.md git's union merge, which a rebase honours too). A real conflict (both edited
 * incident.md) stops with the files named, whether a rebase or merge is now in progress, and
 * how to finish or abort it; inc's writes refuse until it is finished. The clone's write
 * lock is held only while the working tree changes, not during the network calls.
 */
import { IncError, UsageError } from '../domain/errors.js';
import { plural } from '../domain/words.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { currentBranch, type GitRepo, type GitResult, gitWords, hasCommits, operationInProgress, runGit } from '../store/git.js';
import { acquireLock } from '../store/lock.js';
import { fetchUpstream, requireUpstream, type Upstream } from '../store/upstream.js';
import { openProject, type Project } from '../store/project.js';
import { dryRunOption, jsonOption, newCommand, printJson } from './shared.js';
import { RESOLVE_CONFLICT_MARKERS } from '../domain/frontmatter.js';
import { isIncidentId } from '../domain/ids.js';
import { MERGE_KIND } from '../domain/merge.js';
import { appendTimelineRows } from '../domain/timeline.js';
import { incidentExists, incidentPath, loadIncident, readOptionalFile, TIMELINE_FILE } from '../store/incidents.js';
import { ensureMergeDriver } from '../store/merge-driver.js';
import { type PendingNote, takePendingNotes } from '../store/merge-notes.js';
import { writeAndCommit } from '../store/write.js';

export interface SyncOptions {
  merge?: boolean;
  push: boolean;
  json?: boolean;
  /** Stash uncommitted changes for the rebase or merge and put them back after (git's --autostash). */
  autostash?: boolean;
}


export interface SyncResult {
  branch: string;
  upstream: string;
  mode: 'rebase' | 'merge';
  /** Commits that came in from the upstream branch. */
  pulled: number;
  /** Commits sent to it. */
  pushed: number;
}

/** Rounds of fetch, integrate, push when someone else pushes in between. */
const PUSH_ATTEMPTS = 3;

export function build(ctx: Context) {
  return newCommand('sync', 'Pull (rebase) and push: get everyone\'s incident commits and share yours', [
    'inc sync',
    'inc sync --merge          # merge instead of rebasing your local commits',
    'inc sync --no-push        # only bring this clone up to date',
    'inc sync --autostash      # with uncommitted edits: set them aside, sync, put them back',
    'inc sync --json',
    'inc sync --dry-run       # what it would pull and push; changes nothing',
  ])
    .option('--merge', 'merge the upstream branch instead of rebasing onto it')
    .option('--no-push', 'pull only; do not push')
    .option('--autostash', 'stash uncommitted changes before the rebase or merge and apply them after, as git does')
    .addOption(jsonOption())
    .addOption(dryRunOption())
    .action(async (opts: SyncOptions) => {
      if (opts.json && ctx.dryRun) throw new UsageError('--dry-run prints what sync would do as text; leave out --json');
      const result = await runSync(ctx, opts);
      if (opts.json) printJson(ctx, result);
    });
}

export async function runSync(ctx: Context, opts: SyncOptions): Promise<SyncResult> {
  const project = await openProject(ctx);
  // Nothing may open an editor or ask for a password: sync runs in scripts and hooks too.
  const repo: Project = { ...project, env: { ...project.env, GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no' } };
  const mode = opts.merge ? 'merge' : 'rebase';
  refuseWhileOperationInProgress(repo);
  const branch = await currentBranch(repo);
  if (!branch) {
    throw new IncError(
      'HEAD is detached (a tag or commit is checked out, not a branch), so there is nothing to sync',
      1,
      'Switch to your branch first (`git switch main`), then run inc sync again.',
    );
  }
  if (!(await hasCommits(repo))) {
    throw new IncError(`branch ${branch} has no commits yet, so there is nothing to sync`, 1, 'Run `inc init` (it makes the first commit), then push once: git push -u origin ' + branch);
  }
  const upstream = await requireUpstream(repo, branch);
  if (ctx.dryRun) {
    await previewSync(ctx, repo, upstream, mode, opts.push);
    return { branch, upstream: upstream.name, mode, pulled: 0, pushed: 0 };
  }
  const result: SyncResult = { branch, upstream: upstream.name, mode, pulled: 0, pushed: 0 };

  // Config is not cloned: make sure this clone merges incident.md with inc's driver.
  await ensureMergeDriver(repo);

  for (let attempt = 1; ; attempt += 1) {
    await fetchUpstream(repo, upstream);
    const integrated = await integrate(ctx, repo, upstream, mode, opts.autostash === true);
    result.pulled += integrated.pulled;
    report(ctx, upstream, mode, integrated);
    integrated.ahead += await recordMergeNotes(ctx, project);
    if (!opts.push || integrated.ahead === 0) break;
    const pushed = await push(repo, upstream);
    if (pushed === 'rejected' && attempt < PUSH_ATTEMPTS) {
      writeErr(ctx, `${upstream.name} moved while syncing (someone else pushed); pulling again.`);
      continue;
    }
    if (pushed === 'rejected') {
      throw new IncError(
        `${upstream.name} kept moving: ${PUSH_ATTEMPTS} pushes in a row were rejected because someone else pushed first`,
        1,
        'Your commits are safe in this clone. Run `inc sync` again in a moment.',
      );
    }
    result.pushed = integrated.ahead;
    writeErr(ctx, `Pushed ${plural(integrated.ahead, 'commit')} to ${upstream.name}.`);
    break;
  }
  if (!opts.push) writeErr(ctx, 'Not pushed (--no-push).');
  return result;
}


/**
 * Values a merge of incident.md did not keep (both clones changed the same field) go into the
 * incident's timeline, one commit per incident, while the merged value still holds. Returns
 * the number of commits made.
 */
async function recordMergeNotes(ctx: Context, project: Project): Promise<number> {
  const byIncident = new Map<string, PendingNote[]>();
  for (const note of takePendingNotes(project.stateDir)) {
    const list = byIncident.get(note.incident) ?? [];
    if (!list.some((other) => other.text === note.text && other.at === note.at)) list.push(note);
    byIncident.set(note.incident, list);
  }
  let commits = 0;
  for (const [id, notes] of byIncident) {
    if (!isIncidentId(id) || !incidentExists(project, id)) continue;
    const { frontMatter } = await loadIncident(project, id);
    const holding = notes.filter((note) => JSON.stringify(frontMatter.data[note.key] ?? null) === JSON.stringify(note.kept ?? null));
    if (holding.length === 0) continue;
    const path = incidentPath(id, TIMELINE_FILE);
    const written = await writeAndCommit(project, {}, ({ author }) => ({
      files: [{ path, content: appendTimelineRows(readOptionalFile(project, path) ?? '', holding.map((note) => ({ at: note.at, text: note.text, author: author.name, kind: MERGE_KIND }))) }],
      message: `inc(${id}): record ${plural(holding.length, 'value')} the merge did not keep`,
    }));
    if (written.committed) commits += 1;
    for (const note of holding) writeErr(ctx, `${id}: ${note.text}`);
  }
  return commits;
}

/**
 * --dry-run: what a sync would pull and push, from the remote's branch tip as `git ls-remote`
 * reads it (a fetch would write remote-tracking refs), compared with what this clone has.
 * Commits the clone has not fetched yet can be named but not counted.
 */
async function previewSync(ctx: Context, repo: Project, upstream: Upstream, mode: 'rebase' | 'merge', push: boolean): Promise<void> {
  const remote = await runGit(repo, ['ls-remote', '--exit-code', upstream.remote, upstream.mergeRef]);
  if (remote.code !== 0 && remote.code !== 2) {
    throw new IncError(`could not reach ${upstream.remote}: ${gitWords(remote)}`, 1, 'Check the network and your access to the remote; nothing was changed here.');
  }
  const tip = remote.code === 0 ? remote.stdout.split(/\s/)[0] : undefined;
  const lines = ['# inc sync --dry-run: nothing was fetched, changed or pushed.'];
  let ahead: number;
  if (tip === undefined) {
    ahead = Number((await runGit(repo, ['rev-list', '--count', 'HEAD'])).stdout.trim()) || 0;
    lines.push(`${upstream.name} does not exist yet: a sync would create it.`);
  } else {
    const known = (await runGit(repo, ['cat-file', '-e', `${tip}^{commit}`])).code === 0;
    const count = async (range: string) => Number((await runGit(repo, ['rev-list', '--count', range])).stdout.trim()) || 0;
    const behind = known ? await count(`HEAD..${tip}`) : undefined;
    ahead = known ? await count(`${tip}..HEAD`) : await count(`@{upstream}..HEAD`);
    if (behind === 0) lines.push(`Up to date with ${upstream.name}: nothing to pull.`);
    else {
      const incoming = behind === undefined ? `new commits (not fetched yet, so not counted) from ${upstream.name}` : `${plural(behind, 'commit')} from ${upstream.name}`;
      lines.push(`Would pull ${incoming}${ahead > 0 ? ` and ${mode === 'rebase' ? 'rebase' : 'merge'} ${plural(ahead, 'local commit')} ${mode === 'rebase' ? 'on top' : 'with them'}` : ''}.`);
    }
  }
  if (!push) lines.push('Would not push (--no-push).');
  else lines.push(ahead > 0 ? `Would push ${plural(ahead, 'commit')} to ${upstream.name}.` : 'Nothing to push.');
  ctx.stdout.write(`${lines.join('\n')}\n`);
}

function refuseWhileOperationInProgress(repo: Project): void {
  const operation = operationInProgress(repo.gitDir);
  if (operation) {
    throw new IncError(
      `${operation} is in progress in this repository (perhaps from an earlier inc sync), so sync does nothing until it is finished`,
      1,
      operation === 'a rebase'
        ? 'Resolve the conflicts (`git status` lists them), `git add` each file, then `git rebase --continue`; or give up with `git rebase --abort`. Then run inc sync again.'
        : operation === 'a merge'
          ? 'Resolve the conflicts (`git status` lists them), `git add` each file, then `git commit --no-edit`; or give up with `git merge --abort`. Then run inc sync again.'
          : 'Finish it or abort it (`git status` says how), then run inc sync again.',
    );
  }
}

async function upstreamExists(repo: GitRepo): Promise<boolean> {
  return (await runGit(repo, ['rev-parse', '--verify', '--quiet', '@{upstream}'])).code === 0;
}

async function aheadBehind(repo: GitRepo): Promise<{ ahead: number; behind: number }> {
  const result = await runGit(repo, ['rev-list', '--left-right', '--count', 'HEAD...@{upstream}']);
  if (result.code !== 0) {
    throw new IncError(`git could not compare this branch with its upstream: ${gitWords(result)}`, 1, 'Check that the upstream branch exists on the remote (`git branch -vv`).');
  }
  const [ahead, behind] = result.stdout.trim().split(/\s+/).map(Number);
  return { ahead: ahead ?? 0, behind: behind ?? 0 };
}

interface Integrated {
  /** Commits that came in. */
  pulled: number;
  /** Local commits not on the upstream branch, after integrating: what a push sends. */
  ahead: number;
  /** Local commits that were rebased or merged. */
  local: number;
  /** The upstream branch does not exist yet: the push creates it. */
  created?: boolean;
}

/** Rebases onto (or merges) the fetched upstream branch under the clone's write lock. */
async function integrate(ctx: Context, repo: Project, upstream: Upstream, mode: 'rebase' | 'merge', autostash: boolean): Promise<Integrated> {
  const lock = await acquireLock(repo.stateDir, repo.config.lockTimeoutSeconds * 1000);
  try {
    refuseWhileOperationInProgress(repo);
    if (!(await upstreamExists(repo))) {
      // A new remote (an empty bare repository, a new branch): the first push creates it.
      const ahead = Number((await runGit(repo, ['rev-list', '--count', 'HEAD'])).stdout.trim()) || 0;
      return { pulled: 0, ahead, local: ahead, created: true };
    }
    const { ahead, behind } = await aheadBehind(repo);
    if (behind === 0) return { pulled: 0, ahead, local: ahead };
    const args = mode === 'rebase' ? ['rebase', '--quiet'] : ['merge', '--no-edit', '--quiet', '@{upstream}'];
    if (autostash) args.splice(1, 0, '--autostash');
    const result = await runGit(repo, args);
    if (result.code !== 0) throw await integrationError(repo, upstream, mode, result);
    if (autostash && /autostash resulted in conflicts|stash entry is kept/i.test(result.stdout + result.stderr)) {
      // The sync itself went through; only the edits set aside clash with what came in.
      writeErr(
        ctx,
        'inc: warning: your uncommitted changes clash with the commits that came in, so git kept them in the stash instead of putting them back.\n' +
          'Run `git stash pop` and resolve what it reports (`git stash list` shows them).',
      );
    }
    return { pulled: behind, ahead: (await aheadBehind(repo)).ahead, local: ahead };
  } finally {
    lock.release();
  }
}

async function conflictedFiles(repo: GitRepo): Promise<string[]> {
  const result = await runGit(repo, ['diff', '--name-only', '--diff-filter=U']);
  return result.stdout.split('\n').filter(Boolean);
}

/** Why the rebase or merge stopped, and what state it left, in words a responder can act on. */
async function integrationError(repo: Project, upstream: Upstream, mode: 'rebase' | 'merge', result: GitResult): Promise<IncError> {
  const operation = operationInProgress(repo.gitDir);
  if (operation) {
    const files = await conflictedFiles(repo);
    const listed = files.length > 0 ? files.map((f) => `  ${f}`).join('\n') : '  (see `git status`)';
    const rebase = operation === 'a rebase';
    return new IncError(
      `sync stopped: these files were changed both here and on ${upstream.name}, and git cannot combine the two versions:\n${listed}\n` +
        (rebase
          ? `A rebase is in progress: your local commits are being replayed on top of ${upstream.name}. Nothing was pushed.`
          : `A merge is in progress: ${upstream.name} is being merged into your branch. Nothing was pushed.`) +
        '\nUntil it is finished, inc writes nothing (inc log and the other commands refuse).',
      1,
      [
        'To finish:',
        `  1. Edit each file above: ${RESOLVE_CONFLICT_MARKERS.charAt(0).toLowerCase()}${RESOLVE_CONFLICT_MARKERS.slice(1)}.`,
        '  2. git add <each file>',
        rebase ? '  3. git rebase --continue   (git may stop again at a later commit: repeat 1-3)' : '  3. git commit --no-edit',
        '  4. inc sync   (to push)',
        rebase
          ? 'To give up and go back to where you were before the sync: git rebase --abort'
          : 'To give up and go back to where you were before the sync: git merge --abort',
      ].join('\n'),
    );
  }
  const words = gitWords(result);
  if (/unstaged changes|uncommitted changes|would be overwritten|Please commit your changes or stash them|index contains/i.test(words)) {
    const status = await runGit(repo, ['status', '--porcelain', '--untracked-files=no']);
    const changed = status.stdout.split('\n').filter(Boolean).map((line) => `  ${line.slice(3)}`);
    return new IncError(
      `sync stopped before changing anything: this clone has uncommitted changes that the ${mode} would have to touch:\n${changed.slice(0, 10).join('\n')}`,
      1,
      mode === 'rebase'
        ? 'Commit them, or run `inc sync --autostash` (it sets them aside and puts them back). `inc sync --merge` works around changes in files that the incoming commits do not touch.'
        : 'Commit them, or run `inc sync --merge --autostash` (it sets them aside and puts them back).',
    );
  }
  return new IncError(`sync stopped: git could not ${mode} onto ${upstream.name}: ${words}`, 1, 'Nothing was pushed. `git status` shows the state of this clone.');
}

/** Pushes HEAD to the upstream branch; 'rejected' when someone else pushed first. */
async function push(repo: GitRepo, upstream: Upstream): Promise<'pushed' | 'rejected'> {
  const result = await runGit(repo, ['push', '--quiet', '--porcelain', upstream.remote, `HEAD:${upstream.mergeRef}`]);
  if (result.code === 0) return 'pushed';
  // Rejected as not a fast-forward, or (two pushes at the same instant) the remote's ref moved
  // while it was being updated: both mean pull again.
  if (/\[rejected\]|non-fast-forward|fetch first|\(stale info\)|cannot lock ref|but expected/.test(result.stdout + result.stderr)) return 'rejected';
  throw new IncError(
    `could not push to ${upstream.remote}: ${gitWords(result)}`,
    1,
    'Your commits are safe in this clone (they are rebased and ready). Check your access to the remote, then run inc sync again.',
  );
}

function report(ctx: Context, upstream: Upstream, mode: 'rebase' | 'merge', integrated: Integrated): void {
  if (integrated.created) {
    writeErr(ctx, `${upstream.name} does not exist yet; pushing creates it.`);
    return;
  }
  if (integrated.pulled === 0) {
    writeErr(ctx, integrated.ahead === 0 ? `Up to date with ${upstream.name}.` : `Nothing new on ${upstream.name}.`);
    return;
  }
  const incoming = `Pulled ${plural(integrated.pulled, 'commit')} from ${upstream.name}`;
  if (integrated.local === 0) writeErr(ctx, `${incoming}.`);
  else if (mode === 'rebase') writeErr(ctx, `${incoming}; rebased ${plural(integrated.local, 'local commit')} on top.`);
  else writeErr(ctx, `${incoming}; merged with ${plural(integrated.local, 'local commit')}.`);
}
