/** `inc stats --format json`: the report as docs/metrics.md and `inc describe stats` define it, for scripts. */
import type { StatsReport } from '../../domain/stats.js';

export function renderJson(report: StatsReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
