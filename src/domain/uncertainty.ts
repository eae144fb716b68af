/**
 * How sure a figure is: bootstrap percentile intervals of the median and the mean of a sample
 * of durations, and of the change between two samples, with a plain verdict.
 *
 * Method (printed by `inc stats --explain`): draw RESAMPLES samples of the same size with
 * replacement from the incidents' figures, compute the median and the mean of each, and take
 * the 2.5th and 97.5th percentiles of those as the 95% interval. A change between two periods
 * is resampled the same way, each period from its own incidents, and is "a real change" only
 * where its interval excludes zero. Incident durations are long-tailed (close to log-normal),
 * so no normal approximation is assumed; with fewer than MIN_N incidents even the bootstrap
 * misleads, so such figures are marked too few to compare rather than given an interval.
 *
 * Reproducible: the generator is mulberry32 with a fixed seed, started afresh for every
 * sample, so the same files give the same numbers on every machine and a sample's interval does
 * not depend on which other groups the report holds. Pure: no clock, no I/O.
 */

/** The seed of every resampling run. Changing it changes the last digits of intervals, nothing else. */
export const BOOTSTRAP_SEED = 0x2021;
/** Resamples per interval: enough that the interval's ends move by well under its width between seeds. */
export const BOOTSTRAP_RESAMPLES = 1000;
/** The confidence level of every interval. */
export const CONFIDENCE = 0.95;
/** Below this many incidents a figure gets no interval and no verdict: too few to compare. */
export const MIN_N = 10;
/**
 * Up to this many values the mean is resampled draw by draw; above it, from the resampled
 * mean's own distribution (see meanQuantile). Resampling a mean costs n draws per resample,
 * and at 10,000 incidents a report's few hundred thousand values made that seconds.
 */
export const RESAMPLED_MEAN_LIMIT = 500;

export const VERDICTS = {
  real: 'a real change',
  noise: 'not distinguishable from noise at this n',
  tooFew: 'too few to compare',
} as const;
export type Verdict = (typeof VERDICTS)[keyof typeof VERDICTS];

export interface Interval {
  low: number;
  high: number;
}

/** The intervals of one sample; null intervals when n < MIN_N. */
export interface SampleIntervals {
  n: number;
  median: Interval | null;
  mean: Interval | null;
  too_few: boolean;
}

export interface Change {
  /** after − before, in the figure's unit. */
  change: number | null;
  /** The change relative to before (0.1 = 10% longer); null where before is 0 or unknown. */
  relative: number | null;
  interval: Interval | null;
  verdict: Verdict;
}

export interface SampleComparison {
  before_n: number;
  after_n: number;
  median: Change;
  mean: Change;
}

export interface BootstrapOptions {
  seed?: number;
  resamples?: number;
  level?: number;
  minN?: number;
  /** Above this n the mean's interval comes from its limit (see RESAMPLED_MEAN_LIMIT). */
  resampledMeanLimit?: number;
}

/** mulberry32: a small, fast, well-mixed 32-bit generator; returns uint32 values. */
export function mulberry32(seed: number): () => number {
  const generator = new Mulberry32(seed);
  return () => generator.next();
}

/** mulberry32's state as an object, so that the resampling loops step it without a call through a closure. */
class Mulberry32 {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    return mulberry32Output(this.state);
  }
}

/** The uint32 mulberry32 gives for a state. */
function mulberry32Output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Percentile of sorted values, linear interpolation between closest ranks (numpy's default). */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * (p / 100);
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (rank - lower) * (sorted[upper]! - sorted[lower]!);
}

/** Finite, non-negative values, sorted ascending. */
export function sortedSample(values: ArrayLike<number>): Float64Array {
  const usable = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (Number.isFinite(v) && v >= 0) usable[count++] = v;
  }
  return usable.subarray(0, count).sort();
}

const round2 = (value: number): number => Math.round(value * 100) / 100 + 0;

const TWO_TO_32 = 4294967296;

/**
 * Draws the median and the mean of resamples of one sorted sample (n draws with replacement).
 *
 * The median needs no resample: a resample's draws are positions floor(n u) of uniform u, a
 * monotone map, so its k-th smallest position is floor(n U(k)) where U(k), the k-th smallest
 * of n uniforms, is Beta(k, n - k + 1); the next one up is U(k) + (1 - U(k)) (1 - V^(1/(n-k))).
 * That is the same distribution as sorting a resample, drawn in constant time instead of n
 * draws: at 10,000 incidents the difference between milliseconds and seconds. The mean is
 * the sum of n draws: no shortcut keeps it exact.
 */
class Resampler {
  private readonly n: number;
  /** 1-based rank of the lower middle value; the upper one is the same for an odd n. */
  private readonly rank: number;
  private readonly even: boolean;
  private spareNormal: number | null = null;

  constructor(
    private readonly sorted: Float64Array,
    private readonly generator: Mulberry32,
  ) {
    this.n = sorted.length;
    this.even = this.n % 2 === 0;
    this.rank = this.even ? this.n / 2 : (this.n + 1) / 2;
  }

  /** A uniform in (0, 1), never 0 or 1. */
  private uniform(): number {
    return (this.generator.next() + 0.5) / TWO_TO_32;
  }

  /** A standard normal (Box-Muller, the second value kept for the next call). */
  private normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Gamma(shape, 1) for shape >= 1 (Marsaglia and Tsang, 2000). */
  private gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const t = 1 + c * x;
      if (t <= 0) continue;
      const v = t * t * t;
      if (Math.log(this.uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  private valueAt(u: number): number {
    return this.sorted[Math.min(this.n - 1, Math.floor(u * this.n))]!;
  }

  /** The median of one resample. */
  median(): number {
    const { n, rank } = this;
    const a = this.gamma(rank);
    const lower = a / (a + this.gamma(n - rank + 1));
    if (!this.even) return this.valueAt(lower);
    const upper = lower + (1 - lower) * (1 - this.uniform() ** (1 / (n - rank)));
    return (this.valueAt(lower) + this.valueAt(upper)) / 2;
  }

  /** The mean of one resample. */
  mean(): number {
    const { sorted, n, generator } = this;
    // generator.next() written out, its state in a local until the resample is drawn.
    let state = generator.state;
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      state = (state + 0x6d2b79f5) >>> 0;
      sum += sorted[Math.floor((mulberry32Output(state) * n) / TWO_TO_32)]!;
    }
    generator.state = state;
    return sum / n;
  }
}

function settings(options: BootstrapOptions) {
  return {
    seed: options.seed ?? BOOTSTRAP_SEED,
    resamples: options.resamples ?? BOOTSTRAP_RESAMPLES,
    level: options.level ?? CONFIDENCE,
    minN: Math.max(2, options.minN ?? MIN_N),
    meanLimit: options.resampledMeanLimit ?? RESAMPLED_MEAN_LIMIT,
  };
}

/**
 * The interval's ends: percentile() of the sorted draws at both tails, from the two pairs of
 * neighbouring order statistics they need, found by selection rather than by sorting every
 * draw. Equal draws are the same number whichever of them is taken, and round2 makes a -0
 * (which a sort puts before 0) 0, so the ends are those of the sorted draws.
 */
function intervalOf(draws: Float64Array, level: number): Interval {
  const tail = ((1 - level) / 2) * 100;
  return { low: round2(selectedPercentile(draws, tail)), high: round2(selectedPercentile(draws, 100 - tail)) };
}

/** percentile(sorted draws, p), for draws in any order (which it reorders); draws is not empty. */
export function selectedPercentile(draws: Float64Array, p: number): number {
  const last = draws.length - 1;
  const rank = last * (p / 100);
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, last);
  const low = select(draws, lower);
  // Selection leaves no smaller draw after `lower`: the next order statistic is the least of them.
  let high = low;
  if (upper > lower) {
    high = draws[upper]!;
    for (let i = upper + 1; i <= last; i += 1) if (draws[i]! < high) high = draws[i]!;
  }
  return low + (rank - lower) * (high - low);
}

/**
 * The k-th smallest of values (0-based), moving it to index k with no larger value before it
 * and no smaller one after (Hoare's selection, pivot the median of three): expected linear.
 */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >>> 1;
    const a = values[left]!;
    const b = values[middle]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i += 1;
      while (values[j]! > pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}

/**
 * The 95% bootstrap percentile intervals of the median and the mean of `values` (minutes;
 * negative and non-finite values are left out, as summarise leaves them out). Fewer than
 * MIN_N values give null intervals and `too_few: true`.
 */
export function sampleIntervals(values: ArrayLike<number>, options: BootstrapOptions = {}): SampleIntervals {
  return sortedIntervals(sortedSample(values), options);
}

/** sampleIntervals of an already sorted, clean sample (see sortedSample). */
export function sortedIntervals(sorted: Float64Array, options: BootstrapOptions = {}): SampleIntervals {
  const { seed, resamples, level, minN, meanLimit } = settings(options);
  const n = sorted.length;
  if (n < minN) return { n, median: null, mean: null, too_few: true };
  const resampler = new Resampler(sorted, new Mulberry32(seed));
  const medians = new Float64Array(resamples);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b += 1) medians[b] = resampler.median();
  let meanInterval: Interval;
  if (n <= meanLimit) {
    for (let b = 0; b < resamples; b += 1) means[b] = resampler.mean();
    meanInterval = intervalOf(means, level);
  } else {
    meanInterval = limitInterval(meanMoments(sorted), level);
  }
  return { n, median: intervalOf(medians, level), mean: meanInterval, too_few: false };
}

function median(sorted: Float64Array): number {
  return percentile(sorted, 50)!;
}

function mean(sorted: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < sorted.length; i += 1) sum += sorted[i]!;
  return sum / sorted.length;
}

function change(before: number, after: number, interval: Interval | null): Change {
  const relative = before > 0 ? Math.round(((after - before) / before) * 10_000) / 10_000 + 0 : null;
  const verdict = interval === null ? VERDICTS.tooFew : interval.low > 0 || interval.high < 0 ? VERDICTS.real : VERDICTS.noise;
  return { change: round2(after - before), relative, interval, verdict };
}

/**
 * The change of the median and of the mean from `before` to `after` (after − before), with
 * 95% bootstrap percentile intervals: each resample draws from both periods independently.
 * The verdict is "a real change" only where the interval excludes zero; with fewer than MIN_N
 * values on either side there is no interval and the verdict is "too few to compare".
 */
export function compareSamples(before: ArrayLike<number>, after: ArrayLike<number>, options: BootstrapOptions = {}): SampleComparison {
  const { seed, resamples, level, minN, meanLimit } = settings(options);
  const a = sortedSample(before);
  const b = sortedSample(after);
  const sizes = { before_n: a.length, after_n: b.length };
  if (a.length === 0 || b.length === 0) {
    const none: Change = { change: null, relative: null, interval: null, verdict: VERDICTS.tooFew };
    return { ...sizes, median: none, mean: none };
  }
  if (a.length < minN || b.length < minN) {
    return { ...sizes, median: change(median(a), median(b), null), mean: change(mean(a), mean(b), null) };
  }
  const generator = new Mulberry32(seed);
  const first = new Resampler(a, generator);
  const second = new Resampler(b, generator);
  const medianChanges = new Float64Array(resamples);
  const meanChanges = new Float64Array(resamples);
  for (let i = 0; i < resamples; i += 1) medianChanges[i] = second.median() - first.median();
  let meanInterval: Interval;
  if (a.length <= meanLimit && b.length <= meanLimit) {
    for (let i = 0; i < resamples; i += 1) meanChanges[i] = second.mean() - first.mean();
    meanInterval = intervalOf(meanChanges, level);
  } else {
    // The two periods are resampled independently: the cumulants of the difference add up.
    const before = meanMoments(a);
    const after = meanMoments(b);
    meanInterval = limitInterval({ mean: after.mean - before.mean, variance: after.variance + before.variance, third: after.third - before.third }, level);
  }
  return {
    ...sizes,
    median: change(median(a), median(b), intervalOf(medianChanges, level)),
    mean: change(mean(a), mean(b), meanInterval),
  };
}

// ---------------------------------------------------------------------------------------
// The resampled mean of a large sample, without drawing it

/** Mean, variance and third cumulant of the resampled mean of `sorted` (exact, from its moments). */
export interface MeanMoments {
  mean: number;
  variance: number;
  third: number;
}

/**
 * A resample's mean is the mean of n independent draws from the sample, so its distribution
 * has exactly the sample's mean, the sample's variance / n and third central moment / n²
 * (moments with divisor n, as the resampling sees them).
 */
export function meanMoments(sorted: ArrayLike<number>): MeanMoments {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += sorted[i]!;
  const average = sum / n;
  let second = 0;
  let third = 0;
  for (let i = 0; i < n; i += 1) {
    const d = sorted[i]! - average;
    second += d * d;
    third += d * d * d;
  }
  return { mean: average, variance: second / n / n, third: third / n / n / n };
}

/**
 * The percentile interval of a distribution known by its first three cumulants: the
 * Cornish-Fisher expansion z + skew (z² - 1) / 6, which is what a percentile bootstrap of a
 * mean converges to, with an error of order 1/n: at the sizes it is used for (over
 * RESAMPLED_MEAN_LIMIT), below the Monte-Carlo error of 1,000 resamples.
 */
function limitInterval(moments: MeanMoments, level: number): Interval {
  const sd = Math.sqrt(moments.variance);
  if (sd === 0) return { low: round2(moments.mean), high: round2(moments.mean) };
  const skew = moments.third / (sd * sd * sd);
  const quantile = (p: number) => {
    const z = normalQuantile(p);
    return moments.mean + sd * (z + (skew * (z * z - 1)) / 6);
  };
  return { low: round2(quantile((1 - level) / 2)), high: round2(quantile(1 - (1 - level) / 2)) };
}

/** Φ(z), the standard normal distribution function (Abramowitz and Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Φ⁻¹(p) by bisection of normalCdf: 60 halvings of [-10, 10], far finer than its own error. */
export function normalQuantile(p: number): number {
  let low = -10;
  let high = 10;
  for (let i = 0; i < 60; i += 1) {
    const middle = (low + high) / 2;
    if (normalCdf(middle) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
