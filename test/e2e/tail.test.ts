/**
 * inc tail follows an incident's timeline as a colleague pushes. The wait between fetches
 * is injected: the test's "sleep" is where Bob logs and pushes, so nothing waits on a clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runTail } from '../../src/commands/tail.js';
import { cloneForBob } from '../helpers/clones.js';
import { fakeContext } from '../helpers/context.js';
import { makeRepoWithIncident, PAYMENT_OUTAGE, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';

let alice: TempRepo;
afterEach(() => alice?.cleanup());

async function ok(repo: TempRepo, args: string[]): Promise<void> {
  const result = await incIn(repo, args);
  if (result.code !== 0) throw new Error(`inc ${args.join(' ')}: ${result.stderr}`);
}

describe('inc tail', () => {
  it('prints the last rows, then each row a colleague pushes, once, without touching the working tree', async () => {
    alice = await makeRepoWithIncident();
    await ok(alice, ['log', '--at', '14:06', 'alice: looking at the dashboards']);
    const { bob } = cloneForBob(alice);
    const ctx = fakeContext({ tty: false, cwd: alice.dir, env: alice.env });
    const head = alice.git(['rev-parse', 'HEAD']);
    const waits: number[] = [];
    const bobLogs = [
      ['14:10', 'bob: rollback started'],
      ['14:12', 'bob: error rate falling'],
    ];
    await runTail(ctx, PAYMENT_OUTAGE, { lines: '1', interval: '2', polls: '3' }, {
      sleep: async (ms) => {
        waits.push(ms);
        const next = bobLogs.shift();
        if (next) {
          await ok(bob, ['log', '--incident', PAYMENT_OUTAGE, '--at', next[0]!, next[1]!]);
          bob.git(['push', '--quiet']);
        }
      },
    });
    expect(waits).toEqual([2000, 2000, 2000]);
    expect(ctx.out()).toBe(
      [
        '2026-03-15 14:06:00 UTC  Alice Example: alice: looking at the dashboards',
        '2026-03-15 14:10:00 UTC  Bob Example: bob: rollback started',
        '2026-03-15 14:12:00 UTC  Bob Example: bob: error rate falling',
        '',
      ].join('\n'),
    );
    expect(ctx.err()).toBe(`Following ${PAYMENT_OUTAGE} on origin/main every 2 s (Ctrl-C to stop).\n`);
    // Only the remote-tracking branch moved: HEAD, the files and the index are Alice's as before.
    expect(alice.git(['rev-parse', 'HEAD'])).toBe(head);
    expect(alice.git(['status', '--porcelain'])).toBe('');
    expect(alice.git(['rev-parse', 'origin/main'])).toBe(bob.git(['rev-parse', 'HEAD']));
  });

  it('--json prints one object per row; without an upstream it follows this clone and says so', async () => {
    alice = await makeRepoWithIncident();
    const ctx = fakeContext({ tty: false, cwd: alice.dir, env: alice.env });
    await runTail(ctx, undefined, { lines: '0', interval: '0.5', polls: '1', json: true }, {
      sleep: async () => {
        await ok(alice, ['log', '--at', '14:20', 'from another terminal | same clone']);
      },
    });
    expect(ctx.out().trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      // printf '%s' '["2026-03-15T14:20:00Z","from another terminal | same clone","Alice Example",""]' | sha256sum
      { at: '2026-03-15T14:20:00Z', text: 'from another terminal | same clone', author: 'Alice Example', kind: null, ref: '~d164d58', amended: false, superseded: false },
    ]);
    expect(ctx.err()).toBe(`Following ${PAYMENT_OUTAGE} in this clone only: branch main has no upstream (Ctrl-C to stop).\n`);
  });

  it('refuses a bad interval or count with exit 2', async () => {
    alice = await makeRepoWithIncident();
    const interval = await incIn(alice, ['tail', '--interval', 'soon']);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toContain('--interval soon: expected a number of at least 0.01');
    const lines = await incIn(alice, ['tail', '-n', '-3']);
    expect(lines.code).toBe(2);
  });

  it('shows the rows from before as corrected, then a correction that arrives as its own row; a row retracted before it arrives is not shown, nor its retraction', async () => {
    alice = await makeRepoWithIncident();
    await ok(alice, ['log', '--at', '14:06', 'alice: lookin at the dashboards']);
    await ok(alice, ['log', '--at', '14:07', 'alice: paged the wrong team']);
    await ok(alice, ['amend', '14:06', 'alice: looking at the dashboards']);
    await ok(alice, ['retract', '14:07']);
    const ctx = fakeContext({ tty: false, cwd: alice.dir, env: alice.env });
    const steps = [
      async () => {
        await ok(alice, ['log', '--at', '14:10', 'alice: rollback strated']);
        await ok(alice, ['log', '--at', '14:11', 'alice: logged by mistake']);
        await ok(alice, ['retract', '14:11', 'mistake']);
      },
      async () => ok(alice, ['amend', '14:10', 'alice: rollback started']),
    ];
    await runTail(ctx, PAYMENT_OUTAGE, { lines: '5', interval: '1', polls: '2' }, { sleep: async () => steps.shift()?.() });
    expect(ctx.out()).toBe(
      [
        '2026-03-15 14:05:00 UTC  Alice Example: Incident declared: SEV1 Payment outage (declared)',
        '2026-03-15 14:06:00 UTC  Alice Example: alice: looking at the dashboards (amended)',
        '2026-03-15 14:10:00 UTC  Alice Example: alice: rollback strated',
        // printf '%s' '["2026-03-15T14:10:00Z","alice: rollback strated","Alice Example",""]' | sha256sum
        '2026-03-15 15:30:00 UTC  Alice Example: amends 2026-03-15T14:10:00Z ~4d36ef6: alice: rollback started (amend)',
        '',
      ].join('\n'),
    );
  });
});
