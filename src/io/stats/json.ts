/** `inc stats --format json`: the report as docs/metrics.md and `inc describe stats` define it, for scripts. */
import { jsonText } from '../../domain/sanitise.js';
import type { StatsReport } from '../../domain/stats.js';

/** The JSON text, valid for strict parsers; `replaced` counts lone surrogates written as U+FFFD. */
export function renderJson(report: StatsReport): { text: string; replaced: number } {
  const { text, replaced } = jsonText(report);
  return { text: `${text}\n`, replaced };
}
