import { describe, expect, it } from 'vitest';
import { milestoneConflicts, statusOf } from '../../src/domain/incident.js';
import { computeMetrics, unusableFigures } from '../../src/domain/metrics.js';
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
    const m = { detected: t('2026-03-15T14:05:00Z'), mitigated: t('2026-03-15T14:00:00Z') };
    expect(computeMetrics(m).ttm).toBeNull();
    expect(unusableFigures(m)).toEqual(['ttm']);
    expect(milestoneConflicts(m).map((c) => c.message)).toEqual([
      'detected_at 2026-03-15T14:05:00Z is after mitigated_at 2026-03-15T14:00:00Z',
    ]);
  });

  it('derives status from the latest milestone', () => {
    expect(statusOf({ detected: 1 })).toBe('investigating');
    expect(statusOf({ detected: 1, identified: 2 })).toBe('identified');
    expect(statusOf({ detected: 1, mitigated: 2 })).toBe('mitigated');
    expect(statusOf({ detected: 1, mitigated: 2, resolved: 3 })).toBe('resolved');
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
