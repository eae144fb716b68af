/**
 * Registering inc's merge driver for incident.md in a clone. `.gitattributes` (committed)
 * names the driver; each clone's own git config defines the command, and config is not
 * cloned: so `inc init`, every write and `inc sync` check it and set it where it is missing
 * or names another inc. The check reads the config file itself: no git process on a write
 * unless something must change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GitRepo, runGit } from './git.js';

export const MERGE_DRIVER_NAME = 'inc';
/** The `.gitattributes` line that sends incident.md through the driver. */
export const MERGE_DRIVER_ATTRIBUTE = `incidents/*/incident.md merge=${MERGE_DRIVER_NAME}`;

/** A shell word: git runs the driver through `sh -c`. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command git runs: this very inc (node and its bin by absolute path, so neither PATH
 * nor an unrelated `inc` on it matters), with git's placeholders.
 */
export function mergeDriverCommand(): string {
  const bin = fileURLToPath(new URL('../../bin/inc.js', import.meta.url));
  return `${shellQuote(process.execPath)} ${shellQuote(bin)} merge-driver %O %A %B %P`;
}

/** The folder holding the clone's config: a linked worktree's is the main clone's. */
function commonGitDir(gitDir: string): string {
  const pointer = join(gitDir, 'commondir');
  if (!existsSync(pointer)) return gitDir;
  const target = readFileSync(pointer, 'utf8').trim();
  return isAbsolute(target) ? target : resolve(gitDir, target);
}

/** `driver = ...` of `[merge "inc"]` in the clone's config file, as written there. */
function configuredDriver(gitDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(commonGitDir(gitDir), 'config'), 'utf8');
  } catch {
    return undefined;
  }
  let inSection = false;
  for (const line of text.split('\n')) {
    const section = /^\s*\[([^\]]*)\]/.exec(line);
    if (section) {
      inSection = section[1]!.trim() === `merge "${MERGE_DRIVER_NAME}"`;
      continue;
    }
    const m = inSection ? /^\s*driver\s*=\s*(.*?)\s*$/.exec(line) : null;
    if (m) return m[1];
  }
  return undefined;
}

/** Whether this clone's config runs this inc as the incident.md merge driver. */
export function mergeDriverRegistered(repo: Pick<GitRepo, 'gitDir'>): boolean {
  return configuredDriver(repo.gitDir) === mergeDriverCommand();
}

/** Sets the driver in this clone's config when it is missing or names another inc; true when it did. */
export async function ensureMergeDriver(repo: GitRepo): Promise<boolean> {
  if (mergeDriverRegistered(repo)) return false;
  const set = async (key: string, value: string) => {
    const result = await runGit(repo, ['config', '--local', key, value]);
    if (result.code !== 0) return false;
    return true;
  };
  // A failure here (a read-only config) must not stop a write: git then merges as text.
  await set(`merge.${MERGE_DRIVER_NAME}.name`, 'inc: incident.md field by field');
  return set(`merge.${MERGE_DRIVER_NAME}.driver`, mergeDriverCommand());
}
