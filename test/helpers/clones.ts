/** A second responder: Alice's repository pushed to a bare remote on the local disk (no network), and Bob's clone of it. */
import { join } from 'node:path';
import { openRepo, type TempRepo } from './repo.js';

export const BOB = { GIT_AUTHOR_NAME: 'Bob Example', GIT_AUTHOR_EMAIL: 'bob@example.com', GIT_COMMITTER_NAME: 'Bob Example', GIT_COMMITTER_EMAIL: 'bob@example.com' };

/** Pushes `alice` (main) to a new bare `remote.git` next to it as origin, and clones it for Bob. */
export function cloneForBob(alice: TempRepo): { bob: TempRepo; remote: string } {
  const remote = join(alice.dir, '..', 'remote.git');
  alice.git(['init', '--quiet', '--bare', '-b', 'main', remote]);
  alice.git(['remote', 'add', 'origin', remote]);
  alice.git(['push', '--quiet', '-u', 'origin', 'main']);
  const bobDir = join(alice.dir, '..', 'bob');
  alice.git(['clone', '--quiet', remote, bobDir]);
  return { bob: openRepo(bobDir, { ...alice.env, ...BOB }), remote };
}
