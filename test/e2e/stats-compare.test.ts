/**
 * inc stats --compare, on incident files written by hand so that each verdict is known in
 * advance:
 *
 *   2025-Q4  20 incidents, TTM 60..79 minutes (each once), TTA 5
 *   2026-Q1  20 incidents, TTM 60..79 minutes again (in another order of days), TTA 5
 *   2026-Q2  20 incidents, TTM 20..39 minutes: 40 minutes shorter, far beyond the spread
 *   Four incidents of each quarter also have started_at (TTD 3): too few to compare.
 *
 * Q4 against Q1 is the same distribution (change 0: noise); Q1 against Q2 is a real change of
 * exactly -40 minutes in the median and in the mean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

const NOW = { INC_NOW: '2026-07-10T12:00:00Z' };
let repo: TempRepo;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function writeIncident(year: number, firstMonth: number, index: number, ttmMinutes: number): void {
  const date = `${year}-${pad(firstMonth + (index % 3))}-${pad(1 + Math.floor(index / 3))}`;
  const id = `${date}-outage-${index}`;
  const detected = Date.parse(`${date}T10:00:00Z`);
  const started = index < 4 ? `started_at: "${iso(detected - 3 * 60_000)}"\n` : '';
  repo.write(
    `incidents/${id}/incident.md`,
    `---\nid: "${id}"\ntitle: "Outage ${index}"\nseverity: "SEV2"\nstatus: "resolved"\ndrill: false\nservices:\n  - "api"\n` +
      `commander: "Alice"\ncommunications: null\nsmes: []\n${started}detected_at: "${iso(detected)}"\n` +
      `acknowledged_at: "${iso(detected + 5 * 60_000)}"\nmitigated_at: "${iso(detected + ttmMinutes * 60_000)}"\n` +
      `resolved_at: "${iso(detected + 180 * 60_000)}"\ntags: []\n---\n\n# Outage ${index}\n`,
  );
}

const ok = (args: string[]) => repo.ok(['stats', ...args], { env: NOW });
const json = async (args: string[]) => JSON.parse((await ok([...args, '--json'])).stdout);

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  for (let i = 0; i < 20; i += 1) {
    writeIncident(2025, 10, i, 60 + i);
    writeIncident(2026, 1, i, 60 + ((i * 7) % 20)); // 7 and 20 share no factor: 60..79 once each
    writeIncident(2026, 4, i, 20 + i);
  }
  repo.git(['add', '-A']);
  repo.git(['commit', '-qm', 'sixty incidents']);
}, 60_000);

afterAll(() => repo?.cleanup());

describe('inc stats --compare', () => {
  it('calls a 40-minute drop with 20 incidents a side a real change, of exactly -40', async () => {
    const report = await json(['--compare', '2026-Q1', '2026-Q2']);
    expect([report.before.label, report.before.since, report.before.until, report.before.incidents]).toEqual(['2026-Q1', '2026-01-01', '2026-03-31', 20]);
    expect([report.after.label, report.after.since, report.after.until, report.after.incidents]).toEqual(['2026-Q2', '2026-04-01', '2026-06-30', 20]);
    const ttm = report.changes.ttm;
    expect([ttm.before_n, ttm.after_n]).toEqual([20, 20]);
    expect([ttm.median.change, ttm.mean.change]).toEqual([-40, -40]);
    expect(ttm.median.relative).toBeCloseTo(-40 / 69.5, 4);
    expect(ttm.median.interval.high).toBeLessThan(0);
    expect([ttm.median.verdict, ttm.mean.verdict]).toEqual(['a real change', 'a real change']);
    // Every TTA is 5 on both sides: no change at all, nothing to call real.
    expect(report.changes.tta.median).toEqual({ change: 0, relative: 0, interval: { low: 0, high: 0 }, verdict: 'not distinguishable from noise at this n' });
    // Four incidents a side have a TTD: too few.
    expect(report.changes.ttd.median).toEqual({ change: 0, relative: 0, interval: null, verdict: 'too few to compare' });
    expect(report.before.metrics.ttm.median).toBe(69.5);
    expect(report.before.metrics.ttm.median_ci.low).toBeLessThan(69.5);
    expect(report.uncertainty.resamples).toBe(1000);
  });

  it('calls the same distribution in another order noise', async () => {
    const ttm = (await json(['--compare', '2025-Q4', '2026-Q1'])).changes.ttm;
    expect(ttm.median.change).toBe(0);
    expect(ttm.median.interval.low).toBeLessThan(0);
    expect(ttm.median.interval.high).toBeGreaterThan(0);
    expect([ttm.median.verdict, ttm.mean.verdict]).toEqual(['not distinguishable from noise at this n', 'not distinguishable from noise at this n']);
  });

  it('gives the same figures for two --since/--until pairs, and the same again on every run', async () => {
    const named = await json(['--compare', '2026-Q1', '2026-Q2']);
    const pairs = await json(['--compare', '--since', '2026-01-01', '--until', '2026-03-31', '--since', '2026-04-01', '--until', '2026-06-30']);
    expect(pairs.changes).toEqual(named.changes);
    expect(pairs.before.label).toBe('2026-01-01..2026-03-31');
    expect(await json(['--compare', '2026-Q1', '2026-Q2'])).toEqual(named);
  });

  it('takes months, years and date ranges, and applies --sev to both periods', async () => {
    const months = await json(['--compare', '2026-01', '2026-04']);
    expect([months.before.incidents, months.after.incidents]).toEqual([7, 7]); // indexes 0, 3, ..., 18
    const years = await json(['--compare', '2025', '2026']);
    expect([years.before.incidents, years.after.incidents]).toEqual([20, 40]);
    const days = await json(['--compare', '2026-01-01..2026-01-03', '2026-04-01..2026-04-03']);
    expect([days.before.incidents, days.after.incidents]).toEqual([3, 3]);
    const sev1 = await json(['--compare', '2026-Q1', '2026-Q2', '--sev', '1']);
    expect([sev1.before.incidents, sev1.after.incidents, sev1.changes.ttm.median.verdict, sev1.period.severity]).toEqual([0, 0, 'too few to compare', 'SEV1']);
  });

  it('prints a table with the change, its interval and the verdict per figure', async () => {
    const { stdout } = await ok(['--compare', '2026-Q1', '2026-Q2']);
    expect(stdout).toContain('Comparing 2026-Q1 (2026-01-01 to 2026-03-31, 20 incidents)');
    expect(stdout).toContain('with 2026-Q2 (2026-04-01 to 2026-06-30, 20 incidents)');
    expect(stdout).toMatch(/^TTM median +20 \/ 20 +1h 10m \(.+\) +30m \(.+\) +-40m \(-\S+ to -\S+\), -58% +a real change$/m);
    expect(stdout).toMatch(/^TTD median +4 \/ 4 +3m \(too few\) +3m \(too few\) +0m, 0% \(too few\) +too few to compare$/m);
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('prints markdown for a report', async () => {
    const { stdout } = await ok(['--compare', '2026-Q1', '2026-Q2', '--format', 'markdown']);
    expect(stdout).toContain('| Figure | n | Before (95% CI) | After (95% CI) | Change (95% CI) | Verdict |');
    expect(stdout).toMatch(/^\| TTM median \| 20 \/ 20 \| .* \| a real change \|$/m);
  });

  it.each([
    [['--compare', '2026-Q1'], /--compare needs two periods, got 1/],
    [['--compare', '2026-Q1', '2026-Q5'], /--compare "2026-Q5" is not a period/],
    [['--compare', '2026-13', '2026-Q2'], /--compare "2026-13" is not a period/],
    [['--compare', '2026-03-01..2026-02-01', '2026-Q2'], /is not a period/],
    [['--compare', '2026-Q1', '2026-03'], /the periods 2026-Q1 and 2026-03 overlap/],
    [['--compare', '2026-Q1', '2026-Q2', '--since', '2026-01-01'], /not both/],
    [['--compare', '--since', '2026-01-01', '--until', '2026-03-31'], /--compare needs two periods/],
    [['--compare', '2026-Q1', '2026-Q2', '--format', 'csv'], /not csv/],
    [['--since', '2026-01-01', '--since', '2026-02-01'], /--since is given more than once/],
  ])('refuses inc stats %j with exit 2', async (args, message) => {
    const result = await repo.inc(['stats', ...args], { env: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
