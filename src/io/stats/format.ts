/** Small renderings the stats formats share: durations for people, percentages, sparklines, the scope. */
import type { StatsReport } from '../../domain/stats.js';
import type { Interval } from '../../domain/uncertainty.js';
import { formatDuration } from '../../domain/time.js';

/**
 * Minutes for people, in the one form show, status and postmortems use (`10s`, `17m`,
 * `1h 05m`, `2d 3h`); `-` where there is no figure. Machines read JSON, CSV or Prometheus.
 */
export function humanMinutes(minutes: number | null): string {
  return minutes === null ? '-' : formatDuration(minutes);
}

/** A ratio 0..1 as `67%` (one decimal where it matters); `-` for null. */
export function percent(ratio: number | null): string {
  if (ratio === null) return '-';
  return `${Number((ratio * 100).toFixed(1))}%`;
}

const BLOCKS = ['▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per value: ▁ for zero, ▂..█ scaled to the largest value, a space where
 * there is no value (a month without a mitigated incident has no MTTM).
 */
export function sparkline(values: (number | null)[]): string {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (v <= 0 || max === 0) return '▁';
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.ceil((v / max) * BLOCKS.length) - 1)]!;
    })
    .join('');
}

/** A bar of up to `width` full blocks for a count. */
export function bar(value: number, max: number, width = 20): string {
  if (value <= 0 || max <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((value / max) * width)));
}

/** What a report covers: `detected 2026-03-01 to today, SEV1, service api` (`severityPrefix` before the severity). */
export function scopeText(period: StatsReport['period'], severityPrefix = ''): string {
  const parts = [period.since || period.until ? `detected ${period.since ?? 'any time'} to ${period.until ?? 'today'}` : 'all incidents'];
  if (period.severity) parts.push(`${severityPrefix}${period.severity}`);
  if (period.service) parts.push(`service ${period.service}`);
  return parts.join(', ');
}

/** An interval as durations: `24m-41m`, `1h 50m-2h 15m`. */
export function intervalText(interval: Interval): string {
  return `${humanMinutes(interval.low)}-${humanMinutes(interval.high)}`;
}

/** `32m (24m-41m)`; `5m (too few)` under the minimum n; `-` without a value. */
export function withInterval(value: number | null, interval: Interval | null, tooFew: boolean): string {
  if (value === null) return '-';
  if (interval === null) return tooFew ? `${humanMinutes(value)} (too few)` : humanMinutes(value);
  return `${humanMinutes(value)} (${intervalText(interval)})`;
}

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A histogram of counts as one cell per bin, `width` characters wide: a block whose height
 * follows the count (▁ for the fewest, █ for the most), `·` for an empty bin, so that it reads
 * without colour and a bin with one incident never looks empty.
 */
export function histogramCells(counts: number[], width = 4): string {
  const max = Math.max(0, ...counts);
  return counts
    .map((count) => {
      if (count === 0 || max === 0) return '·'.padEnd(width);
      const level = LEVELS[Math.min(LEVELS.length - 1, Math.ceil((count / max) * LEVELS.length) - 1)]!;
      return level.repeat(width - 1).padEnd(width);
    })
    .join('');
}
