/**
 * `inc stats --compare` for people (a table; plain text, readable without colour) and for a
 * report (markdown). Two rows per figure: its median and its mean, each with the change, its
 * 95% interval and the verdict.
 */
import type { ChalkInstance } from 'chalk';
import type { ComparisonReport, PeriodReport } from '../../domain/compare.js';
import { FIGURE_DEFINITIONS, FIGURES } from '../../domain/metrics.js';
import type { FigureSummary } from '../../domain/stats.js';
import { type Change, VERDICTS } from '../../domain/uncertainty.js';
import { plural } from '../../domain/words.js';
import { renderTable } from '../table.js';
import { humanMinutes, withInterval } from './format.js';
import { markdownTable } from './markdown.js';

/** `+5m`, `-1h 05m`, `0m`: a change with its sign. */
export function signedMinutes(minutes: number): string {
  if (minutes === 0) return '0m';
  return `${minutes < 0 ? '-' : '+'}${humanMinutes(Math.abs(minutes))}`;
}

/** `-8m (-15m to +1m), -20%`; `+3m (too few)` without an interval; `-` without data. */
export function changeText(change: Change): string {
  if (change.change === null) return '-';
  const relative = change.relative === null ? '' : `, ${change.relative > 0 ? '+' : ''}${Math.round(change.relative * 100)}%`;
  if (change.interval === null) return `${signedMinutes(change.change)}${relative} (too few)`;
  return `${signedMinutes(change.change)} (${signedMinutes(change.interval.low)} to ${signedMinutes(change.interval.high)})${relative}`;
}

function periodText(p: PeriodReport): string {
  return `${p.label} (${p.since} to ${p.until}, ${plural(p.incidents, 'incident')})`;
}

interface Row {
  figure: string;
  n: string;
  before: string;
  after: string;
  change: string;
  verdict: string;
}

function rows(report: ComparisonReport): Row[] {
  return FIGURES.flatMap((f) => {
    const a = report.before.metrics[f];
    const b = report.after.metrics[f];
    const changes = report.changes[f];
    const of = (summary: FigureSummary, which: 'median' | 'mean') =>
      which === 'median' ? withInterval(summary.median, summary.median_ci, summary.too_few) : withInterval(summary.mean, summary.mean_ci, summary.too_few);
    return (['median', 'mean'] as const).map((which) => ({
      figure: `${f.toUpperCase()} ${which}`,
      n: `${changes.before_n} / ${changes.after_n}`,
      before: of(a, which),
      after: of(b, which),
      change: changeText(changes[which]),
      verdict: changes[which].verdict,
    }));
  });
}

const HEADERS = ['FIGURE', 'N', 'BEFORE (95% CI)', 'AFTER (95% CI)', 'CHANGE (95% CI)', 'VERDICT'];

export function renderCompareTable(report: ComparisonReport, chalk: ChalkInstance, scope: string): string {
  const bold = (s: string) => chalk.bold(s);
  const mark = (verdict: string) => (verdict === VERDICTS.real ? chalk.bold(verdict) : verdict);
  const u = report.uncertainty;
  return [
    bold(`Comparing ${periodText(report.before)}`),
    bold(`     with ${periodText(report.after)}`),
    scope,
    '',
    renderTable(
      HEADERS.map((header, i) => ({ header, align: i === 1 ? ('right' as const) : undefined })),
      rows(report).map((r) => [r.figure, r.n, r.before, r.after, r.change, mark(r.verdict)]),
      bold,
    ).replace(/ +\n/g, '\n'),
    chalk.dim(
      `Change = after - before. A change is real only where its 95% bootstrap interval (${u.resamples} resamples, seed ${u.seed}) excludes zero; under ${u.min_n} incidents on either side, too few to compare.`,
    ),
    chalk.dim(`Figures: ${FIGURES.map((f) => `${f.toUpperCase()} ${FIGURE_DEFINITIONS[f].name}`).join(', ')}. Method: inc stats --explain`),
    '',
  ].join('\n');
}

export function renderCompareMarkdown(report: ComparisonReport, scope: string): string {
  const u = report.uncertainty;
  return [
    `# Comparing ${periodText(report.before)} with ${periodText(report.after)}`,
    '',
    `${scope}.`,
    '',
    markdownTable(
      ['Figure', 'n', 'Before (95% CI)', 'After (95% CI)', 'Change (95% CI)', 'Verdict'],
      rows(report).map((r) => [r.figure, r.n, r.before, r.after, r.change, r.verdict]),
      [false, true, true, true, true, false],
    ),
    '',
    `Change = after − before. A change is real only where its 95% bootstrap interval (${u.resamples} resamples, seed ${u.seed}) excludes zero; under ${u.min_n} incidents on either side, too few to compare.`,
    '',
  ].join('\n');
}
