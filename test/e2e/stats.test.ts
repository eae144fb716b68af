/**
 * inc stats end to end: a repository built with the CLI itself (open, ack, mitigate,
 * resolve, log), one hand edit that breaks the milestone order and one hand-written
 * postmortem, in the America/New_York zone, read by the built binary. The figures below
 * were computed by hand.
 *
 *   pay    SEV1 payment-service Alice  started 14:02 det 14:05 ack 14:06 mit 14:22 res 15:00 (2026-03-10Z)
 *          update 14:25 (20 min: late for SEV1's 15); postmortem published on time, 1 of 2 items done
 *   search SEV2 search Bob  det 2026-03-01T03:00Z (28 February 22:00 in New York) ack +10 mit +40 res +120
 *          no postmortem: required and overdue (due Friday 6 March)
 *   drill  SEV1 a drill, left out
 *   dash   SEV3 no commander, det 2026-04-01T12:00Z ack +20, still open
 *   cache  SEV4 payment-service  det 2026-04-02T09:00Z mit 09:30, resolved_at hand-edited to 08:50 (before the
 *          mitigation, which cannot be): left out of TTM, TTR
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, ROOT, runInProcess, type TempRepo } from '../helpers/repo.js';

const NOW = { INC_NOW: '2026-04-10T12:00:00Z' };
let repo: TempRepo;
const ids: Record<string, string> = {};

/** Runs inc at the pinned NOW and insists on success. */
function ok(args: string[], env: Record<string, string | undefined> = {}) {
  return repo.ok(args, { env: { ...NOW, ...env } });
}

async function open(key: string, args: string[]) {
  ids[key] = (await ok(['open', ...args])).stdout.split(' ')[0]!;
}

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  repo.write('.inc/config.yaml', 'timezone: "America/New_York"\n');
  repo.git(['commit', '-qam', 'New York']);

  await open('pay', ['Payment outage', '--sev', '1', '--service', 'payment-service', '--commander', 'Alice', '--at', '2026-03-10T14:05:00Z', '--started-at', '2026-03-10T14:02:00Z']);
  await ok(['ack', '--incident', ids.pay!, '--at', '2026-03-10T14:06:00Z']);
  await ok(['mitigate', '--incident', ids.pay!, '--at', '2026-03-10T14:22:00Z']);
  await ok(['log', 'Status page updated: mitigated', '--kind', 'update', '--incident', ids.pay!, '--at', '2026-03-10T14:25:00Z']);
  await ok(['resolve', '--incident', ids.pay!, '--at', '2026-03-10T15:00:00Z']);

  await open('search', ['Search serves stale results', '--sev', 'SEV2', '--service', 'search', '--commander', 'Bob', '--at', '2026-03-01T03:00:00Z']);
  await ok(['ack', '--incident', ids.search!, '--at', '2026-03-01T03:10:00Z']);
  await ok(['mitigate', '--incident', ids.search!, '--at', '2026-03-01T03:40:00Z']);
  await ok(['resolve', '--incident', ids.search!, '--at', '2026-03-01T05:00:00Z']);

  await open('drill', ['Game day: database failover', '--sev', '1', '--service', 'payment-service', '--drill', '--commander', 'Carol', '--at', '2026-03-20T10:00:00Z']);
  await ok(['resolve', '--incident', ids.drill!, '--at', '2026-03-20T10:30:00Z']);

  await open('dash', ['Admin dashboard slow', '--sev', '3', '--at', '2026-04-01T12:00:00Z']);
  await ok(['ack', '--incident', ids.dash!, '--at', '2026-04-01T12:20:00Z']);

  await open('cache', ['Cache flapping', '--sev', '4', '--service', 'payment-service', '--at', '2026-04-02T09:00:00Z']);
  await ok(['mitigate', '--incident', ids.cache!, '--at', '2026-04-02T09:30:00Z']);
  await ok(['resolve', '--incident', ids.cache!, '--at', '2026-04-02T09:45:00Z']);
  const cacheFile = `incidents/${ids.cache}/incident.md`;
  repo.write(cacheFile, repo.read(cacheFile).replace(/resolved_at: .*/, 'resolved_at: "2026-04-02T08:50:00Z"'));

  repo.write(
    `incidents/${ids.pay}/postmortem.md`,
    [
      '---',
      `incident: "${ids.pay}"`,
      'status: "published"',
      'authors: ["Alice"]',
      'reviewers: ["Bob"]',
      'due_date: "2026-03-17"',
      'published_at: "2026-03-16"',
      'root_causes: ["deploy"]',
      '---',
      '# Postmortem: Payment outage',
      '',
      '## Action items',
      '',
      '| Action | Owner | Priority | Due | Ticket | Status |',
      '|---|---|---|---|---|---|',
      '| Add null-safety tests | Bob | P1 | 2026-03-20 | ENG-1 | Done |',
      '| Canary stage for payment-service | Carol | P2 | 2026-04-01 | ENG-2 | TODO |',
      '',
    ].join('\n'),
  );
}, 120_000);
afterAll(() => repo?.cleanup());

/** Under 10 incidents a figure has no interval: too few to compare. */
const tooFew = { median_ci: null, mean_ci: null, too_few: true };
const none = { n: 0, mean: null, median: null, p90: null, sum_seconds: 0, ...tooFew };

describe('inc stats --json on a repository built with the CLI', () => {
  it('gives every hand-computed number, and warns about the incident it left out', async () => {
    const { stdout, stderr } = await ok(['stats', '--json']);
    const report = JSON.parse(stdout);
    expect(report.incidents).toBe(4);
    expect(report.drills_excluded).toBe(1);
    expect(report.metrics).toEqual({
      // Exact sums in seconds; under 10 incidents each, so no intervals: too few to compare.
      ttd: { n: 1, mean: 3, median: 3, p90: 3, sum_seconds: 180, ...tooFew },
      tta: { n: 3, mean: 10.33, median: 10, p90: 18, sum_seconds: 1860, ...tooFew }, // 1 10 20
      ttm: { n: 2, mean: 28.5, median: 28.5, p90: 37.7, sum_seconds: 3420, ...tooFew }, // 17 40
      ttr: { n: 2, mean: 87.5, median: 87.5, p90: 113.5, sum_seconds: 10500, ...tooFew }, // 55 120
      impact: { n: 1, mean: 20, median: 20, p90: 20, sum_seconds: 1200, ...tooFew },
    });
    expect(Object.keys(report.by_severity)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(report.by_severity.SEV1.metrics.ttm).toEqual({ n: 1, mean: 17, median: 17, p90: 17, sum_seconds: 1020, ...tooFew });
    expect(report.by_severity.SEV4).toEqual({ incidents: 1, metrics: { ttd: none, tta: none, ttm: none, ttr: none, impact: none } });
    expect(report.by_month).toEqual({
      '2026-02': { SEV1: 0, SEV2: 1, SEV3: 0, SEV4: 0 },
      '2026-03': { SEV1: 1, SEV2: 0, SEV3: 0, SEV4: 0 },
      '2026-04': { SEV1: 0, SEV2: 0, SEV3: 1, SEV4: 1 },
    });
    expect(report.action_items).toEqual({ total: 2, done: 1, completion_rate: 0.5, open: 1, wont_do: 0, overdue: 1 });
    expect(report.postmortems).toEqual({ required: 2, written: 1, coverage: 0.5, published: 1, on_time: 1, overdue: 1 });
    expect(report.first_update).toEqual({ n: 1, mean: 20, median: 20, p90: 20, sum_seconds: 1200, late: 1, without_update: 2 });
    expect(report.commanders).toEqual({
      unassigned: 2,
      by_commander: [
        { name: 'Alice', incidents: 1, share: 0.25 },
        { name: 'Bob', incidents: 1, share: 0.25 },
      ],
    });
    expect(report.recurring.services).toEqual([
      {
        name: 'payment-service',
        incidents: 2,
        ids: [ids.cache, ids.pay].sort(),
        open_action_items: [{ incident: ids.pay, action: 'Canary stage for payment-service', owner: 'Carol', due: '2026-04-01', status: 'TODO' }],
      },
    ]);
    expect(stderr).toBe(
      `inc: warning: ${ids.cache}: milestones out of order (mitigated_at 2026-04-02T09:30:00Z is after resolved_at 2026-04-02T08:50:00Z): left out of TTM, TTR\n`,
    );
  });

  it('filters by inclusive calendar dates in the configured zone, severity and service', async () => {
    // The SEV2 was detected on 28 February in New York (1 March in UTC).
    const march = JSON.parse((await ok(['stats', '--json', '--since', '2026-03-01', '--until', '2026-03-31'])).stdout);
    expect([march.incidents, march.drills_excluded]).toEqual([1, 1]);
    const feb28 = JSON.parse((await ok(['stats', '--json', '--since', '2026-02-28', '--until', '2026-02-28'])).stdout);
    expect(feb28.incidents).toBe(1);
    expect(feb28.by_severity.SEV2.incidents).toBe(1);
    const sev2 = JSON.parse((await ok(['stats', '--format', 'json', '--sev', 'sev2'])).stdout);
    expect([sev2.incidents, sev2.period.severity]).toEqual([1, 'SEV2']);
    const payments = JSON.parse((await ok(['stats', '--json', '--service', 'payment-service', '--include-drills'])).stdout);
    expect([payments.incidents, payments.drills_excluded]).toEqual([3, 0]);
  });

  it('names a service no incident has, instead of reporting 0 incidents', async () => {
    const typo = await repo.inc(['stats', '--service', 'nope'], { env: NOW });
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe('inc: --service "nope": no incident names that service\nServices in the incidents: payment-service, search.\n');
    const caseOnly = await repo.inc(['stats', '--service', 'Search'], { env: NOW });
    expect(caseOnly.code).toBe(2);
    expect(caseOnly.stderr).toContain('Did you mean --service "search"?');
  });
});

describe('inc stats in every format', () => {
  it('prints the same numbers as a table, plain when piped, coloured only on request of a terminal', async () => {
    const plain = await ok(['stats']);
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect(plain.stdout).toMatch(/^TTM +time to mitigate +2 +29m \(too few\) +29m \(too few\) +38m$/m);
    expect(plain.stdout).toMatch(/^SEV2 +1 +- +10m +40m +2h 00m /m);
    // Durations read as show and status say them: never a fraction of a minute such as 28.5m.
    expect(plain.stdout).not.toMatch(/\d\.\d+ ?m(in)?\b/);
    expect(plain.stdout).toContain('TREND BY MONTH OF DETECTION (America/New_York), 2026-02 to 2026-04');
    expect(plain.stdout).toContain('Postmortems   2 required · 1 written (coverage 50%)');
    const forced = await repo.inc(['stats'], { env: { ...NOW, NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[31m\u001b\[1mSEV1/);
    const noColor = await repo.inc(['stats'], { env: { ...NOW, NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(noColor.stdout).toBe(plain.stdout);
  });

  it('prints CSV that a CSV parser reads, with the JSON numbers', async () => {
    const rows = parse((await ok(['stats', '--format', 'csv'])).stdout, { columns: true }) as Record<string, string>[];
    const find = (section: string, severity: string, measure: string) => rows.find((r) => r.section === section && r.severity === severity && r.measure === measure)?.value;
    expect(find('overall', '', 'ttm_p90_minutes')).toBe('37.7');
    expect(find('severity', 'SEV2', 'ttr_mean_minutes')).toBe('120');
    expect(find('postmortems', '', 'coverage')).toBe('0.5');
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v promtool']).status !== 0)('prints Prometheus text that promtool accepts, in seconds', async () => {
    const { stdout } = await ok(['stats', '--format', 'prometheus']);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: stdout, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(stdout).toContain('inc_time_to_mitigate_all_seconds{quantile="0.9"} 2262\n');
    expect(stdout).toContain('inc_time_to_mitigate_all_seconds_sum 3420\n');
    expect(stdout).toContain('inc_time_to_mitigate_seconds_sum{severity="SEV1"} 1020\n');
    expect(stdout).toContain('inc_incidents{severity="SEV2"} 1\n');
  });

  it('prints markdown tables for a report', async () => {
    const { stdout } = await ok(['stats', '--format', 'markdown']);
    expect(stdout).toContain('| TTM (time to mitigate) | 2 | 29m | 29m | 38m |');
    expect(stdout).toContain('| 2026-02 | 0 | 1 | 0 | 0 | 1 | 40m |');
    expect(stdout).not.toMatch(/\d\.\d+ ?m(in)?\b/);
  });

  it('explains every definition, even outside a repository', async () => {
    const { stdout, code } = await runInProcess(['stats', '--explain'], repo.home, repo.env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/TTM \(time to mitigate\)\n +minutes from detected_at to mitigated_at/);
    expect(stdout).toContain("numpy's default");
    expect(stdout).toMatch(/on_time = published/);
  });
});

describe('inc stats refuses bad usage with exit 2, naming the flag', () => {
  it.each([
    [['--since', '2026-02-30'], /--since "2026-02-30" is not a calendar date/],
    [['--until', 'tomorrow'], /--until "tomorrow" is not a calendar date/],
    [['--since', '2026-04-01', '--until', '2026-03-01'], /--since 2026-04-01 is after --until 2026-03-01/],
    [['--sev', '7'], /--sev 7: no such severity/],
    [['--format', 'xml'], /^inc: stats: --format xml: not one of table, json, csv, markdown, prometheus\n/],
    [['--json', '--format', 'csv'], /--json and --format csv/],
  ])('inc stats %j', async (args, message) => {
    const result = await repo.inc(['stats', ...args], { env: NOW });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});

describe('inc stats in this repository', () => {
  it('reports on the worked example in incidents/', async () => {
    const result = await runInProcess(['stats', '--json', '--service', 'payment-service', '--since', '2026-03-15', '--until', '2026-03-15'], ROOT, { ...repo.env, ...NOW });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    // One incident that day: the classic payment outage of docs/metrics.md, a SEV1.
    expect(report.incidents).toBe(1);
    expect(report.by_severity.SEV1.incidents).toBe(1);
    expect([report.by_severity.SEV2.incidents, report.by_severity.SEV3.incidents, report.by_severity.SEV4.incidents]).toEqual([0, 0, 0]);
    // Its figures: TTD 3, TTA 1, TTM 17, TTR 55, impact 20.
    expect(report.by_severity.SEV1.metrics.ttm.mean).toBe(17);
    expect(report.by_severity.SEV1.metrics.impact.mean).toBe(20);
    expect(report.metrics.ttd.mean).toBe(3);
    expect(report.metrics.tta.mean).toBe(1);
    expect(report.metrics.ttr.mean).toBe(55);
    // Its postmortem: required (SEV1), written, published 19 March for a due date of 20 March.
    expect(report.postmortems.written).toBe(1);
    expect(report.postmortems).toMatchObject({ required: 1, written: 1, published: 1, on_time: 1, overdue: 0 });
    // Its 6 action items: 3 done, 2 in progress (due in December and January: not overdue on 10 April), 1 won't do.
    expect(report.action_items).toMatchObject({ total: 6, done: 3, completion_rate: 0.5, open: 2, wont_do: 1, overdue: 0 });
  });
});
