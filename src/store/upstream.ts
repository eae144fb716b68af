/**
 * The branch a clone shares with its team: its upstream (remote and branch), fetching from
 * it, and reading a file as the upstream has it, without touching the working tree. Used
 * by `inc sync` and `inc tail`.
 */
import { IncError } from '../domain/errors.js';
import { type GitRepo, gitWords, runGit } from './git.js';

export interface Upstream {
  /** The remote's name, e.g. origin. */
  remote: string;
  /** The remote branch's ref on the remote, e.g. refs/heads/main. */
  mergeRef: string;
  /** How git names it locally, e.g. origin/main. */
  name: string;
}

async function gitConfig(repo: GitRepo, key: string): Promise<string | undefined> {
  const result = await runGit(repo, ['config', '--get', key]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** The branch's upstream, or undefined when it has none (`requireUpstream` says why). */
export async function upstreamOf(repo: GitRepo, branch: string): Promise<Upstream | undefined> {
  const remote = await gitConfig(repo, `branch.${branch}.remote`);
  const mergeRef = await gitConfig(repo, `branch.${branch}.merge`);
  if (!remote || !mergeRef) return undefined;
  const name = await runGit(repo, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  return { remote, mergeRef, name: name.code === 0 ? name.stdout.trim() : `${remote}/${mergeRef.replace(/^refs\/heads\//, '')}` };
}

/** The branch's upstream, or an error that says how to give it one. */
export async function requireUpstream(repo: GitRepo, branch: string): Promise<Upstream> {
  const upstream = await upstreamOf(repo, branch);
  if (upstream) return upstream;
  const remotes = (await runGit(repo, ['remote'])).stdout.split('\n').filter(Boolean);
  if (remotes.length === 0) {
    throw new IncError(
      'this repository has no remote, so there is nowhere to sync with',
      1,
      `Add the team's ops repository as a remote and push once: git remote add origin <url> && git push -u origin ${branch}`,
    );
  }
  const suggested = remotes.includes('origin') ? 'origin' : remotes[0]!;
  throw new IncError(
    `branch ${branch} has no upstream branch, so inc does not know where to pull from and push to`,
    1,
    `Push it once with an upstream (git push -u ${suggested} ${branch}), or set one (git branch --set-upstream-to ${suggested}/${branch}), then run inc sync again.`,
  );
}

export async function fetchUpstream(repo: GitRepo, upstream: Upstream, hint = 'Check the network and your access to the remote, then run inc sync again; nothing was changed here.'): Promise<void> {
  const result = await runGit(repo, ['fetch', '--quiet', upstream.remote]);
  if (result.code !== 0) throw new IncError(`could not fetch from ${upstream.remote}: ${gitWords(result)}`, 1, hint);
}

/** A file as the fetched upstream branch has it, or undefined where it has none. */
export async function upstreamFile(repo: GitRepo, upstream: Upstream, path: string): Promise<string | undefined> {
  const result = await runGit(repo, ['cat-file', '-p', `${upstream.name}:${path}`]);
  return result.code === 0 ? result.stdout : undefined;
}
