/**
 * inc import, in-process through run(argv, context) in temporary git repositories: real
 * documents in, files and one commit out, idempotent, with --dry-run writing nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, ROOT, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const FIXTURES = join(ROOT, 'test/fixtures/import');
const EMMA = join(FIXTURES, 'statuspage/emma-incidents.json');
const REPORT = (name: string) => join(FIXTURES, 'mybinder', `${name}.md`);

const inc = (args: string[], env: Record<string, string> = {}) => incIn(repo, args, { env });

async function ok(args: string[], env: Record<string, string> = {}) {
  const result = await inc(args, env);
  if (result.code !== 0) throw new Error(`inc ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

const showJson = async (id: string) => JSON.parse((await ok(['show', id, '--json'])).stdout) as { metrics: Record<string, number | null>; [key: string]: unknown };

describe('inc import statuspage', () => {
  it('imports a real incidents.json in one commit, idempotently, and check finds only real gaps', async () => {
    repo = await makeRepo({ init: true });
    const before = commitSubjects(repo).length;

    const dry = await ok(['import', 'statuspage', EMMA, '--dry-run']);
    expect(dry.stderr).toContain('Would import 22 incidents from statuspage emma-incidents.json; 1 thing left out (dry run: nothing written).');
    expect(dry.stdout).toContain('2018-10-23-emma-application-is-currently-down  SEV2  Emma Application is currently down');
    expect(commitSubjects(repo)).toHaveLength(before);
    expect(repo.git(['status', '--porcelain'])).toBe('');
    const json = JSON.parse((await ok(['import', 'statuspage', EMMA, '--dry-run', '--json'])).stdout) as Record<string, unknown[] | boolean | string>;
    expect(Object.keys(json)).toEqual(['source', 'file', 'dry_run', 'committed', 'created', 'already_imported', 'unread']);
    expect(json).toMatchObject({ source: 'statuspage', file: 'emma-incidents.json', dry_run: true, committed: false, already_imported: [] });
    expect(json.created).toHaveLength(22);
    expect(json.unread).toHaveLength(1);

    const first = await ok(['import', 'statuspage', EMMA]);
    const ids = first.stdout.trim().split('\n');
    expect(ids).toHaveLength(22);
    for (const line of ids) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+ imported statuspage:\S+$/);
    expect(commitSubjects(repo)).toHaveLength(before + 1);
    expect(commitSubjects(repo)[0]).toBe('inc: import 22 incidents from statuspage emma-incidents.json');
    expect(commitFiles(repo)).toHaveLength(44);
    expect(repo.git(['status', '--porcelain'])).toBe('');

    const again = await ok(['import', 'statuspage', EMMA]);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('Imported 0 incidents from statuspage emma-incidents.json; 22 already imported: nothing new, nothing written.\n');
    expect(commitSubjects(repo)).toHaveLength(before + 1);

    // The major outage of 2018-10-22 (CDT, -05:00), by hand: detected 23:57:26 = 04:57:26Z,
    // identified 00:34:19 = 05:34:19Z, monitoring 01:12:07 = 06:12:07Z, resolved 01:30:33 = 06:30:33Z.
    // TTM = 06:12:07 - 04:57:26 = 74 min 41 s = 4481 s; TTR = 06:30:33 - 04:57:26 = 93 min 7 s = 5587 s. JSON rounds to two decimals: 74.68 and 93.12.
    // No acknowledgement and no start of impact on a status page: TTA, TTD and impact are null.
    const outage = await showJson('2018-10-23-emma-application-is-currently-down');
    expect(outage).toMatchObject({
      severity: 'SEV2',
      status: 'resolved',
      imported: 'statuspage',
      import_key: 'statuspage:4lzycl8t1x0c/gm8jc9315cyk',
      detected_at: '2018-10-23T04:57:26Z',
      identified_at: '2018-10-23T05:34:19Z',
      mitigated_at: '2018-10-23T06:12:07Z',
      resolved_at: '2018-10-23T06:30:33Z',
    });
    expect(outage.metrics).toEqual({ ttd: null, tta: null, ttm: 74.68, ttr: 93.12, impact: null });
    // Minor impact is the matrix's third level: SEV3.
    expect((await showJson('2017-06-23-intermittent-errors-and-slowness-navigating')).severity).toBe('SEV3');

    const check = await inc(['check']);
    expect(check.code).toBe(0);
    // The three SEV2 outages have no postmortem here: a warning that names postmortem_url; nothing else.
    const lines = check.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/: warning: SEV2 \(imported\) has no postmortem here; link the one that exists with postmortem_url: <URL>/);
  });

  it('--sev-map overrides the default mapping; a word without a severity refuses the import, naming the flag', async () => {
    repo = await makeRepo({ init: true });
    const refused = await inc(['import', 'statuspage', EMMA, '--sev-map', 'major=SEV9']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--sev-map major=SEV9: SEV9 is not in incident-severity.yaml');
    await ok(['import', 'statuspage', EMMA, '--sev-map', 'major=1,minor=SEV4']);
    expect((await showJson('2018-10-23-emma-application-is-currently-down')).severity).toBe('SEV1');
    expect((await showJson('2017-06-23-intermittent-errors-and-slowness-navigating')).severity).toBe('SEV4');
  });

  it('a file that is not a Statuspage export: exit 1 with the file, nothing written', async () => {
    repo = await makeRepo({ init: true });
    repo.write('notes.json', '{"hello": 1}');
    const result = await inc(['import', 'statuspage', 'notes.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('inc: notes.json:1: not a Statuspage incidents.json or summary.json (no "incidents" list)');
    const missing = await inc(['import', 'statuspage', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('inc: cannot read nope.json: no such file');
  });
});

describe('inc import report', () => {
  it('2018-02-22 NGINX crash in one command: the milestones and metrics a careful reader gets', async () => {
    repo = await makeRepo({ init: true });
    // Without a terminal, proposals are not taken unconfirmed: exit 2, shown with the flags to pass.
    const unconfirmed = await inc(['import', 'report', REPORT('2018-02-22-nginx-down'), '--sev', '2']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('inc: milestones are proposed from the report, never taken unconfirmed');
    expect(unconfirmed.stderr).toContain('  detected     2018-02-23 00:30 UTC  (line 14, 2018-02-22 16:30 in the report: "notice")');
    expect(unconfirmed.stderr).toContain('Take them with --yes');
    expect(repo.git(['status', '--porcelain'])).toBe('');

    // The reader's own judgement where the words do not say it: the cause is seen in the logs at 16:32.
    const imported = await ok(['import', 'report', REPORT('2018-02-22-nginx-down'), '--sev', '2', '--yes', '--identified', '16:32']);
    expect(imported.stdout).toBe('2018-02-23-nginx-crash imported report:nginx-crash:2018-02-22T16:30\n');
    expect(imported.stderr).toContain('Times read in PST (UTC-08:00), from 2018-02-22-nginx-down.md:12 ("PST").');
    expect(commitSubjects(repo)[0]).toBe('inc(2018-02-23-nginx-crash): import from report 2018-02-22-nginx-down.md');
    // By hand, PST = UTC-8 in February: detected 16:30 -> 00:30Z (Feb 23), identified 16:32 -> 00:32Z,
    // mitigated and resolved at 16:35 ("the problem is resolved ... are now back") -> 00:35Z.
    // TTM = TTR = 16:35 - 16:30 = 5 minutes; no acknowledgement or start of impact in the report.
    const shown = await showJson('2018-02-23-nginx-crash');
    expect(shown).toMatchObject({
      title: 'NGINX crash',
      severity: 'SEV2',
      imported: 'report',
      detected_at: '2018-02-23T00:30:00Z',
      identified_at: '2018-02-23T00:32:00Z',
      mitigated_at: '2018-02-23T00:35:00Z',
      resolved_at: '2018-02-23T00:35:00Z',
      started_at: null,
      acknowledged_at: null,
    });
    expect(shown.metrics).toEqual({ ttd: null, tta: null, ttm: 5, ttr: 5, impact: null });
    expect((shown.timeline as unknown[]).length).toBe(4);
    expect(repo.read('incidents/2018-02-23-nginx-crash/incident.md')).toContain('We got stackdriver email alerts saying Binder was down');

    const again = await ok(['import', 'report', REPORT('2018-02-22-nginx-down'), '--sev', '2', '--yes']);
    expect(again.stderr).toContain('Imported 0 incidents from report 2018-02-22-nginx-down.md; 1 already imported: nothing new, nothing written.');
  });

  it('a report kept in the repository is the postmortem: postmortem_url points at it, and inc check is clean', async () => {
    repo = await makeRepo({ init: true });
    repo.write('docs/incident-reports/2018-02-22-nginx-down.md', readFileSync(REPORT('2018-02-22-nginx-down'), 'utf8'));
    await ok(['import', 'report', 'docs/incident-reports/2018-02-22-nginx-down.md', '--sev', '2', '--yes']);
    expect(repo.read('incidents/2018-02-23-nginx-crash/incident.md')).toContain('postmortem_url: "docs/incident-reports/2018-02-22-nginx-down.md"');
    const check = await inc(['check']);
    expect(check.stdout).toBe('');
    expect(check.code).toBe(0);
    // stats agrees: the SEV2 needs a postmortem, and the report is it.
    const stats = JSON.parse((await ok(['stats', '--json'])).stdout) as { postmortems: Record<string, number | null> };
    expect(stats.postmortems).toMatchObject({ required: 1, written: 1, coverage: 1, published: 1, overdue: 0 });
  });

  it('a repository of imported history: eight real reports kept in docs/, one command each, and inc check finds nothing to fix', async () => {
    repo = await makeRepo({ init: true });
    const reports: [string, string[]][] = [
      ['2017-09-27-hub-403', ['--zone', 'America/Los_Angeles']],
      ['2017-11-30-oom-proxy', []],
      ['2018-01-18-reddit-hug', []],
      ['2018-02-12-launch-fail', []],
      ['2018-02-20-jupyterlab-announcement', []],
      ['2018-02-22-nginx-down', []],
      // Recovered before anyone noticed: its mitigation precedes detection, and is kept.
      ['2018-03-26-no-space-left', []],
      ['2018-04-18-cull-flood', []],
    ];
    for (const [name, flags] of reports) {
      repo.write(`docs/incident-reports/${name}.md`, readFileSync(REPORT(name), 'utf8'));
      await ok(['import', 'report', `docs/incident-reports/${name}.md`, '--sev', '2', '--yes', ...flags]);
    }
    const listed = JSON.parse((await ok(['list', '--all', '--json'])).stdout) as { imported: string; postmortem_url: string }[];
    expect(listed).toHaveLength(8);
    expect(listed.every((i) => i.imported === 'report' && i.postmortem_url.startsWith('docs/incident-reports/'))).toBe(true);
    const check = await inc(['check']);
    expect(check.stdout).toBe('');
    expect(check.code).toBe(0);
  });

  it('2018-03-26 no space left: the cluster recovered at 10:55, four hours before anyone noticed at 15:00 (CEST)', async () => {
    repo = await makeRepo({ init: true });
    await ok(['import', 'report', REPORT('2018-03-26-no-space-left'), '--sev', '2', '--yes']);
    // By hand, CEST = UTC+2: impact 10:34-10:55 -> 08:34Z-08:55Z (21 min); noticed 15:00 -> 13:00Z.
    // TTD 10:34 -> 15:00 = 266 min. No response to time: TTM null.
    const shown = await showJson('2018-03-26-no-space-left-on-device');
    expect(shown).toMatchObject({ started_at: '2018-03-26T08:34:00Z', mitigated_at: '2018-03-26T08:55:00Z', detected_at: '2018-03-26T13:00:00Z', recovered_before_detection: true });
    expect(shown.metrics).toEqual({ ttd: 266, tta: null, ttm: null, ttr: null, impact: 21 });
    const stats = JSON.parse((await ok(['stats', '--json'])).stdout) as { recovered_before_detection: number; metrics: { impact: { sum_seconds: number } } };
    expect(stats.recovered_before_detection).toBe(1);
    expect(stats.metrics.impact.sum_seconds).toBe(21 * 60);
  });

  it('2018-02-20 JupyterLab: milestones by flag, across days, read in the report\'s CET', async () => {
    repo = await makeRepo({ init: true });
    await ok(['import', 'report', REPORT('2018-02-20-jupyterlab-announcement'), '--sev', '2', '--started', '16:05', '--detected', '16:05', '--resolved', '2018-02-22 07:18']);
    // By hand, CET = UTC+1: detected 16:05 on Feb 20 -> 15:05Z; resolved 07:18 on Feb 22 -> 06:18Z.
    // TTR = 1 day 15 h 13 min = 1440 + 900 + 13 = 2353 min. Only the flags given are set.
    const shown = await showJson('2018-02-20-jupyterlab-announcement-swamps-binder');
    expect(shown).toMatchObject({ detected_at: '2018-02-20T15:05:00Z', resolved_at: '2018-02-22T06:18:00Z', mitigated_at: null, identified_at: null });
    expect(shown.metrics.ttr).toBe(2353);
    expect((shown.timeline as unknown[]).length).toBe(39);
  });

  it('2017-09-27 Hub 403: "All times in PST" in September is refused until --zone says which', async () => {
    repo = await makeRepo({ init: true });
    const refused = await inc(['import', 'report', REPORT('2017-09-27-hub-403'), '--sev', '2', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--zone America/Los_Angeles (the local clock) or --zone UTC-08:00');
    expect(commitSubjects(repo)).toHaveLength(1);
    const imported = await ok(['import', 'report', REPORT('2017-09-27-hub-403'), '--sev', '2', '--zone', 'America/Los_Angeles', '--detected', '13:06']);
    expect(imported.stderr).toContain('Times read in America/Los_Angeles, from --zone.');
    // 13:06 PDT (UTC-7) -> 20:06Z.
    expect((await showJson('2017-09-27-hub-403')).detected_at).toBe('2017-09-27T20:06:00Z');
  });
});

describe('inc import csv', () => {
  it('a PagerDuty export: urgency mapped in the matrix order, idempotent, one commit', async () => {
    repo = await makeRepo({ init: true });
    const csv = join(FIXTURES, 'pagerduty/incidents.csv');
    const first = await ok(['import', 'csv', csv, '--preset', 'pagerduty']);
    expect(first.stdout.trim().split('\n')).toEqual([
      '2026-01-12-checkout-returns-500s-eu-only imported pagerduty:1041',
      '2026-01-20-search-results-stale-after-reindex imported pagerduty:1042',
      '2026-02-02-hyperlink-http-x imported pagerduty:1043',
    ]);
    expect(first.stderr).toContain('incidents.csv row 5: no detection time: the row is left out');
    expect(commitSubjects(repo)[0]).toBe('inc: import 3 incidents from pagerduty incidents.csv');
    // 1041 by hand: created 14:05Z, acknowledged 60 s later, resolved 15:00Z: TTA 1, TTR 55.
    const checkout = await showJson('2026-01-12-checkout-returns-500s-eu-only');
    expect(checkout).toMatchObject({ severity: 'SEV2', imported: 'pagerduty', import_key: 'pagerduty:1041', services: ['payment-service'] });
    expect(checkout.metrics).toEqual({ ttd: null, tta: 1, ttm: null, ttr: 55, impact: null });
    expect((await showJson('2026-01-20-search-results-stale-after-reindex')).severity).toBe('SEV3');
    const again = await ok(['import', 'csv', csv, '--preset', 'pagerduty', '--sev-map', 'high=SEV1']);
    expect(again.stderr).toContain('Imported 0 incidents from pagerduty incidents.csv; 3 already imported');
  });
});
