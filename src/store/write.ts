/**
 * The one way inc writes: under the clone's lock, refuse while git is mid-merge, check the
 * git identity before touching anything, write each file atomically, then make one commit
 * holding exactly those files. If the commit fails, every file is put back as it was, so a
 * refused or failed command leaves no file and no commit behind.
 */
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { IncError } from '../domain/errors.js';
import { writeFileAtomic } from './atomic.js';
import { commitPaths, gitIdentity, type Identity, operationInProgress, unstage } from './git.js';
import { absolutePath } from './incidents.js';
import { acquireLock } from './lock.js';
import type { Project } from './project.js';

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
    const author = commit ? await gitIdentity(project) : await authorWithoutCommit(project);
    const { files, message } = await plan({ author });

    const previous = files.map((file) => {
      const absolute = absolutePath(project, file.path);
      const existed = existsSync(absolute);
      return {
        file,
        absolute,
        existed,
        old: existed ? readFileSync(absolute, 'utf8') : undefined,
        folderExisted: existsSync(dirname(absolute)),
      };
    });
    try {
      for (const { file, absolute } of previous) writeFileAtomic(absolute, file.content);
      if (!commit) return { committed: false, paths: files.map((f) => f.path) };
      const committed = await commitPaths(project, files.map((f) => f.path), message);
      return { committed, paths: files.map((f) => f.path) };
    } catch (error) {
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
