/** Periods for inc stats --compare, and the comparison of two sets of incidents, worked by hand. */
import { describe, expect, it } from 'vitest';
import { comparePeriods, parsePeriod, periodOf, periodsOverlap } from '../../src/domain/compare.js';
import { type Incident, statusOf, type Milestones } from '../../src/domain/incident.js';

describe('parsePeriod', () => {
  it.each([
    ['2026', { label: '2026', since: '2026-01-01', until: '2026-12-31' }],
    ['2026-Q1', { label: '2026-Q1', since: '2026-01-01', until: '2026-03-31' }],
    ['2026-q2', { label: '2026-Q2', since: '2026-04-01', until: '2026-06-30' }],
    ['2026-Q3', { label: '2026-Q3', since: '2026-07-01', until: '2026-09-30' }],
    ['2026-Q4', { label: '2026-Q4', since: '2026-10-01', until: '2026-12-31' }],
    ['2024-02', { label: '2024-02', since: '2024-02-01', until: '2024-02-29' }],
    ['2026-02', { label: '2026-02', since: '2026-02-01', until: '2026-02-28' }],
    [' 2026-11 ', { label: '2026-11', since: '2026-11-01', until: '2026-11-30' }],
    ['2026-01-10..2026-02-15', { label: '2026-01-10..2026-02-15', since: '2026-01-10', until: '2026-02-15' }],
    ['2026-03-01..2026-03-01', { label: '2026-03-01..2026-03-01', since: '2026-03-01', until: '2026-03-01' }],
  ])('reads %j', (text, period) => {
    expect(parsePeriod(text)).toEqual(period);
  });

  it.each(['2026-Q0', '2026-Q5', '2026-00', '2026-13', '26', '2026-1', 'Q1', 'last quarter', '2026-02-30..2026-03-01', '2026-03-02..2026-03-01', '2026-01-01..', '2026-01-01-2026-02-01', ''])(
    'refuses %j',
    (text) => {
      expect(parsePeriod(text)).toBeUndefined();
    },
  );

  it('tells overlapping periods apart from adjacent ones', () => {
    const q1 = parsePeriod('2026-Q1')!;
    expect(periodsOverlap(q1, parsePeriod('2026-Q2')!)).toBe(false);
    expect(periodsOverlap(q1, parsePeriod('2026-03')!)).toBe(true);
    expect(periodsOverlap(parsePeriod('2026-04')!, q1)).toBe(false);
    expect(periodsOverlap(q1, periodOf('2026-03-31', '2026-04-10'))).toBe(true);
  });
});

describe('comparePeriods', () => {
  function incident(id: string, detected: string, mitigatedAfterMinutes: number): Incident {
    const at = Date.parse(detected);
    const milestones: Milestones = { detected: at, mitigated: at + mitigatedAfterMinutes * 60_000 };
    return { id, title: id, severity: 'SEV2', status: statusOf(milestones), drill: false, services: [], commander: null, communications: null, smes: [], milestones, tags: [], extra: {} };
  }
  const before = Array.from({ length: 12 }, (_, i) => incident(`b${i}`, '2026-01-10T10:00:00Z', 50 + i)); // TTM 50..61, median 55.5
  const after = Array.from({ length: 12 }, (_, i) => incident(`a${i}`, '2026-04-10T10:00:00Z', 10 + i)); // TTM 10..21, median 15.5

  it('gives each period its figures and each figure its change and verdict', () => {
    const report = comparePeriods({ period: parsePeriod('2026-Q1')!, incidents: before }, { period: parsePeriod('2026-Q2')!, incidents: after });
    expect([report.before.incidents, report.after.incidents]).toEqual([12, 12]);
    expect([report.before.metrics.ttm.median, report.after.metrics.ttm.median]).toEqual([55.5, 15.5]);
    expect(report.changes.ttm.median.change).toBe(-40);
    expect(report.changes.ttm.median.verdict).toBe('a real change');
    expect(report.changes.ttd).toEqual({
      before_n: 0,
      after_n: 0,
      median: { change: null, relative: null, interval: null, verdict: 'too few to compare' },
      mean: { change: null, relative: null, interval: null, verdict: 'too few to compare' },
    });
  });

  it('leaves a figure with milestones out of order out, as stats does', () => {
    const broken = incident('x', '2026-04-11T10:00:00Z', 10);
    // Resolved 5 minutes after detection, before its mitigation at 10: TTM would be a positive 10, but either time may be wrong.
    broken.milestones = { ...broken.milestones, resolved: broken.milestones.detected! + 5 * 60_000 };
    const report = comparePeriods({ period: parsePeriod('2026-Q1')!, incidents: before }, { period: parsePeriod('2026-Q2')!, incidents: [...after, broken] });
    expect(report.after.incidents).toBe(13);
    expect(report.changes.ttm.after_n).toBe(12);
  });
});
