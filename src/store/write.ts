/**
 * The one way inc writes: under the clone's lock, refuse while git is mid-merge, check the
 * git identity before touching anything, write each file atomically, then make one commit
 * holding exactly those files. If the commit fails, every file is put back as it was, so a
 * refused or failed command leaves no file and no commit behind.
 */
import { existsSync, lstatSync, readFileSync, realpathSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IncError, WritePreview } from '../domain/errors.js';
import { CONFLICT_MARKER_PROBLEM, conflictStartLine, RESOLVE_CONFLICT_MARKERS } from '../domain/frontmatter.js';
import { removeStaleTemporaryFiles, writeFileAtomic } from './atomic.js';
import { commitPaths, commitToNewBranch, detachedHead, gitIdentity, headBranch, headMatchesWorkingTree, type Identity, mainBranchName, operationInProgress, runGit, unstage } from './git.js';
import { startBackgroundPush } from './background-push.js';
import { acquireLock } from './lock.js';
import { ensureMergeDriver } from './merge-driver.js';
import { absolutePath, ifPresent, type Project, replaceLink, repoPath } from './project.js';

export interface FileChange {
  /** Repository-relative path with forward slashes. */
  path: string;
  content: string;
}

export interface WritePlan {
  files: FileChange[];
  /** Commit message: names the incident and the action. */
  message: string;
}

export interface WriteOptions {
  /** --no-commit: write the files, leave committing to the user. */
  noCommit?: boolean;
}

export interface WriteResult {
  committed: boolean;
  paths: string[];
}

export interface WriteSession {
  /** Who is writing (git's author), for timeline entries. */
  author: Identity;
}

async function authorWithoutCommit(project: Project): Promise<Identity> {
  try {
    return await gitIdentity(project);
  } catch {
    return { name: project.env.USER ?? project.env.USERNAME ?? 'unknown', email: '' };
  }
}

/**
 * Refuses a target that is not a plain path inside the repository: `..`, a folder that is a
 * symbolic link (a hostile pull request can commit `incidents/x -> /etc`), or a file that is
 * one. Writing through either would change a file outside the repository. Stricter than
 * reading (project.ts follows a link that stays inside the repository): a write through a
 * link would change a file other than the one the commit names.
 */
function assertWritable(project: Project, realRoot: string, path: string): void {
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new IncError(`refused to write ${path}: not a plain path inside the repository`);
  }
  const absolute = absolutePath(project, path);
  let existing = dirname(absolute);
  while (!existsSync(existing)) existing = dirname(existing);
  const folder = repoPath(project, existing);
  if (realpathSync.native(existing) !== join(realRoot, folder)) {
    throw new IncError(
      `refused to write ${path}: ${folder} is a symbolic link, and inc writes only inside the repository`,
      1,
      `${replaceLink('folder')}, then run the command again.`,
    );
  }
  if (isSymbolicLink(absolute)) {
    throw new IncError(`refused to write ${path}: it is a symbolic link, and inc writes only plain files inside the repository`, 1, `${replaceLink('file')}, then run the command again.`);
  }
}

/**
 * A file left conflicted by a merge, rebase or stash (`<<<<<<<` lines) is not written to: the
 * commit would carry the markers into history. The rest of a conflicted repository is the
 * user's; a commit of exactly inc's files does not touch it.
 */
function refuseConflictMarkers(path: string, old: Buffer | undefined): void {
  // Bytes first: most files hold no marker, and then none needs decoding.
  if (old === undefined || !old.includes('<<<<<<<')) return;
  const line = conflictStartLine(old.toString('utf8'));
  if (line === undefined) return;
  throw new IncError(
    `${path}:${line}: ${CONFLICT_MARKER_PROBLEM}; nothing was written`,
    1,
    `${RESOLVE_CONFLICT_MARKERS}, \`git add\` the file, then run the command again.`,
  );
}

/** The prefix of the branches `inc postmortem` reviews a postmortem on. */
export const REVIEW_BRANCH_PREFIX = 'postmortem/';

/**
 * On `postmortem/<id>`, a write for another incident would be committed to that review
 * branch, out of the team's sight until the review merges (and `inc sync` has no upstream to
 * push it to): refused, with the way back. Writes for the reviewed incident itself are fine.
 */
async function refuseOtherIncidentOnReviewBranch(project: Project, files: FileChange[]): Promise<void> {
  const branch = headBranch(project.gitDir);
  if (!branch?.startsWith(REVIEW_BRANCH_PREFIX)) return;
  const reviewed = branch.slice(REVIEW_BRANCH_PREFIX.length);
  const other = files.map((file) => /^incidents\/([^/]+)\//.exec(file.path)?.[1]).find((id) => id !== undefined && id !== reviewed);
  if (other === undefined) return;
  const main = await mainBranchName(project);
  throw new IncError(
    `this clone is on branch ${branch}, the review of ${reviewed}'s postmortem: a write for ${other} would be committed there, where the team does not see it; nothing was written`,
    1,
    `Switch back first (git switch ${main ?? '<your main branch>'}), then run the command again. Edit the postmortem on its branch when the incident is over.`,
  );
}

/**
 * Commits the planned files to a new branch starting at HEAD, without touching the working
 * tree, the index or the current branch (git plumbing in a temporary index): under the lock,
 * with the same identity check as every write. Returns the new commit.
 */
export async function writeToNewBranch(project: Project, branch: string, plan: (session: WriteSession) => Promise<WritePlan> | WritePlan): Promise<string> {
  const lock = await acquireLock(project.stateDir, project.config.lockTimeoutSeconds * 1000);
  try {
    const author = await gitIdentity(project);
    const { files, message } = await plan({ author });
    const parent = await headCommit(project);
    if (project.dryRun) {
      const before = await Promise.all(files.map((file) => fileAtCommit(project, parent, file.path)));
      throw new WritePreview({ files: files.map((file, i) => ({ path: file.path, before: before[i], after: file.content })), message, branch });
    }
    return await commitToNewBranch(project, { branch, parent, files, message });
  } finally {
    lock.release();
  }
}

/** A file's text in a commit, or undefined where the commit has no such file. */
async function fileAtCommit(project: Project, commit: string, path: string): Promise<string | undefined> {
  const result = await runGit(project, ['cat-file', 'blob', `${commit}:${path}`]);
  return result.code === 0 ? result.stdout : undefined;
}

async function headCommit(project: Project): Promise<string> {
  const result = await runGit(project, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (result.code !== 0) {
    throw new IncError('this repository has no commit yet, so there is nothing to branch from; nothing was written', 1, 'Commit the incident first.');
  }
  return result.stdout.trim();
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Runs `plan` under the write lock and applies what it returns. `plan` reads the files it
 * changes inside the lock, so two processes appending at once both keep their entry.
 */
export async function writeAndCommit(
  project: Project,
  options: WriteOptions,
  plan: (session: WriteSession) => Promise<WritePlan> | WritePlan,
): Promise<WriteResult> {
  const commit = options.noCommit ? false : project.config.commit;
  const lock = await acquireLock(project.stateDir, project.config.lockTimeoutSeconds * 1000);
  try {
    const operation = operationInProgress(project.gitDir);
    if (operation) {
      throw new IncError(
        `${operation} is in progress in this repository; inc writes nothing until it is finished`,
        1,
        'Finish it (resolve conflicts, then `git add` and `git commit` / `git rebase --continue`) or abort it, then run the command again.',
      );
    }
    if (commit && detachedHead(project.gitDir)) {
      throw new IncError(
        'HEAD is detached (a tag or commit is checked out, not a branch): a commit here would belong to no branch; nothing was written',
        1,
        'Switch to your branch first (`git switch main`), or write without committing (--no-commit).',
      );
    }
    const author = commit ? await gitIdentity(project) : await authorWithoutCommit(project);
    // Config is not cloned: the first write in a new clone sets up incident.md's merge driver.
    if (!project.dryRun) await ensureMergeDriver(project);
    const { files, message } = await plan({ author });
    // A change to what is already there (a milestone set to its own value): nothing to write.
    if (files.length === 0) return { committed: false, paths: [] };
    await refuseOtherIncidentOnReviewBranch(project, files);

    const realRoot = realpathSync.native(project.root);
    for (const file of files) assertWritable(project, realRoot, file.path);
    const previous = files.map((file) => {
      const absolute = absolutePath(project, file.path);
      // Bytes, not text: a rollback puts back exactly what was there, whatever its encoding.
      const old = ifPresent(() => readFileSync(absolute));
      return { file, absolute, old, folderExisted: old !== undefined || existsSync(dirname(absolute)) };
    });
    for (const { file, old } of previous) refuseConflictMarkers(file.path, old);
    if (project.dryRun) {
      const planned = previous.map(({ file, old }) => ({ path: file.path, before: old?.toString('utf8'), after: file.content }));
      throw new WritePreview({ files: planned, message: commit ? message : undefined });
    }
    for (const folder of new Set(previous.map((p) => dirname(p.absolute)))) removeStaleTemporaryFiles(folder);
    let committing = false;
    try {
      for (const { file, absolute } of previous) writeFileAtomic(absolute, file.content);
      if (!commit) return { committed: false, paths: files.map((f) => f.path) };
      committing = true;
      const committed = await commitPaths(project, files.map((f) => f.path), message);
      if (committed && project.config.push === 'auto') startBackgroundPush(project);
      return { committed, paths: files.map((f) => f.path) };
    } catch (error) {
      // git can report a failure after the commit landed (a signal, a failing step after the
      // ref moved): then the files stay, or HEAD would hold entries the files no longer have.
      if (committing && (await headMatchesWorkingTree(project, files.map((f) => f.path)))) {
        return { committed: true, paths: files.map((f) => f.path) };
      }
      for (const { absolute, old, folderExisted } of previous) {
        if (old !== undefined) {
          writeFileAtomic(absolute, old);
          continue;
        }
        rmSync(absolute, { force: true });
        if (!folderExisted) {
          try {
            rmdirSync(dirname(absolute)); // only when empty: another new file may still be there
          } catch {
            // not empty yet; the last file of that folder removes it
          }
        }
      }
      if (commit) await unstage(project, files.map((f) => f.path));
      throw error;
    }
  } finally {
    lock.release();
  }
}
