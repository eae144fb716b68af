/**
 * How durations spread, as counts in log-scaled bins: incident durations are long-tailed
 * (close to log-normal), so equal-width bins would put nearly everything in the first one.
 * The edges are round durations people think in, roughly doubling: 1m, 2m, 5m, 10m, 20m,
 * 1h, 2h, 4h, 8h, 1d. Pure, for the terminal's histograms and for charts alike.
 */

/** Upper edges in minutes; a value equal to an edge falls in the bin above it. */
export const HISTOGRAM_EDGES_MINUTES = [1, 2, 5, 10, 20, 60, 120, 240, 480, 1440] as const;

/** Bin labels by their lower edge: `<1m`, `1m`, ..., `1d+`. */
export const HISTOGRAM_LABELS = ['<1m', '1m', '2m', '5m', '10m', '20m', '1h', '2h', '4h', '8h', '1d+'] as const;

/** Counts per bin (HISTOGRAM_EDGES_MINUTES.length + 1 of them); negative and non-finite values are left out. */
export function logHistogram(values: ArrayLike<number>): number[] {
  const edges = HISTOGRAM_EDGES_MINUTES;
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < 0) continue;
    let bin = 0;
    while (bin < edges.length && v >= edges[bin]!) bin += 1;
    counts[bin]! += 1;
  }
  return counts;
}
