/** `inc stats --format json`: the report as SPEC.md defines it, for scripts. */
import type { StatsReport } from '../../domain/stats.js';

export function renderJson(report: StatsReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
