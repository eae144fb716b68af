/**
 * Sharing during an incident: `inc sync --autostash` with unrelated edits in the way, and
 * `push: auto`, which pushes after each write in the background and reports a failed push
 * at the next command. Two clones of a bare remote on the local disk (no network).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneForBob } from '../helpers/clones.js';
import { makeRepoWithIncident, PAYMENT_OUTAGE, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';
import { waitFor } from '../helpers/wait.js';

let alice: TempRepo;
afterEach(() => alice?.cleanup());

async function ok(repo: TempRepo, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await incIn(repo, args);
  if (result.code !== 0) throw new Error(`inc ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

describe('inc sync --autostash', () => {
  it('syncs with unrelated uncommitted edits in the way and puts them back; without it, says to use it', async () => {
    alice = await makeRepoWithIncident();
    const { bob } = cloneForBob(alice);
    await ok(alice, ['log', '--at', '14:10', 'alice: rollback started']);
    await ok(alice, ['sync']);
    await ok(bob, ['log', '--incident', PAYMENT_OUTAGE, '--at', '14:11', 'bob: watching']);
    // Bob is halfway through editing the runbook and the matrix, nothing committed.
    bob.write('incident-severity.yaml', `${bob.read('incident-severity.yaml')}# draft: a SEV5 for internal tools\n`);
    bob.write('runbooks/payment.md', '# Payment runbook (draft)\n');

    const refused = await incIn(bob, ['sync']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(refused.stderr).toContain('inc sync --autostash');

    const synced = await ok(bob, ['sync', '--autostash']);
    expect(synced.stderr).toContain('Pulled 1 commit from origin/main; rebased 1 local commit on top.');
    expect(synced.stderr).toContain('Pushed 1 commit to origin/main.');
    expect(bob.read('incident-severity.yaml')).toMatch(/# draft: a SEV5 for internal tools\n$/);
    expect(bob.read('runbooks/payment.md')).toBe('# Payment runbook (draft)\n');
    expect(bob.git(['status', '--porcelain']).split('\n').filter(Boolean).sort()).toEqual([' M incident-severity.yaml', '?? runbooks/']);
    expect(bob.git(['stash', 'list'])).toBe('');
  });
});

describe('push: auto', () => {
  const config = (repo: TempRepo) => {
    repo.write('.inc/config.yaml', repo.read('.inc/config.yaml').replace('push: off', 'push: auto'));
    repo.git(['commit', '-qam', 'push: auto']);
  };

  it('pushes after each write in the background; the command itself does not wait for it', async () => {
    alice = await makeRepoWithIncident();
    const { bob, remote } = cloneForBob(alice);
    config(alice);
    alice.git(['push', '--quiet']);
    const logged = await ok(alice, ['log', '--at', '14:10', 'alice: rollback started']);
    expect(logged.stderr).toBe('Logged at 2026-03-15 14:10 UTC.\n'); // the sentence, nothing about the push
    const head = alice.git(['rev-parse', 'HEAD']).trim();
    const remoteHead = () => readFileSync(join(remote, 'refs', 'heads', 'main'), 'utf8').trim();
    await waitFor('the background push to reach the remote', () => existsSync(join(remote, 'refs', 'heads', 'main')) && remoteHead() === head);
    await waitFor('the background push to record its result', () => existsSync(join(alice.dir, '.git', 'inc', 'push-result.json')));
    // A push that worked is not mentioned by the next command.
    expect((await ok(alice, ['status'])).stderr).not.toContain('background push');
    bob.git(['pull', '--quiet']);
    expect(bob.read(`incidents/${PAYMENT_OUTAGE}/timeline.md`)).toContain('alice: rollback started');
  });

  it('a rejected background push is reported by the next command, once, with what to do', async () => {
    alice = await makeRepoWithIncident();
    const { bob } = cloneForBob(alice);
    config(alice);
    alice.git(['push', '--quiet']);
    await ok(bob, ['log', '--incident', PAYMENT_OUTAGE, '--at', '14:09', 'bob: first']);
    bob.git(['pull', '--quiet', '--rebase']);
    bob.git(['push', '--quiet']);
    await ok(alice, ['log', '--at', '14:10', 'alice: rollback started']);
    await waitFor('the background push to record its result', () => existsSync(join(alice.dir, '.git', 'inc', 'push-result.json')));
    const next = await ok(alice, ['log', '--at', '14:12', 'alice: next']);
    expect(next.stderr).toContain('inc: warning: the background push after an earlier write failed (push: auto):');
    expect(next.stderr).toMatch(/rejected|fetch first/);
    expect(next.stderr).toContain('run `inc sync` to share them');
    await waitFor('the second background push to record its result', () => existsSync(join(alice.dir, '.git', 'inc', 'push-result.json')));
    await ok(alice, ['sync']);
    expect((await ok(alice, ['status'])).stderr).not.toContain('background push');
  });

  it('refuses a push value it does not know, with the file and line', async () => {
    alice = await makeRepoWithIncident();
    alice.write('.inc/config.yaml', alice.read('.inc/config.yaml').replace('push: off', 'push: always'));
    const result = await incIn(alice, ['status']);
    expect(result.code).toBe(1);
    const line = alice.read('.inc/config.yaml').split('\n').indexOf('push: always') + 1;
    expect(result.stderr).toContain(`.inc/config.yaml:${line}: push "always" must be auto (push after each write, in the background) or off`);
  });
});
