/** `inc stats --format json`: the report as docs/metrics.md and `inc describe stats` define it, for scripts. */
import { jsonText } from '../../domain/sanitise.js';
import type { StatsReport } from '../../domain/stats.js';

/** The JSON text, valid for strict parsers; `onReplaced` hears how many lone surrogates became U+FFFD. */
export function renderJson(report: StatsReport, onReplaced: (count: number) => void = () => {}): string {
  const { text, replaced } = jsonText(report);
  if (replaced > 0) onReplaced(replaced);
  return `${text}\n`;
}
