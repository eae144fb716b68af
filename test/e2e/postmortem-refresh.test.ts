/**
 * The postmortem stays true to the incident files: its generated blocks (between
 * `<!-- inc:generated NAME -->` and `<!-- inc:end NAME -->`) are compared by `inc check` and
 * rewritten by `inc postmortem --refresh`, which keeps every byte people wrote outside them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { finishPostmortem } from '../helpers/postmortem.js';
import { commitFiles, commitSubjects, makeRepoFrom, type TempRepo, workingTreeFiles } from '../helpers/repo.js';

const ID = '2026-03-15-payment-processing-outage';
const PM = `incidents/${ID}/postmortem.md`;
const BRANCH = `postmortem/${ID}`;
let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** The worked example: SEV1, started 14:02, detected 14:05, acknowledged 14:06, mitigated 14:22, resolved 15:00 UTC. */
async function payment(): Promise<void> {
  // Made once for the file and copied for each test.
  repo = await makeRepoFrom('payment-resolved', async (made) => {
    await made.ok(['open', 'Payment processing outage', '--sev', '1', '--at', '14:05', '--started-at', '14:02', '--commander', 'Alice', '--service', 'payment-service']);
    await made.ok(['ack', '--at', '14:06']);
    await made.ok(['mitigate', '--at', '14:22']);
    await made.ok(['resolve', '--at', '15:00']);
  });
}

/**
 * What reviewers write: every section, an action item, and text of their own before the
 * first block, right after a block's end marker, between two blocks of one section, and
 * after the last block: a CRLF line and trailing spaces included, to be kept byte for byte.
 */
function review(text: string): string {
  return finishPostmortem(text)
    .split('\n')
    .map((line) => {
      if (line === '# Postmortem: Payment processing outage') return `${line}\n\nReviewed in the incident review of 2026-03-17.  `;
      if (line === '- **Authors**: Alice Example') return `${line}\n- **Reviewed by**: Dana Lee\r`;
      if (line === '<!-- inc:end impact -->') return `${line}\nAbout 1,200 payments failed in that window (request logs).`;
      if (line === '### Response metrics') return `Dana's note: the alert fired three minutes in.\n\n${line}`;
      if (line === '<!-- inc:end metrics -->') return `${line}\n\nTTD counts from the deploy that finished at 14:02.`;
      return line;
    })
    .join('\n');
}

/** The text with every generated block's content left out: what people wrote, markers included. */
function humanText(text: string): string {
  return text.replace(/(<!-- inc:generated [a-z]+ -->\r?\n)[\s\S]*?(?=<!-- inc:end )/g, '$1');
}

/** The lines of `inc check`'s stdout about generated blocks. */
async function blockFindings(): Promise<{ code: number; lines: string[] }> {
  const result = await repo.inc(['check']);
  return { code: result.code, lines: result.stdout.split('\n').filter((line) => line.includes(' block ')) };
}

const lineOf = (text: string, marker: string) => text.split('\n').indexOf(marker) + 1;

describe('inc postmortem --refresh and inc check', () => {
  it('a TTD correction: check warns on the draft, refuses to publish, refresh fixes it; once published it is an error', async () => {
    await payment();
    await repo.ok(['postmortem', ID, '--switch']);
    repo.write(PM, review(repo.read(PM)));
    repo.git(['commit', '-qam', 'write the postmortem']);
    expect(await blockFindings()).toEqual({ code: 0, lines: [] });
    const fresh = await repo.ok(['postmortem', '--refresh']);
    expect(fresh.stderr).toBe(`Nothing changed: the generated blocks of ${PM} already match the incident files.\n`);
    expect(fresh.stdout).toBe('');
    expect(commitSubjects(repo)[0]).toBe('write the postmortem');

    // The review finds impact began at 13:50, not 14:02: TTD 15m (was 3m), impact 32m (was 20m).
    await repo.ok(['milestone', 'started', '--at', '13:50', '--incident', ID]);
    const stale = repo.read(PM);
    const draft = await blockFindings();
    expect(draft.code).toBe(0); // warnings only: a draft
    const fix = `run \`inc postmortem --refresh ${ID}\``;
    expect(draft.lines).toEqual([
      `${PM}:${lineOf(stale, '<!-- inc:generated metadata -->')}: warning: the metadata block no longer matches the incident files (it differs from line ${lineOf(stale, '- **Duration**: 58m, from the start of impact to resolution')}); ${fix}`,
      `${PM}:${lineOf(stale, '<!-- inc:generated impact -->')}: warning: the impact block no longer matches the incident files (it differs from line ${lineOf(stale, '- **Impact window**: 2026-03-15 14:02 – 14:22 UTC (20m)')}); ${fix}`,
      `${PM}:${lineOf(stale, '<!-- inc:generated timeline -->')}: warning: the timeline block no longer matches the incident files (it differs from line ${lineOf(stale, '| 14:02 | User impact started | Alice Example |')}); ${fix}`,
      `${PM}:${lineOf(stale, '<!-- inc:generated metrics -->')}: warning: the metrics block no longer matches the incident files (it differs from line ${lineOf(stale, '| TTD, time to detect | 3m | started_at → detected_at |')}); ${fix}`,
    ]);

    // Publishing is what check passes: refused while the blocks say what the files no longer do.
    const refused = await repo.inc(['postmortem', 'publish', '--reviewer', 'Dana Lee']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('inc check finds 4 errors');
    expect(refused.stderr).toMatch(new RegExp(`${PM}:\\d+: the metrics block no longer matches the incident files`));
    expect(repo.read(PM)).toBe(stale);

    const head = repo.git(['rev-parse', 'HEAD']);
    const refreshed = await repo.ok(['postmortem', '--refresh']);
    expect(refreshed.stdout).toBe(['metadata', 'impact', 'timeline', 'metrics'].map((block) => `${ID} refreshed ${block}\n`).join(''));
    expect(refreshed.stderr).toBe(`Refreshed 4 blocks of ${PM} (metadata, impact, timeline, metrics), committed on branch ${BRANCH}; the text outside the blocks is as it was.\n`);
    expect(repo.git(['rev-parse', 'HEAD~1'])).toBe(head);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): refresh the postmortem`);
    expect(commitFiles(repo)).toEqual([PM]);
    expect(repo.git(['status', '--porcelain'])).toBe('');
    const text = repo.read(PM);
    expect(humanText(text)).toBe(humanText(stale));
    expect(text).toContain('Reviewed in the incident review of 2026-03-17.  \n');
    expect(text).toContain('- **Reviewed by**: Dana Lee\r\n');
    expect(text).toContain('| TTD, time to detect | 15m | started_at → detected_at |');
    expect(text).toContain('| Impact, how long users were affected | 32m |');
    expect(text).toContain('- **Impact window**: 2026-03-15 13:50 – 14:22 UTC (32m)\n<!-- inc:end impact -->\nAbout 1,200 payments failed');
    expect(text).toContain('- **Duration**: 1h 10m, from the start of impact to resolution');
    expect(text).toMatch(/^\| 13:50 \| User impact started .*\| Alice Example \|$/m);
    expect(text).toContain('| 14:02 | ~~User impact started~~ (superseded) | Alice Example |'); // the corrected timeline
    expect(await blockFindings()).toEqual({ code: 0, lines: [] });
    expect((await repo.inc(['check'])).stdout).toBe('');

    await repo.ok(['postmortem', 'publish', '--reviewer', 'Dana Lee']);
    // A correction after publication: the published postmortem now states a wrong TTD.
    await repo.ok(['milestone', 'started', '--at', '13:40', '--incident', ID]);
    const published = await blockFindings();
    expect(published.code).toBe(1);
    expect(published.lines).toHaveLength(4);
    for (const line of published.lines) expect(line).toMatch(new RegExp(`^${PM}:\\d+: error: the [a-z]+ block no longer matches the incident files`));
    await repo.ok(['postmortem', '--refresh', ID]);
    expect(repo.read(PM)).toContain('| TTD, time to detect | 25m | started_at → detected_at |');
    expect(await repo.inc(['check'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('--dry-run prints the diff and the commit it would make, and changes nothing; --no-commit writes only the file', async () => {
    await payment();
    await repo.ok(['postmortem', ID, '--no-branch']);
    await repo.ok(['milestone', 'started', '--at', '13:50', '--incident', ID]);
    const before = { status: repo.git(['status', '--porcelain', '--untracked-files=all']), head: repo.git(['rev-parse', 'HEAD']), files: workingTreeFiles(repo.dir) };
    const dry = await repo.ok(['postmortem', '--refresh', ID, '--dry-run']);
    expect({ status: repo.git(['status', '--porcelain', '--untracked-files=all']), head: repo.git(['rev-parse', 'HEAD']), files: workingTreeFiles(repo.dir) }).toEqual(before);
    expect(dry.stdout).toContain(`# Would commit: inc(${ID}): refresh the postmortem`);
    expect(dry.stdout).toContain('-| TTD, time to detect | 3m | started_at → detected_at |\n+| TTD, time to detect | 15m | started_at → detected_at |');

    const written = await repo.ok(['postmortem', '--refresh', ID, '--no-commit']);
    expect(written.stderr).toContain('(not committed)');
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(before.head);
    expect(repo.git(['status', '--porcelain']).trim()).toBe(`M ${PM}`);
    expect(repo.read(PM)).toContain('| TTD, time to detect | 15m |');
  });

  it('refuses a postmortem without markers, saying which blocks are missing and how to add them; writes nothing', async () => {
    await payment();
    await repo.ok(['postmortem', ID, '--no-branch']);
    const handWritten = repo
      .read(PM)
      .split('\n')
      .filter((line) => !line.startsWith('<!-- inc:'))
      .join('\n');
    repo.write(PM, handWritten);
    repo.git(['commit', '-qam', 'markers removed']);
    const result = await repo.inc(['postmortem', '--refresh', ID]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`inc: ${PM} has no generated blocks (no <!-- inc:generated NAME --> markers), so inc does not rewrite it; nothing was written`);
    expect(result.stderr).toContain('Missing: metadata, impact, timeline, metrics.');
    expect(result.stderr).toContain('  <!-- inc:generated metrics -->\n  <!-- inc:end metrics -->');
    expect(repo.read(PM)).toBe(handWritten);
    expect(repo.git(['status', '--porcelain'])).toBe('');
    // Nothing to compare: check says nothing about blocks.
    expect((await blockFindings()).lines).toEqual([]);
  });

  it('refuses broken markers with file:line, in check too, and writes nothing', async () => {
    await payment();
    await repo.ok(['postmortem', ID, '--no-branch']);
    await repo.ok(['milestone', 'started', '--at', '13:50', '--incident', ID]);
    const lines = review(repo.read(PM)).split('\n');
    const impactEnd = lines.indexOf('<!-- inc:end impact -->');
    lines.splice(impactEnd, 1); // the impact block's end marker is gone
    const metricsEnd = lines.indexOf('<!-- inc:end metrics -->');
    lines.splice(metricsEnd + 1, 0, '<!-- inc:end metrics -->'); // and the metrics block's is there twice
    const broken = lines.join('\n');
    repo.write(PM, broken);
    repo.git(['commit', '-qam', 'markers broken']);
    const impactStart = lineOf(broken, '<!-- inc:generated impact -->');
    const timelineStart = lineOf(broken, '<!-- inc:generated timeline -->');
    const doubled = lineOf(broken, '<!-- inc:end metrics -->') + 1;

    const result = await repo.inc(['postmortem', '--refresh', ID]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`inc: the markers of the generated blocks in ${PM} are not right; nothing was written`);
    expect(result.stderr).toContain(`${PM}:${impactStart}: the impact block has no end marker: expected <!-- inc:end impact --> before line ${timelineStart}`);
    expect(result.stderr).toContain(`${PM}:${doubled}: <!-- inc:end metrics --> ends no block (the metrics block already ended at line ${doubled - 1}: a duplicated end marker?)`);
    expect(repo.read(PM)).toBe(broken);
    expect(repo.git(['status', '--porcelain'])).toBe('');

    const check = await blockFindings();
    expect(check.code).toBe(0); // a draft: warnings
    expect(check.lines).toEqual([
      `${PM}:${impactStart}: warning: the impact block has no end marker: expected <!-- inc:end impact --> before line ${timelineStart}; \`inc postmortem --refresh ${ID}\` rewrites nothing until the markers are right`,
      `${PM}:${doubled}: warning: <!-- inc:end metrics --> ends no block (the metrics block already ended at line ${doubled - 1}: a duplicated end marker?); \`inc postmortem --refresh ${ID}\` rewrites nothing until the markers are right`,
    ]);
  });

  it('takes no scaffold flag, and needs a postmortem here', async () => {
    await payment();
    const flags = await repo.inc(['postmortem', '--refresh', '--switch']);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain('--refresh cannot be combined with --switch');
    await repo.ok(['postmortem', ID]); // on its branch; this clone stays on main
    const absent = await repo.inc(['postmortem', '--refresh', ID]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain(`inc: ${PM} does not exist here; nothing was written`);
    expect(absent.stderr).toContain(`git switch ${BRANCH}`);
  });
});
