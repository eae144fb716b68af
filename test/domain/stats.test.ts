/**
 * inc stats' aggregation on a hand-computed set. Every expected number below was worked out
 * by hand (and the percentiles checked against numpy.percentile), not by the code under test.
 *
 * Zone Europe/Berlin (UTC+1 until 2026-03-29, UTC+2 after), today 2026-04-10.
 *   A SEV1 payment-service  Alice  started 09:58 det 10:00 ack 10:02 mit 10:30 res 11:00 (2026-01-10Z)
 *       TTD 2 TTA 2 TTM 30 TTR 60 impact 32; update at 10:10 (10 min); postmortem published 01-15, due 01-16
 *   B SEV1 payment-service  Alice  started 23:40 det 23:50 ack 23:55 (2026-01-31Z) mit 00:20 res 01:50 (02-01Z)
 *       crosses midnight; detected 2026-02-01 00:50 in Berlin, so month 2026-02 (2026-01 in UTC)
 *       TTD 10 TTA 5 TTM 30 TTR 120 impact 40; update at 00:15Z (25 min, late for SEV1's 15)
 *       postmortem draft without due_date: resolved Sun 2026-02-01 + 5 business days = Fri 02-06, overdue
 *   C SEV2 search  Bob  det 2026-03-14T22:30Z ack 22:40 mit 00:10 res 02:30 (03-15Z), no start
 *       TTA 10 TTM 100 TTR 240; no update (SEV2 expects them); no postmortem: required, overdue (due 03-20)
 *   D SEV3 search  (no commander)  det 2026-03-20T12:00Z ack 12:30, still open; update at 12:45 (45 min)
 *   E SEV1 payment-service  Carol  a drill (2026-03-25)
 *   F SEV2 payment-service  Alice  started 08:00 det 08:10 ack 08:15 mit 08:40 res 08:30 (2026-04-02Z)
 *       mitigated after resolved: TTM, TTR and impact left out; TTD 10 TTA 5 kept
 *       postmortem in-review, due_date 2026-04-20 (not overdue)
 *   G SEV4 (no service)  Bob  started 08:59 det 09:00 mit 09:05 res 09:06 (2026-04-05Z)
 *       TTD 1 TTM 5 TTR 6 impact 6
 */
import { describe, expect, it } from 'vitest';
import { type Incident, MILESTONES, type Milestones, statusOf } from '../../src/domain/incident.js';
import { parseActionItems } from '../../src/domain/postmortem.js';
import { parseSeverityMatrix } from '../../src/domain/severity.js';
import {
  dateFormatter,
  monthRange,
  NO_FILTER,
  percentile,
  postmortemFacts,
  type StatsEntry,
  type StatsFilter,
  statsDefinitions,
  statsFor,
  summarise,
  updateTimes,
  usableFigures,
} from '../../src/domain/stats.js';
import { parseTimeline } from '../../src/domain/timeline.js';

const matrix = parseSeverityMatrix(
  {
    severities: {
      SEV1: { description: 'outage', update_every_minutes: 15, postmortem_required: true, postmortem_due_business_days: 5 },
      SEV2: { description: 'major', update_every_minutes: 30, postmortem_required: true, postmortem_due_business_days: 5 },
      SEV3: { description: 'minor', update_every_minutes: 240, postmortem_required: false },
      SEV4: { description: 'cosmetic', postmortem_required: false },
    },
  },
  'incident-severity.yaml',
);

const t = (iso: string) => Date.parse(iso);

function incident(id: string, fields: Partial<Incident> & { at: Partial<Record<(typeof MILESTONES)[number], string>> }): Incident {
  const milestones: Milestones = {};
  for (const m of MILESTONES) if (fields.at[m]) milestones[m] = t(fields.at[m]!);
  return {
    id,
    title: id,
    severity: fields.severity ?? 'SEV1',
    status: statusOf(milestones),
    drill: fields.drill ?? false,
    services: fields.services ?? [],
    commander: fields.commander ?? null,
    communications: null,
    smes: [],
    milestones,
    tags: [],
    extra: {},
  };
}

const actionTable = (rows: string[]) =>
  parseActionItems(['## Action items', '', '| Action | Owner | Priority | Due | Ticket | Status |', '|---|---|---|---|---|---|', ...rows].join('\n'), 1);

const A: StatsEntry = {
  incident: incident('2026-01-10-a', {
    severity: 'SEV1',
    services: ['payment-service'],
    commander: 'Alice',
    at: { started: '2026-01-10T09:58:00Z', detected: '2026-01-10T10:00:00Z', acknowledged: '2026-01-10T10:02:00Z', mitigated: '2026-01-10T10:30:00Z', resolved: '2026-01-10T11:00:00Z' },
  }),
  postmortem: postmortemFacts(
    { status: 'published', due_date: '2026-01-16', published_at: '2026-01-15', root_causes: ['deploy'] },
    'published',
    actionTable(['| Add null-safety tests | Bob | P1 | 2026-01-20 | ENG-1 | Done |', '| Canary stage for payments | Carol | P2 | 2026-02-01 | ENG-2 | TODO |']),
  ),
  updates: [t('2026-01-10T10:40:00Z'), t('2026-01-10T10:10:00Z')],
};
const B: StatsEntry = {
  incident: incident('2026-01-31-b', {
    severity: 'sev1', // as a person might type it: read as SEV1
    services: ['payment-service'],
    commander: 'Alice',
    at: { started: '2026-01-31T23:40:00Z', detected: '2026-01-31T23:50:00Z', acknowledged: '2026-01-31T23:55:00Z', mitigated: '2026-02-01T00:20:00Z', resolved: '2026-02-01T01:50:00Z' },
  }),
  postmortem: postmortemFacts(
    { status: 'draft', root_causes: ['Deploy', 'config'] },
    'draft',
    actionTable(['| Freeze Friday deploys | Alice | P2 | 2026-05-01 | ENG-3 | in progress |', '| Rewrite payments | Dave | P3 | 2026-02-10 | ENG-4 | won\'t do |']),
  ),
  updates: [t('2026-02-01T00:15:00Z')],
};
const C: StatsEntry = {
  incident: incident('2026-03-14-c', {
    severity: 'SEV2',
    services: ['search'],
    commander: 'Bob',
    at: { detected: '2026-03-14T22:30:00Z', acknowledged: '2026-03-14T22:40:00Z', mitigated: '2026-03-15T00:10:00Z', resolved: '2026-03-15T02:30:00Z' },
  }),
  postmortem: null,
  updates: [],
};
const D: StatsEntry = {
  incident: incident('2026-03-20-d', {
    severity: 'SEV3',
    services: ['search'],
    at: { detected: '2026-03-20T12:00:00Z', acknowledged: '2026-03-20T12:30:00Z' },
  }),
  postmortem: null,
  // An update logged before detection is not a first update.
  updates: [t('2026-03-20T11:00:00Z'), t('2026-03-20T12:45:00Z')],
};
const E: StatsEntry = {
  incident: incident('2026-03-25-e', {
    severity: 'SEV1',
    drill: true,
    services: ['payment-service'],
    commander: 'Carol',
    at: { detected: '2026-03-25T10:00:00Z', mitigated: '2026-03-25T10:10:00Z', resolved: '2026-03-25T10:20:00Z' },
  }),
  postmortem: null,
  updates: [],
};
const F: StatsEntry = {
  incident: incident('2026-04-02-f', {
    severity: 'SEV2',
    services: ['payment-service'],
    commander: 'Alice',
    at: { started: '2026-04-02T08:00:00Z', detected: '2026-04-02T08:10:00Z', acknowledged: '2026-04-02T08:15:00Z', mitigated: '2026-04-02T08:40:00Z', resolved: '2026-04-02T08:30:00Z' },
  }),
  postmortem: postmortemFacts(
    { status: 'in-review', due_date: '2026-04-20', root_causes: 'config' },
    'in-review',
    actionTable(['| Validate config on deploy | Erin | P1 | 2026-04-30 | ENG-5 | todo |']),
  ),
  updates: [],
};
const G: StatsEntry = {
  incident: incident('2026-04-05-g', {
    severity: 'SEV4',
    commander: 'Bob',
    at: { started: '2026-04-05T08:59:00Z', detected: '2026-04-05T09:00:00Z', mitigated: '2026-04-05T09:05:00Z', resolved: '2026-04-05T09:06:00Z' },
  }),
  postmortem: null,
  updates: [],
};

const ALL = [A, B, C, D, E, F, G];
const options = (filter: Partial<StatsFilter> = {}, zone = 'Europe/Berlin') => ({ matrix, zone, today: '2026-04-10', filter: { ...NO_FILTER, ...filter } });
const empty = { n: 0, mean: null, median: null, p90: null, sum_seconds: 0 };
/** A figure without data: no interval, too few to compare. */
const none = { ...empty, median_ci: null, mean_ci: null, too_few: true };
/** A figure of fewer than 10 incidents (all of this set): its summary, exact sum, no interval. */
function figure(n: number, mean: number, median: number, p90: number, sumMinutes: number) {
  return { n, mean, median, p90, sum_seconds: sumMinutes * 60, median_ci: null, mean_ci: null, too_few: true };
}

describe('percentiles and summaries', () => {
  it('interpolates linearly between closest ranks, as numpy.percentile', () => {
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 10);
    expect(percentile([15, 20, 35, 40, 50], 90)).toBeCloseTo(46, 10);
    expect(percentile([15, 20, 35, 40, 50], 40)).toBeCloseTo(29, 10);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([3, 9], 0)).toBe(3);
    expect(percentile([3, 9], 100)).toBe(9);
    expect(percentile([], 50)).toBeNull();
  });

  it('gives the median of an even n as the mean of the two middle values, whatever the input order', () => {
    expect(summarise([10, 1, 4, 2])).toEqual({ n: 4, mean: 4.25, median: 3, p90: 8.2, sum_seconds: 1020 });
    expect(summarise([5])).toEqual({ n: 1, mean: 5, median: 5, p90: 5, sum_seconds: 300 });
  });

  it('gives n 0 and nulls for an empty set, never NaN', () => {
    expect(summarise([])).toEqual(empty);
  });

  it('rounds to the hundredth of a minute', () => {
    expect(summarise([0.5, 1, 1]).mean).toBe(0.83);
    expect(summarise([1 / 60, 2 / 60]).median).toBe(0.03);
  });
});

describe('milestones out of order', () => {
  it('leaves out every figure that uses a milestone in conflict, and keeps the others', () => {
    const result = usableFigures(F.incident);
    expect(result.figures).toEqual({ ttd: 10, tta: 5, ttm: null, ttr: null, impact: null });
    expect(result.unusable).toEqual(['ttm', 'ttr', 'impact']);
    expect(result.conflicts).toEqual(['mitigated_at 2026-04-02T08:40:00Z is after resolved_at 2026-04-02T08:30:00Z']);
  });

  it('leaves in-order incidents untouched', () => {
    expect(usableFigures(A.incident)).toEqual({ figures: { ttd: 2, tta: 2, ttm: 30, ttr: 60, impact: 32 }, unusable: [], conflicts: [] });
  });
});

describe('stats over the hand-computed set', () => {
  const { report, warnings } = statsFor(ALL, options());

  it('counts incidents and the drill it left out', () => {
    expect(report.incidents).toBe(6);
    expect(report.drills_excluded).toBe(1);
  });

  it('gives n, mean, median and p90 of every figure', () => {
    expect(report.metrics).toEqual({
      ttd: figure(4, 5.75, 6, 10, 23), // 1 2 10 10
      tta: figure(5, 10.4, 5, 22, 52), // 2 5 5 10 30
      ttm: figure(4, 41.25, 30, 79, 165), // 5 30 30 100
      ttr: figure(4, 106.5, 90, 204, 426), // 6 60 120 240
      impact: figure(3, 26, 32, 38.4, 78), // 6 32 40
    });
  });

  it('gives every severity of the matrix, in matrix order, with its figures', () => {
    expect(Object.keys(report.by_severity)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(report.by_severity.SEV1).toEqual({
      incidents: 2,
      metrics: {
        ttd: figure(2, 6, 6, 9.2, 12),
        tta: figure(2, 3.5, 3.5, 4.7, 7),
        ttm: figure(2, 30, 30, 30, 60),
        ttr: figure(2, 90, 90, 114, 180),
        impact: figure(2, 36, 36, 39.2, 72),
      },
    });
    expect(report.by_severity.SEV2).toEqual({
      incidents: 2,
      metrics: {
        ttd: figure(1, 10, 10, 10, 10),
        tta: figure(2, 7.5, 7.5, 9.5, 15),
        ttm: figure(1, 100, 100, 100, 100),
        ttr: figure(1, 240, 240, 240, 240),
        impact: none,
      },
    });
    expect(report.by_severity.SEV3).toEqual({ incidents: 1, metrics: { ttd: none, tta: figure(1, 30, 30, 30, 30), ttm: none, ttr: none, impact: none } });
    expect(report.by_severity.SEV4!.metrics.ttr).toEqual(figure(1, 6, 6, 6, 6));
  });

  it('gives every service, sorted, with its figures; an incident without services is in none', () => {
    expect(Object.keys(report.by_service)).toEqual(['payment-service', 'search']);
    expect(report.by_service['payment-service']).toEqual({
      incidents: 3,
      metrics: {
        ttd: figure(3, 7.33, 10, 10, 22),
        tta: figure(3, 4, 5, 5, 12),
        ttm: figure(2, 30, 30, 30, 60),
        ttr: figure(2, 90, 90, 114, 180),
        impact: figure(2, 36, 36, 39.2, 72),
      },
    });
    expect(report.by_service.search!.metrics.tta).toEqual(figure(2, 20, 20, 28, 40));
  });

  it('counts by month of detection in the configured zone, from the first incident\'s month to the last one\'s', () => {
    expect(report.by_month).toEqual({
      '2026-01': { SEV1: 1, SEV2: 0, SEV3: 0, SEV4: 0 },
      '2026-02': { SEV1: 1, SEV2: 0, SEV3: 0, SEV4: 0 }, // B: 23:50 UTC on 31 January is February in Berlin
      '2026-03': { SEV1: 0, SEV2: 1, SEV3: 1, SEV4: 0 },
      '2026-04': { SEV1: 0, SEV2: 1, SEV3: 0, SEV4: 1 },
    });
    expect(report.monthly).toEqual({
      '2026-01': { incidents: 1, ttm: { n: 1, mean: 30, median: 30, p90: 30, sum_seconds: 1800 } },
      '2026-02': { incidents: 1, ttm: { n: 1, mean: 30, median: 30, p90: 30, sum_seconds: 1800 } },
      '2026-03': { incidents: 2, ttm: { n: 1, mean: 100, median: 100, p90: 100, sum_seconds: 6000 } },
      '2026-04': { incidents: 2, ttm: { n: 1, mean: 5, median: 5, p90: 5, sum_seconds: 300 } },
    });
  });

  it('lays months out from the first to the last incident of the selection, not up to today', () => {
    // Today is years after the last incident, and --since months before the first: neither adds empty months.
    const later = statsFor(ALL, { ...options({ since: '2025-06-01' }), today: '2028-12-31' }).report;
    expect(Object.keys(later.by_month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    const march = statsFor(ALL, options({ since: '2026-03-01', until: '2026-03-31' })).report;
    expect(Object.keys(march.by_month)).toEqual(['2026-03']);
    expect(statsFor([], options()).report.by_month).toEqual({});
  });

  it('groups by the UTC month when the zone is UTC', () => {
    const utc = statsFor(ALL, options({}, 'UTC')).report;
    expect(utc.by_month['2026-01']).toEqual({ SEV1: 2, SEV2: 0, SEV3: 0, SEV4: 0 });
    expect(utc.by_month['2026-02']).toEqual({ SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0 });
  });

  it('counts action items: done, open, dropped, overdue and the completion rate', () => {
    expect(report.action_items).toEqual({ total: 5, done: 1, completion_rate: 0.2, open: 3, wont_do: 1, overdue: 1 });
  });

  it('counts postmortems: required, written, coverage, published, on time, overdue', () => {
    // Required: A, B, C, F (D is open, G is SEV4, E is a drill). Written: A, B, F.
    expect(report.postmortems).toEqual({ required: 4, written: 3, coverage: 0.75, published: 1, on_time: 1, overdue: 2 });
  });

  it('measures the time to the first stakeholder update', () => {
    // A 10, B 25 (late for SEV1), D 45; C and F expect updates and have none; G's SEV4 expects none.
    expect(report.first_update).toEqual({ n: 3, mean: 26.67, median: 25, p90: 41, sum_seconds: 4800, late: 1, without_update: 2 });
  });

  it('counts incidents per commander, most first', () => {
    expect(report.commanders).toEqual({
      unassigned: 1,
      by_commander: [
        { name: 'Alice', incidents: 3, share: 0.5 },
        { name: 'Bob', incidents: 2, share: 0.3333 },
      ],
    });
  });

  it('finds root causes and services in two or more incidents, with their open action items', () => {
    const { root_causes: causes, services } = report.recurring;
    expect(causes.map((c) => [c.name, c.incidents, c.ids])).toEqual([
      ['config', 2, ['2026-01-31-b', '2026-04-02-f']],
      ['deploy', 2, ['2026-01-10-a', '2026-01-31-b']],
    ]);
    expect(causes[1]!.open_action_items).toEqual([
      { incident: '2026-01-10-a', action: 'Canary stage for payments', owner: 'Carol', due: '2026-02-01', status: 'TODO' },
      { incident: '2026-01-31-b', action: 'Freeze Friday deploys', owner: 'Alice', due: '2026-05-01', status: 'in progress' },
    ]);
    expect(services.map((s) => [s.name, s.incidents, s.open_action_items.length])).toEqual([
      ['payment-service', 3, 3],
      ['search', 2, 0],
    ]);
  });

  it('warns about the incident it left out of figures, naming it and the figures', () => {
    expect(warnings).toEqual([
      {
        incident: '2026-04-02-f',
        message: 'milestones out of order (mitigated_at 2026-04-02T08:40:00Z is after resolved_at 2026-04-02T08:30:00Z): left out of TTM, TTR, IMPACT',
      },
    ]);
  });

  it('holds no negative number, NaN or infinity anywhere', () => {
    const numbers: number[] = [];
    JSON.stringify(report, (_key, value: unknown) => {
      if (typeof value === 'number') numbers.push(value);
      return value;
    });
    expect(numbers.length).toBeGreaterThan(100);
    expect(numbers.filter((n) => !Number.isFinite(n) || n < 0 || Object.is(n, -0))).toEqual([]);
  });

  it('keeps the JSON keys scripts rely on, in their order', () => {
    expect(Object.keys(report).slice(0, 7)).toEqual(['incidents', 'drills_excluded', 'metrics', 'by_severity', 'by_month', 'action_items', 'postmortems']);
    expect(Object.keys(report.metrics)).toEqual(['ttd', 'tta', 'ttm', 'ttr', 'impact']);
  });
});

describe('filters', () => {
  it('takes --since and --until as inclusive calendar dates in the zone', () => {
    const berlin = statsFor(ALL, options({ since: '2026-02-01', until: '2026-03-31' })).report;
    expect(berlin.incidents).toBe(3); // B (1 February in Berlin), C, D
    expect(berlin.drills_excluded).toBe(1); // E, 25 March
    expect(Object.keys(berlin.by_month)).toEqual(['2026-02', '2026-03']);
    const utc = statsFor(ALL, options({ since: '2026-02-01', until: '2026-03-31' }, 'UTC')).report;
    expect(utc.incidents).toBe(2); // B was detected on 31 January in UTC
    expect(statsFor(ALL, options({ since: '2026-04-05', until: '2026-04-05' })).report.incidents).toBe(1); // G only
  });

  it('selects one severity (as the matrix spells it) or one service', () => {
    const sev1 = statsFor(ALL, options({ severity: 'SEV1' })).report;
    expect([sev1.incidents, sev1.drills_excluded]).toEqual([2, 1]);
    expect(sev1.period.severity).toBe('SEV1');
    const search = statsFor(ALL, options({ service: 'search' })).report;
    expect([search.incidents, search.drills_excluded]).toEqual([2, 0]);
    expect(search.metrics.ttr).toEqual(figure(1, 240, 240, 240, 240));
  });

  it('counts drills like incidents when asked to, still without requiring their postmortem', () => {
    const withDrills = statsFor(ALL, options({ includeDrills: true })).report;
    expect([withDrills.incidents, withDrills.drills_excluded]).toEqual([7, 0]);
    expect(withDrills.by_severity.SEV1!.metrics.ttm).toEqual(figure(3, 23.33, 30, 30, 70)); // 10 30 30
    expect(withDrills.postmortems.required).toBe(4);
    expect(withDrills.commanders.by_commander.map((c) => c.name)).toEqual(['Alice', 'Bob', 'Carol']);
  });

  it('gives n 0 and nulls, not NaN, when nothing matches', () => {
    const { report } = statsFor(ALL, options({ since: '2027-01-01' }));
    expect(report.incidents).toBe(0);
    expect(report.metrics.ttm).toEqual(none);
    expect(report.by_severity.SEV1).toEqual({ incidents: 0, metrics: { ttd: none, tta: none, ttm: none, ttr: none, impact: none } });
    expect(report.action_items.completion_rate).toBeNull();
    expect(report.postmortems.coverage).toBeNull();
    expect(report.by_month).toEqual({});
    const empty = statsFor([], options()).report;
    expect([empty.incidents, empty.commanders.by_commander, empty.first_update.mean]).toEqual([0, [], null]);
  });

  it('leaves an incident without detected_at out of a dated selection, with a warning', () => {
    const undated: StatsEntry = { ...G, incident: { ...G.incident, id: '2026-04-06-h', milestones: {} } };
    const { report, warnings } = statsFor([G, undated], options({ since: '2026-04-01' }));
    expect(report.incidents).toBe(1);
    expect(warnings.map((w) => w.incident)).toEqual(['2026-04-06-h']);
  });

  it('keeps severities missing from the matrix after the matrix ones', () => {
    const odd: StatsEntry = { ...G, incident: { ...G.incident, id: '2026-04-07-p0', severity: 'P0' } };
    expect(Object.keys(statsFor([G, odd], options()).report.by_severity)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'P0']);
  });
});

describe('stakeholder updates in a timeline', () => {
  const timeline = [
    '# Timeline: x',
    '',
    '| Time (UTC) | Event | By | Kind |',
    '|---|---|---|---|',
    '| 2026-03-15T14:25:00Z | Status page updated | Alice | update |',
    '| 2026-03-15T14:10:00Z | Customer support told \\| update | Bob |  Update  |\r',
    '| 2026-03-15T14:11:00Z | mentions \\| update \\| in the text | Bob | note |',
    '| 2026-03-15T14:12:00Z | kind missing, author named update | update |',
    '| 2026-03-15 14:30 | written by hand | Carol | update |',
    '| soon | no readable time | Carol | update |',
    '| 2026-03-15T14:40:00Z | Status page updated again | Dave | updates |',
    '',
  ].join('\n');

  it('finds the rows of kind "update" exactly as the timeline parser reads them', () => {
    const expected = parseTimeline(timeline, 'timeline.md').entries.filter((e) => e.kind?.trim().toLowerCase() === 'update').map((e) => e.at);
    expect(expected).toEqual([t('2026-03-15T14:10:00Z'), t('2026-03-15T14:25:00Z'), t('2026-03-15T14:30:00Z')]);
    expect(updateTimes(timeline).sort((a, b) => a - b)).toEqual(expected);
    expect(updateTimes('')).toEqual([]);
  });
});

describe('helpers', () => {
  it('dates instants in a zone exactly as Intl does, DST changes and year ends included', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham']) {
      const dateOf = dateFormatter(zone);
      // The oracle: Intl itself, not the project's own date helpers.
      const intl = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const intlDate = (at: number) => {
        const part = (type: string) => intl.formatToParts(new Date(at)).find((p) => p.type === type)!.value;
        return `${part('year')}-${part('month')}-${part('day')}`;
      };
      for (let at = Date.UTC(2025, 11, 31, 0, 7); at < Date.UTC(2026, 11, 31); at += 433 * 60_000) {
        expect(dateOf(at), `${zone} ${new Date(at).toISOString()}`).toBe(intlDate(at));
      }
    }
    // Worked by hand: 23:30 UTC on 31 December 2025 is already 1 January in Berlin (UTC+1), still 31 December in New York.
    const newYear = Date.UTC(2025, 11, 31, 23, 30);
    expect(dateFormatter('Europe/Berlin')(newYear)).toBe('2026-01-01');
    expect(dateFormatter('America/New_York')(newYear)).toBe('2025-12-31');
    expect(dateFormatter('UTC')(newYear)).toBe('2025-12-31');
  });

  it('lists every month of a range, across a year end', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthRange('2026-03', '2026-03')).toEqual(['2026-03']);
  });

  it('reads postmortem front matter leniently: due_date, published_at, root causes as a list or a text', () => {
    expect(postmortemFacts({ due_date: '2026-03-20', published_at: '2026-03-19T10:00:00Z', root_causes: 'deploy, config ,' }, 'published', [])).toEqual({
      status: 'published',
      due: '2026-03-20',
      publishedOn: '2026-03-19',
      rootCauses: ['deploy', 'config'],
      actionItems: [],
    });
    expect(postmortemFacts({ due_date: 'soon', root_causes: null }, 'draft', [])).toMatchObject({ due: null, rootCauses: [] });
  });

  it('defines every figure for --explain', () => {
    const terms = statsDefinitions().map((d) => d.term);
    for (const term of ['TTD', 'TTA', 'TTM', 'TTR', 'IMPACT', 'median', 'p90', 'postmortems', 'action_items', 'first_update', 'recurring', 'commanders']) {
      expect(terms.some((t) => t.startsWith(term))).toBe(true);
    }
  });
});
