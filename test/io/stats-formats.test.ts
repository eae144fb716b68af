/**
 * The export formats of inc stats, read back by real readers: csv-parse for CSV, promtool for
 * the Prometheus exposition, cmark-gfm for the markdown tables. Every format must carry the
 * same numbers as the JSON. Names from the files are hostile on purpose (formula starters,
 * commas, quotes, pipes, backslashes).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { type Incident, MILESTONES, type Milestones, statusOf } from '../../src/domain/incident.js';
import { FIGURES } from '../../src/domain/metrics.js';
import { parseActionItems } from '../../src/domain/postmortem.js';
import { parseSeverityMatrix, severityRank } from '../../src/domain/severity.js';
import { NO_FILTER, postmortemFacts, type StatsEntry, statsFor } from '../../src/domain/stats.js';
import { CSV_HEADER, csvCell, renderCsv } from '../../src/io/stats/csv.js';
import { humanMinutes, sparkline } from '../../src/io/stats/format.js';
import { formatDuration } from '../../src/domain/time.js';
import { renderJson } from '../../src/io/stats/json.js';
import { markdownCell, renderMarkdown } from '../../src/io/stats/markdown.js';
import { escapeLabelValue, renderPrometheus } from '../../src/io/stats/prometheus.js';
import { renderStatsTable } from '../../src/io/stats/table.js';
import { sampleIntervals } from '../../src/domain/uncertainty.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

const matrix = parseSeverityMatrix(
  {
    severities: {
      SEV1: { description: 'outage', update_every_minutes: 15, postmortem_required: true },
      SEV2: { description: 'major', update_every_minutes: 30, postmortem_required: true },
      SEV3: { description: 'minor' },
    },
  },
  'incident-severity.yaml',
);

const HOSTILE_SERVICE = '=HYPERLINK("http://x","a|b")';
const HOSTILE_COMMANDER = 'Dr "Q", \\o/';

function entry(id: string, severity: string, at: Partial<Record<(typeof MILESTONES)[number], string>>, more: Partial<Incident> = {}, postmortem: StatsEntry['postmortem'] = null): StatsEntry {
  const milestones: Milestones = {};
  for (const m of MILESTONES) if (at[m]) milestones[m] = Date.parse(at[m]!);
  return {
    incident: { id, title: id, severity, status: statusOf(milestones), drill: false, services: [], commander: null, communications: null, smes: [], milestones, tags: [], extra: {}, ...more },
    postmortem,
    updates: [],
  };
}

const items = parseActionItems('## Action items\n| Action | Owner | Due | Status |\n|---|---|---|---|\n| Add canary | -bob | 2026-02-01 | todo |\n| Alert on p99 | Carol | 2026-05-01 | done |\n', 1);
const entries = [
  entry('2026-01-05-a', 'SEV1', { started: '2026-01-05T10:00:00Z', detected: '2026-01-05T10:02:30Z', acknowledged: '2026-01-05T10:04:00Z', mitigated: '2026-01-05T10:20:00Z', resolved: '2026-01-05T11:00:00Z' }, { services: [HOSTILE_SERVICE, 'api'], commander: HOSTILE_COMMANDER }, postmortemFacts({ root_causes: ['deploy'] }, 'draft', items)),
  entry('2026-02-07-b', 'SEV1', { detected: '2026-02-07T23:30:00Z', acknowledged: '2026-02-07T23:31:00Z', mitigated: '2026-02-08T01:30:00Z', resolved: '2026-02-08T03:00:00Z' }, { services: ['api'], commander: 'Alice' }, postmortemFacts({ root_causes: ['deploy'] }, 'published', [])),
  entry('2026-02-20-c', 'SEV2', { started: '2026-02-20T08:00:00Z', detected: '2026-02-20T08:10:00Z', mitigated: '2026-02-20T08:55:00Z' }, { services: ['api'] }),
  entry('2026-03-01-d', 'SEV3', { detected: '2026-03-01T12:00:00Z' }, { commander: 'Alice' }),
  entry('2026-03-02-drill', 'SEV1', { detected: '2026-03-02T12:00:00Z' }, { drill: true }),
];
const { report } = statsFor(entries, { matrix, zone: 'UTC', today: '2026-03-15', filter: NO_FILTER });

// Lines of a Prometheus exposition as {name, labels, value}.
function samples(text: string) {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[l[1]!] = l[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

describe('the report these tests render', () => {
  it('has the hand-computed figures', () => {
    // a: TTD 2.5 TTA 1.5 TTM 17.5 TTR 57.5 impact 20; b: TTA 1 TTM 120 TTR 210; c: TTD 10 TTM 45 impact 55.
    // Under 10 incidents: no intervals, too few to compare; sums exact in seconds.
    const tooFew = { median_ci: null, mean_ci: null, too_few: true };
    expect(report.metrics.ttd).toEqual({ n: 2, mean: 6.25, median: 6.25, p90: 9.25, sum_seconds: 750, ...tooFew });
    expect(report.metrics.ttm).toEqual({ n: 3, mean: 60.83, median: 45, p90: 105, sum_seconds: 10950, ...tooFew });
    expect(report.metrics.ttr).toEqual({ n: 2, mean: 133.75, median: 133.75, p90: 194.75, sum_seconds: 16050, ...tooFew });
    expect([report.incidents, report.drills_excluded]).toEqual([4, 1]);
  });
});

describe('CSV', () => {
  const text = renderCsv(report);
  const rows = parse(text, { columns: true, skip_empty_lines: false }) as Record<string, string>[];
  const value = (section: string, group: string, severity: string, measure: string) => {
    const found = rows.filter((r) => r.section === section && r.group === group && r.severity === severity && r.measure === measure);
    expect(found, `${section}/${group}/${severity}/${measure}`).toHaveLength(1);
    return found[0]!.value;
  };
  const number = (v: number | null) => (v === null ? '' : String(v));

  it('is a rectangle with a header row and CRLF line ends, read by a real CSV parser', () => {
    expect(text.split('\r\n')[0]).toBe(CSV_HEADER.join(','));
    expect(text.endsWith('\r\n')).toBe(true);
    const raw = parse(text) as string[][];
    expect(new Set(raw.map((r) => r.length))).toEqual(new Set([5]));
    expect(rows.length).toBeGreaterThan(100);
  });

  it('holds the same numbers as the JSON', () => {
    expect(value('overall', '', '', 'incidents')).toBe('4');
    expect(value('overall', '', '', 'drills_excluded')).toBe('1');
    for (const f of FIGURES) {
      const s = report.metrics[f];
      expect([value('overall', '', '', `${f}_n`), value('overall', '', '', `${f}_mean_minutes`), value('overall', '', '', `${f}_median_minutes`), value('overall', '', '', `${f}_p90_minutes`)]).toEqual([String(s.n), number(s.mean), number(s.median), number(s.p90)]);
      for (const [sev, g] of Object.entries(report.by_severity)) expect(value('severity', '', sev, `${f}_p90_minutes`)).toBe(number(g.metrics[f].p90));
    }
    for (const [month, counts] of Object.entries(report.by_month)) {
      for (const [sev, count] of Object.entries(counts)) expect(value('month', month, sev, 'incidents')).toBe(String(count));
    }
    expect(value('action_items', '', '', 'completion_rate')).toBe('0.5');
    expect(value('postmortems', '', '', 'coverage')).toBe('1');
  });

  it('keeps hostile names as text: formulas neutralised, commas and quotes quoted', () => {
    expect(value('service', `'${HOSTILE_SERVICE}`, '', 'incidents')).toBe('1');
    expect(value('commander', HOSTILE_COMMANDER, '', 'incidents')).toBe('1');
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""a|b"")"');
    for (const start of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(start).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
});

describe('Prometheus exposition', () => {
  const text = renderPrometheus(report);
  const all = samples(text);
  const one = (name: string, labels: Record<string, string>) => {
    const found = all.filter((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels));
    expect(found, `${name}${JSON.stringify(labels)}`).toHaveLength(1);
    return found[0]!.value;
  };

  it.skipIf(!has('promtool'))('passes promtool check metrics', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has HELP and TYPE for every family, seconds, no timestamps, no NaN', () => {
    const families = new Set(all.map((s) => s.name.replace(/_(sum|count)$/, '')));
    for (const family of families) {
      expect(text).toContain(`# HELP ${family} `);
      expect(text).toMatch(new RegExp(`# TYPE ${family} (gauge|summary)\\n`));
    }
    expect(text).not.toMatch(/NaN|Inf/);
    expect(all.every((s) => Number.isFinite(s.value) && s.value >= 0)).toBe(true);
  });

  it('holds the same numbers as the JSON, in seconds', () => {
    expect(one('inc_time_to_mitigate_all_seconds', { quantile: '0.5' })).toBeCloseTo(report.metrics.ttm.median! * 60, 6);
    expect(one('inc_time_to_mitigate_all_seconds', { quantile: '0.9' })).toBeCloseTo(report.metrics.ttm.p90! * 60, 6);
    for (const f of ['ttd', 'ttr'] as const) {
      const name = f === 'ttd' ? 'inc_time_to_detect_all_seconds' : 'inc_time_to_resolve_all_seconds';
      expect(one(`${name}_count`, {})).toBe(report.metrics[f].n);
      expect(one(`${name}_sum`, {}) / one(`${name}_count`, {}) / 60).toBeCloseTo(report.metrics[f].mean!, 6);
    }
    // Exact sums, by hand: TTM 17.5 + 120 + 45 minutes; TTR 57.5 + 210 minutes.
    expect(one('inc_time_to_mitigate_all_seconds_sum', {})).toBe(10950);
    expect(one('inc_time_to_resolve_all_seconds_sum', {})).toBe(16050);
    for (const [severity, g] of Object.entries(report.by_severity)) {
      expect(one('inc_incidents', { severity })).toBe(g.incidents);
      expect(one('inc_time_to_acknowledge_seconds_count', { severity })).toBe(g.metrics.tta.n);
    }
    expect(one('inc_time_to_mitigate_seconds', { severity: 'SEV1', quantile: '0.5' })).toBeCloseTo(report.by_severity.SEV1!.metrics.ttm.median! * 60, 6);
    expect(all.some((s) => s.name === 'inc_time_to_mitigate_seconds' && s.labels.severity === 'SEV3')).toBe(false); // n 0: no quantiles
    expect(one('inc_time_to_mitigate_seconds_count', { severity: 'SEV3' })).toBe(0);
    expect(one('inc_incidents_by_month', { month: '2026-02', severity: 'SEV2' })).toBe(1);
    expect(one('inc_drills_excluded', {})).toBe(1);
    expect(one('inc_action_items_completion_ratio', {})).toBe(report.action_items.completion_rate);
    expect(one('inc_postmortem_coverage_ratio', {})).toBe(report.postmortems.coverage);
  });

  it('cannot be double counted: sum() over every series of a family gives the overall figure', () => {
    // PromQL `sum(inc_time_to_mitigate_seconds_count)` adds every series of the family, whatever its labels.
    const sumOf = (name: string) => all.filter((s) => s.name === name).reduce((total, s) => total + s.value, 0);
    for (const family of ['inc_time_to_detect_seconds', 'inc_time_to_acknowledge_seconds', 'inc_time_to_mitigate_seconds', 'inc_time_to_resolve_seconds', 'inc_impact_seconds']) {
      const overall = family.replace(/_seconds$/, '_all_seconds');
      expect(sumOf(`${family}_count`), family).toBe(one(`${overall}_count`, {}));
      expect(sumOf(`${family}_sum`), family).toBe(one(`${overall}_sum`, {}));
      expect(all.filter((s) => s.name.startsWith(family) && s.labels.severity === undefined)).toEqual([]);
    }
    expect(sumOf('inc_time_to_mitigate_seconds_sum')).toBe(10950);
    expect(sumOf('inc_incidents')).toBe(report.incidents);
  });

  it('escapes label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(one('inc_commander_incidents', { commander: HOSTILE_COMMANDER })).toBe(1);
    expect(one('inc_service_incidents', { service: HOSTILE_SERVICE })).toBe(1);
  });
});

describe('markdown', () => {
  const text = renderMarkdown(report);

  it('holds the same numbers as the JSON', () => {
    for (const f of FIGURES) {
      const s = report.metrics[f];
      expect(text).toContain(`| ${s.n} | ${humanMinutes(s.mean)} | ${humanMinutes(s.median)} | ${humanMinutes(s.p90)} |`);
    }
    expect(text).toContain('| 2026-02 | 1 | 1 | 0 | 2 |');
    expect(text).toContain(`| ${markdownCell(HOSTILE_SERVICE)} | 1 |`);
  });

  it.skipIf(!has('cmark-gfm'))('renders as tables on GitHub (cmark-gfm), a | in a name included', () => {
    const html = execFileSync('cmark-gfm', ['-e', 'table'], { input: text, encoding: 'utf8' });
    const tables = html.match(/<table>/g) ?? [];
    expect(tables.length).toBeGreaterThanOrEqual(5);
    const serviceRow = html.split('<tr>').find((row) => row.includes('HYPERLINK'))!;
    expect(serviceRow).toContain('a|b');
    expect(serviceRow.match(/<td/g)).toHaveLength(10);
  });
});

describe('table for people', () => {
  const rankOf = (name: string) => severityRank(matrix, name);
  const plain = renderStatsTable(report, { chalk: new Chalk({ level: 0 }), rankOf });
  const coloured = renderStatsTable(report, { chalk: new Chalk({ level: 1 }), rankOf });

  it('is plain without colour and coloured by severity with it', () => {
    expect(plain).not.toMatch(/\u001b\[/);
    expect(coloured).toMatch(/\u001b\[31m\u001b\[1mSEV1/);
    // Colour never changes what is shown.
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('holds the same numbers as the JSON, aligned in columns', () => {
    for (const f of FIGURES) {
      const s = report.metrics[f];
      const row = plain.split('\n').find((l) => l.startsWith(f.toUpperCase().padEnd(6)))!;
      // Every figure here has under 10 incidents: its median and mean say so instead of an interval.
      expect(row.split(/\s{2,}/).slice(-4)).toEqual([String(s.n), `${humanMinutes(s.median)} (too few)`, `${humanMinutes(s.mean)} (too few)`, humanMinutes(s.p90)]);
    }
    const sev1 = plain.split('\n').find((l) => l.startsWith('SEV1 '))!;
    expect(sev1.split(/\s+/).slice(1, 3)).toEqual(['2', humanMinutes(report.by_severity.SEV1!.metrics.ttd.mean)]);
    const header = plain.split('\n').find((l) => l.startsWith('RESPONSE TIMES'))!;
    const ttm = plain.split('\n').find((l) => l.startsWith('TTM'))!;
    expect(ttm.length).toBe(header.length); // right-aligned numbers end under their header
  });

  it('shows the monthly trend as sparklines and bars', () => {
    const months = Object.keys(report.by_month);
    expect(months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(plain).toContain(`incidents  ${sparkline([1, 2, 1])}`);
    expect(plain).toContain(`MTTM       ${sparkline([17.5, 82.5, null])}`);
    // Each bar beside its number: incidents (2 of at most 2) beside TOTAL, MTTM (82.5 of at most 82.5) beside MTTM.
    expect(plain).toMatch(/2026-02 +1 +1 +0 +2 +█{12} +1h 23m +█{12}\n/);
    expect(plain).toMatch(/2026-01 +1 +0 +0 +1 +█{6} +18m +█{3}\n/);
    expect(plain).toMatch(/2026-03 +0 +0 +1 +1 +█{6} +-\n/);
    expect(plain).toContain('Action items  2 total · 1 done (50%)');
    expect(plain).toMatch(/root cause deploy: 2 incidents, 1 open action item\n {4}- Add canary/);
  });
});

describe('JSON', () => {
  it('is the report itself', () => {
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });
});

describe('sparklines', () => {
  it('scales to the largest value, blanks the missing, keeps zero at the floor', () => {
    expect(sparkline([0, 1, 7, null])).toBe('▁▂█ ');
    expect(sparkline([])).toBe('');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});

describe('uncertainty and distribution in every format', () => {
  // Twelve SEV2 incidents, TTM 10, 12, ..., 32 minutes (whole minutes), TTR 60 each: enough for intervals.
  const many = Array.from({ length: 12 }, (_, i) =>
    entry(`2026-05-${String(i + 1).padStart(2, '0')}-m`, 'SEV2', {
      detected: `2026-05-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
      mitigated: new Date(Date.parse(`2026-05-${String(i + 1).padStart(2, '0')}T10:00:00Z`) + (10 + 2 * i) * 60_000).toISOString(),
      resolved: `2026-05-${String(i + 1).padStart(2, '0')}T11:00:00Z`,
    }),
  );
  const big = statsFor(many, { matrix, zone: 'UTC', today: '2026-06-01', filter: NO_FILTER }).report;
  const ttm = big.metrics.ttm;
  const ttmValues = Array.from({ length: 12 }, (_, i) => 10 + 2 * i);

  it('gives the intervals of sampleIntervals over the same values, and the exact sum', () => {
    const expected = sampleIntervals(ttmValues);
    expect([ttm.n, ttm.median, ttm.mean, ttm.sum_seconds, ttm.too_few]).toEqual([12, 21, 21, 252 * 60, false]);
    expect([ttm.median_ci, ttm.mean_ci]).toEqual([expected.median, expected.mean]);
    expect(ttm.median_ci!.low).toBeLessThan(21);
    expect(ttm.median_ci!.high).toBeGreaterThan(21);
    // Every TTR is 60: a zero-width interval.
    expect(big.metrics.ttr.median_ci).toEqual({ low: 60, high: 60 });
    expect(big.uncertainty).toEqual({ method: 'bootstrap percentile', level: 0.95, resamples: 1000, seed: 0x2021, generator: 'mulberry32', min_n: 10 });
  });

  it('shows `median (low-high)` in the table, and a log-scaled histogram per figure', () => {
    const text = renderStatsTable(big, { chalk: new Chalk({ level: 0 }), rankOf: (name) => severityRank(matrix, name) });
    const ci = (i: { low: number; high: number }) => `${formatDuration(i.low)}-${formatDuration(i.high)}`;
    expect(text).toMatch(new RegExp(`^TTM +time to mitigate +12 +21m \\(${ci(ttm.median_ci!)}\\) +21m \\(${ci(ttm.mean_ci!)}\\) +`, 'm'));
    expect(text).toMatch(new RegExp(`^SEV2 +12 .* 21m \\(${ci(ttm.median_ci!)}\\) +`, 'm'));
    // TTM 10..32: 10, 12, 14, 16, 18 in 10m-20m (5), 20..32 in 20m-1h (7); TTR 60 in 1h-2h.
    expect(big.distribution.ttm).toEqual([0, 0, 0, 0, 5, 7, 0, 0, 0, 0, 0]);
    expect(big.distribution.ttr).toEqual([0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0]);
    expect(text).toContain('          <1m 1m  2m  5m  10m 20m 1h  2h  4h  8h  1d+');
    expect(text).toMatch(/^ {2}TTM {5}(· {3}){4}▆▆▆ ███ (· {3}){5} {2}n 12$/m);
    expect(text).toMatch(/^ {2}TTR {5}(· {3}){6}███ (· {3}){4} {2}n 12$/m);
    expect(text).not.toMatch(/^ {2}TTD /m); // no TTD at all: no line
  });

  it('carries the interval ends in CSV and markdown', () => {
    const rows = parse(renderCsv(big), { columns: true }) as Record<string, string>[];
    const value = (measure: string) => rows.find((r) => r.section === 'overall' && r.measure === measure)?.value;
    expect(value('ttm_median_ci_low_minutes')).toBe(String(ttm.median_ci!.low));
    expect(value('ttm_mean_ci_high_minutes')).toBe(String(ttm.mean_ci!.high));
    expect(value('ttm_too_few')).toBe('0');
    expect(value('ttd_too_few')).toBe('1');
    expect(value('ttd_median_ci_low_minutes')).toBe('');
    expect(value('ttm_sum_seconds')).toBe('15120');
    const span = (i: { low: number; high: number }) => `${formatDuration(i.low)}-${formatDuration(i.high)}`;
    // p90 of 10, 12, ..., 32 is 29.8 minutes: 30m, as show and status would say it.
    expect(renderMarkdown(big)).toContain(`| TTM (time to mitigate) | 12 | 21m | 21m | 30m | ${span(ttm.median_ci!)} | ${span(ttm.mean_ci!)} |`);
    expect(renderMarkdown(big)).toContain('| TTD (time to detect) | 0 | - | - | - | - | - |');
  });
});
