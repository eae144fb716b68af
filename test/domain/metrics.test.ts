import { describe, expect, it } from 'vitest';
import { milestoneConflicts, recoveredBeforeDetection, statusOf } from '../../src/domain/incident.js';
import { computeMetrics, interruptionProblems, unusableFigures } from '../../src/domain/metrics.js';
import { metricsJson } from '../../src/domain/incident-json.js';

const t = (iso: string) => Date.parse(iso);

describe('metrics', () => {
  it('gives the SPEC example: TTD 3, TTA 1, TTM 17, TTR 55, impact 20', () => {
    const m = {
      started: t('2026-03-15T14:02:00Z'),
      detected: t('2026-03-15T14:05:00Z'),
      acknowledged: t('2026-03-15T14:06:00Z'),
      mitigated: t('2026-03-15T14:22:00Z'),
      resolved: t('2026-03-15T15:00:00Z'),
    };
    expect(computeMetrics(m)).toEqual({ ttd: 3, tta: 1, ttm: 17, ttr: 55, impact: 20 });
  });

  it('leaves a figure null when a timestamp is missing; impact falls back to resolution', () => {
    const m = { detected: t('2026-03-15T23:50:00Z'), resolved: t('2026-03-17T00:20:30Z') };
    expect(computeMetrics(m)).toEqual({ ttd: null, tta: null, ttm: null, ttr: 1470.5, impact: null });
    expect(computeMetrics({ ...m, started: t('2026-03-15T23:40:00Z') }).impact).toBe(1480.5);
  });

  it('never returns a negative time for out-of-order milestones', () => {
    const m = { started: t('2026-03-15T14:10:00Z'), detected: t('2026-03-15T14:05:00Z'), mitigated: t('2026-03-15T14:20:00Z') };
    expect(computeMetrics(m)).toEqual({ ttd: null, tta: null, ttm: 15, ttr: null, impact: 10 });
    const backwards = { ...m, mitigated: t('2026-03-15T14:00:00Z') };
    expect(computeMetrics(backwards).impact).toBeNull();
    expect(unusableFigures(backwards)).toEqual(['ttd', 'impact']);
    expect(milestoneConflicts(backwards).map((c) => c.message)).toEqual([
      'started_at 2026-03-15T14:10:00Z is after detected_at 2026-03-15T14:05:00Z',
      'started_at 2026-03-15T14:10:00Z is after mitigated_at 2026-03-15T14:00:00Z',
    ]);
  });

  it('an incident that recovered before detection: TTM null, impact measured, no conflict', () => {
    // The mybinder.org shape: impact 10:34-10:55, noticed at 15:00.
    const m = { started: t('2026-03-26T10:34:00Z'), mitigated: t('2026-03-26T10:55:00Z'), detected: t('2026-03-26T15:00:00Z'), resolved: t('2026-03-26T15:10:00Z') };
    expect(computeMetrics(m)).toEqual({ ttd: 266, tta: null, ttm: null, ttr: 10, impact: 21 });
    expect(recoveredBeforeDetection(m)).toBe(true);
    expect(milestoneConflicts(m)).toEqual([]);
    expect(unusableFigures(m)).toEqual([]);
    // Resolved before detection too: no TTR either.
    expect(computeMetrics({ ...m, resolved: t('2026-03-26T11:00:00Z') }).ttr).toBeNull();
  });

  it('a cause identified after the resolution, and an acknowledgement after the mitigation, break no rule', () => {
    const m = { detected: t('2026-03-15T14:05:00Z'), mitigated: t('2026-03-15T14:20:00Z'), acknowledged: t('2026-03-15T14:30:00Z'), resolved: t('2026-03-15T15:00:00Z'), identified: t('2026-03-16T09:00:00Z') };
    expect(milestoneConflicts(m)).toEqual([]);
    expect(computeMetrics(m)).toEqual({ ttd: null, tta: 25, ttm: 15, ttr: 55, impact: null });
  });

  it('sums the impact windows around relapses: 14:02-14:22 and 14:40-15:05 and 15:30-15:40 is 55 minutes', () => {
    const m = { started: t('2026-03-15T14:02:00Z'), detected: t('2026-03-15T14:05:00Z'), mitigated: t('2026-03-15T15:40:00Z') };
    const relapses = [
      { ended: t('2026-03-15T14:22:00Z'), back: t('2026-03-15T14:40:00Z') },
      { ended: t('2026-03-15T15:05:00Z'), back: t('2026-03-15T15:30:00Z') },
    ];
    expect(computeMetrics(m, relapses)).toEqual({ ttd: 3, tta: null, ttm: 95, ttr: null, impact: 20 + 25 + 10 });
    expect(interruptionProblems(m, relapses, [])).toEqual([]);
    // A window out of order is reported, and the impact is not guessed.
    const crossed = [relapses[1]!, relapses[0]!];
    expect(computeMetrics(m, crossed).impact).toBeNull();
    expect(interruptionProblems(m, crossed, [])).toEqual(['relapse_history item 2: ended at 2026-03-15T14:22:00Z, before the previous item came back 2026-03-15T15:30:00Z']);
  });

  it('derives status from the latest milestone', () => {
    expect(statusOf({ detected: 1 })).toBe('investigating');
    expect(statusOf({ detected: 1, identified: 2 })).toBe('identified');
    expect(statusOf({ detected: 1, mitigated: 2 })).toBe('mitigated');
    expect(statusOf({ detected: 1, mitigated: 2, resolved: 3 })).toBe('resolved');
    // By the furthest milestone, not the latest time: identified after resolved stays resolved.
    expect(statusOf({ detected: 1, resolved: 3, identified: 9 })).toBe('resolved');
    expect(statusOf({ detected: 1, mitigated: 2 }, 'declined')).toBe('declined');
  });
});

describe('metrics as JSON', () => {
  it('carries minutes with at most two decimals, and null where unknown', () => {
    const at = (iso: string) => Date.parse(iso);
    const metrics = computeMetrics({ detected: at('2026-03-15T14:05:00Z'), acknowledged: at('2026-03-15T14:10:17Z') });
    expect(metrics.tta).toBeCloseTo(5.2833333, 6);
    expect(metricsJson(metrics)).toEqual({ ttd: null, tta: 5.28, ttm: null, ttr: null, impact: null });
  });
});
