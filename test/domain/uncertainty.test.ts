/**
 * Bootstrap intervals and comparisons. The expected verdicts come from samples built by hand
 * (a shift far larger than the spread, identical periods, a 10% change among long-tailed
 * durations at a realistic n); the median's constant-time draw is checked against a plain
 * resample-and-sort written here, and the mean's large-n limit against draw-by-draw resampling.
 */
import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_RESAMPLES,
  compareSamples,
  MIN_N,
  mulberry32,
  normalQuantile,
  percentile,
  sampleIntervals,
  VERDICTS,
} from '../../src/domain/uncertainty.js';

/** Log-normal durations (minutes) from a seeded generator of this test's own. */
function logNormal(count: number, medianMinutes: number, sigma: number, seed: number): number[] {
  const next = mulberry32(seed);
  const uniform = () => (next() + 0.5) / 4294967296;
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.round(medianMinutes * Math.exp(sigma * z));
  });
}

/** The percentile bootstrap done the plain way: draw n positions, sort, take the median. */
function plainMedianInterval(values: number[], resamples: number, seed: number): [number, number] {
  const next = mulberry32(seed);
  const medians: number[] = [];
  for (let b = 0; b < resamples; b += 1) {
    const resample = values.map(() => values[Math.floor((next() / 4294967296) * values.length)]!).sort((x, y) => x - y);
    medians.push(percentile(resample, 50)!);
  }
  medians.sort((x, y) => x - y);
  return [percentile(medians, 2.5)!, percentile(medians, 97.5)!];
}

describe('mulberry32', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
  });
});

describe('sampleIntervals', () => {
  const sample = logNormal(200, 30, 1, 1);

  it('is reproducible: the same values in any order give the same intervals', () => {
    const once = sampleIntervals(sample);
    expect(sampleIntervals([...sample].reverse())).toEqual(once);
    expect(once.n).toBe(200);
    expect(once.too_few).toBe(false);
  });

  it('holds the sample median and mean, and the mean interval sits higher on long-tailed data', () => {
    const { median, mean } = sampleIntervals(sample);
    const sorted = [...sample].sort((x, y) => x - y);
    const sampleMedian = percentile(sorted, 50)!;
    const sampleMean = sample.reduce((a, b) => a + b, 0) / sample.length;
    expect(median!.low).toBeLessThanOrEqual(sampleMedian);
    expect(median!.high).toBeGreaterThanOrEqual(sampleMedian);
    expect(mean!.low).toBeLessThanOrEqual(sampleMean);
    expect(mean!.high).toBeGreaterThanOrEqual(sampleMean);
    expect(mean!.low).toBeGreaterThan(median!.low); // log-normal: the mean is above the median
  });

  it(`marks fewer than ${MIN_N} values as too few, with no interval`, () => {
    expect(sampleIntervals(sample.slice(0, MIN_N - 1))).toEqual({ n: MIN_N - 1, median: null, mean: null, too_few: true });
    expect(sampleIntervals([])).toEqual({ n: 0, median: null, mean: null, too_few: true });
    expect(sampleIntervals(sample.slice(0, MIN_N)).too_few).toBe(false);
    // Negative and non-finite values are no durations: left out before counting.
    expect(sampleIntervals([...sample.slice(0, MIN_N - 1), -5, Number.NaN]).too_few).toBe(true);
  });

  it('gives a zero-width interval for a sample of one repeated value', () => {
    expect(sampleIntervals(new Array(30).fill(12))).toEqual({ n: 30, median: { low: 12, high: 12 }, mean: { low: 12, high: 12 }, too_few: false });
  });

  it('narrows as n grows', () => {
    const width = (n: number) => {
      const { median } = sampleIntervals(logNormal(n, 30, 1, 2));
      return median!.high - median!.low;
    };
    expect(width(2000)).toBeLessThan(width(200));
    expect(width(200)).toBeLessThan(width(20));
  });

  it("draws the median as plain resampling would, odd and even n alike", () => {
    for (const n of [51, 50]) {
      const values = logNormal(n, 30, 1, n);
      const { median } = sampleIntervals(values);
      // Two seeds of the plain method bracket what Monte-Carlo error allows.
      const plain = [plainMedianInterval(values, BOOTSTRAP_RESAMPLES, 11), plainMedianInterval(values, BOOTSTRAP_RESAMPLES, 12)];
      const spread = Math.max(...plain.map((p) => p[1] - p[0]));
      for (const [low, high] of plain) {
        expect(Math.abs(median!.low - low), `n ${n} low`).toBeLessThan(spread * 0.15);
        expect(Math.abs(median!.high - high), `n ${n} high`).toBeLessThan(spread * 0.15);
      }
    }
  });

  it('takes the mean of a large sample from its limit, as close as another seed of resampling would be', () => {
    const values = logNormal(800, 30, 1.2, 3);
    const limit = sampleIntervals(values).mean!;
    const resampled = sampleIntervals(values, { resampledMeanLimit: Infinity }).mean!;
    const otherSeed = sampleIntervals(values, { resampledMeanLimit: Infinity, seed: 99 }).mean!;
    const width = resampled.high - resampled.low;
    const seedNoise = Math.max(Math.abs(resampled.low - otherSeed.low), Math.abs(resampled.high - otherSeed.high));
    expect(Math.abs(limit.low - resampled.low)).toBeLessThan(Math.max(seedNoise * 2, width * 0.05));
    expect(Math.abs(limit.high - resampled.high)).toBeLessThan(Math.max(seedNoise * 2, width * 0.05));
  });
});

describe('normalQuantile', () => {
  it('gives the textbook values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644854, 5);
  });
});

describe('compareSamples', () => {
  it('calls a shift far beyond the spread a real change, with the exact change', () => {
    const before = Array.from({ length: 30 }, (_, i) => 10 + (i % 10)); // 10..19, three times
    const after = before.map((v) => v + 100);
    const result = compareSamples(before, after);
    expect(result.median.change).toBe(100);
    expect(result.mean.change).toBe(100);
    expect(result.median.verdict).toBe(VERDICTS.real);
    expect(result.mean.verdict).toBe(VERDICTS.real);
    expect(result.median.interval!.low).toBeGreaterThan(0);
    expect(result.median.relative).toBeCloseTo(100 / 14.5, 4);
    // The other way round it is a real drop.
    const back = compareSamples(after, before);
    expect(back.mean.change).toBe(-100);
    expect(back.mean.interval!.high).toBeLessThan(0);
    expect(back.mean.verdict).toBe(VERDICTS.real);
  });

  it('calls two identical periods noise, the interval around zero', () => {
    const sample = logNormal(100, 30, 1, 4);
    const result = compareSamples(sample, [...sample]);
    expect(result.median.change).toBe(0);
    expect(result.median.interval!.low).toBeLessThan(0);
    expect(result.median.interval!.high).toBeGreaterThan(0);
    expect(result.median.verdict).toBe(VERDICTS.noise);
    expect(result.mean.verdict).toBe(VERDICTS.noise);
  });

  it('cannot tell a 10% change of long-tailed durations from noise at 100 incidents per period', () => {
    // MTTM from 40 to 36 minutes: what a team would read as an improvement.
    const result = compareSamples(logNormal(100, 40, 1, 5), logNormal(100, 36, 1, 6));
    expect(result.median.verdict).toBe(VERDICTS.noise);
    expect(result.mean.verdict).toBe(VERDICTS.noise);
  });

  it('finds a halving real at the same n', () => {
    const result = compareSamples(logNormal(100, 40, 1, 5), logNormal(100, 20, 1, 6));
    expect(result.median.verdict).toBe(VERDICTS.real);
    expect(result.median.change).toBeLessThan(0);
  });

  it('says too few to compare under the minimum n on either side, still giving the change', () => {
    const result = compareSamples([10, 20, 30], logNormal(50, 30, 1, 7));
    expect(result.median.verdict).toBe(VERDICTS.tooFew);
    expect(result.median.interval).toBeNull();
    expect(result.median.change).not.toBeNull();
    expect(compareSamples([], [1, 2]).mean).toEqual({ change: null, relative: null, interval: null, verdict: VERDICTS.tooFew });
  });

  it('is reproducible, and uses the large-n limit for the mean where a period is large', () => {
    const before = logNormal(700, 40, 1, 8);
    const after = logNormal(600, 34, 1, 9);
    expect(compareSamples(before, after)).toEqual(compareSamples(before, after));
    const limit = compareSamples(before, after).mean.interval!;
    const resampled = compareSamples(before, after, { resampledMeanLimit: Infinity }).mean.interval!;
    const width = resampled.high - resampled.low;
    expect(Math.abs(limit.low - resampled.low)).toBeLessThan(width * 0.1);
    expect(Math.abs(limit.high - resampled.high)).toBeLessThan(width * 0.1);
  });
});
