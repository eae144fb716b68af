/** inc import report on a terminal: the proposed milestones are shown and confirmed, or nothing is written. */
import { join } from 'node:path';
import { screen } from '@inquirer/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { fakeContext } from '../helpers/context.js';
import { commitSubjects, makeRepo, ROOT, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const REPORT = join(ROOT, 'test/fixtures/import/mybinder/2018-02-22-nginx-down.md');

describe('inc import report on a terminal', () => {
  it('shows the proposals and asks; no writes nothing (exit 2), yes imports them', async () => {
    repo = await makeRepo({ init: true });
    const terminal = () => fakeContext({ tty: true, cwd: repo.dir, env: repo.env, columns: 100 });

    const declinedCtx = terminal();
    const declined = run(['import', 'report', REPORT, '--sev', '2'], declinedCtx);
    await screen.next();
    expect(screen.getScreen()).toContain('Take these milestones?');
    expect(declinedCtx.err()).toContain('  mitigated    2018-02-23 00:35 UTC  (line 28, 2018-02-22 16:35 in the report: "now back")');
    screen.type('n');
    screen.keypress('enter');
    expect(await declined).toBe(2);
    expect(declinedCtx.err()).toContain('inc: no milestones taken');
    expect(commitSubjects(repo)).toHaveLength(1);

    const acceptedCtx = terminal();
    const accepted = run(['import', 'report', REPORT, '--sev', '2'], acceptedCtx);
    await screen.next();
    screen.type('y');
    screen.keypress('enter');
    expect(await accepted).toBe(0);
    expect(acceptedCtx.out()).toBe('2018-02-23-nginx-crash imported report:nginx-crash:2018-02-22T16:30\n');
    expect(commitSubjects(repo)[0]).toBe('inc(2018-02-23-nginx-crash): import from report 2018-02-22-nginx-down.md');
  });
});
