/**
 * SVG charts drawn at build time: no chart code runs in the browser. Every data point is one
 * element of class "mark" carrying its series, category and value (data-* attributes and a
 * <title> tooltip), so that a test can count them and a reader can hover them. The chart is
 * an image to assistive technology (role="img" with its title and description); the table
 * beside it carries the same numbers as text.
 */
import { esc } from './html.js';

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 28, right: 16, bottom: 44, left: 52 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

export interface Series {
  name: string;
  /** A CSS class that sets the colour (see site.css). */
  className: string;
  values: (number | null)[];
  /** Optional interval per category (drawn as a whisker), where stats provide one. */
  intervals?: ({ low: number; high: number } | null)[];
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: Series[];
  unit: string;
}

/** A round upper bound for the axis and its step: 1, 2 or 5 times a power of ten. */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const rough = max / ticks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return { top: Math.ceil(max / step) * step, step };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-03` as "Mar 2026"; other categories as they are. */
export function categoryLabel(category: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(category);
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : category;
}

function shortLabel(category: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(category);
  return m ? `${MONTHS[Number(m[2]) - 1]} ’${m[1]!.slice(2)}` : category;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

function frame(spec: ChartSpec, top: number, step: number, body: string): string {
  const y = (v: number) => MARGIN.top + PLOT_H - (v / top) * PLOT_H;
  const grid: string[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    grid.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/>`);
    grid.push(`<text class="tick" x="${MARGIN.left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${fmt(v)}</text>`);
  }
  const band = PLOT_W / Math.max(1, spec.categories.length);
  const every = Math.max(1, Math.ceil(spec.categories.length / 12));
  const labels = spec.categories
    .map((c, i) => (i % every === 0 ? `<text class="tick" x="${fmt(MARGIN.left + band * (i + 0.5))}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${esc(shortLabel(c))}</text>` : ''))
    .join('');
  const legend = spec.series
    .map((s, i) => `<g transform="translate(${MARGIN.left + i * 170},${HEIGHT - 12})"><rect class="swatch ${s.className}" width="10" height="10" y="-9"/><text class="legend" x="14">${esc(s.name)}</text></g>`)
    .join('');
  return `<svg class="chart" id="${spec.id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${spec.id}-title">${esc(spec.title)}</title>
<desc id="${spec.id}-desc">${esc(spec.description)}</desc>
<g class="axis">${grid.join('')}<text class="unit" x="4" y="14">${esc(spec.unit)}</text></g>
<g class="labels">${labels}</g>
${body}
<g class="legend-items">${legend}</g>
</svg>`;
}

function markTitle(spec: ChartSpec, series: Series, category: string, value: number): string {
  return `<title>${esc(`${categoryLabel(category)}: ${series.name} ${fmt(value)} ${spec.unit}`)}</title>`;
}

function dataAttributes(series: Series, category: string, value: number): string {
  return `data-series="${esc(series.name)}" data-category="${esc(category)}" data-value="${fmt(value)}"`;
}

/** Bars stacked per category; a zero draws nothing. */
export function stackedBars(spec: ChartSpec): string {
  const totals = spec.categories.map((_, i) => spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const { top, step } = niceScale(Math.max(0, ...totals));
  const band = PLOT_W / Math.max(1, spec.categories.length);
  const barW = Math.min(48, Math.max(2, band * 0.7));
  const marks: string[] = [];
  spec.categories.forEach((category, i) => {
    let base = 0;
    for (const series of spec.series) {
      const value = series.values[i] ?? 0;
      if (value <= 0) continue;
      const y0 = MARGIN.top + PLOT_H - (base / top) * PLOT_H;
      const h = (value / top) * PLOT_H;
      marks.push(
        `<rect class="mark ${series.className}" x="${fmt(MARGIN.left + band * i + (band - barW) / 2)}" y="${fmt(y0 - h)}" width="${fmt(barW)}" height="${fmt(h)}" ${dataAttributes(series, category, value)}>${markTitle(spec, series, category, value)}</rect>`,
      );
      base += value;
    }
  });
  return frame(spec, top, step, `<g class="marks">${marks.join('\n')}</g>`);
}

/** Bars side by side per category; a zero draws nothing. */
export function groupedBars(spec: ChartSpec): string {
  const { top, step } = niceScale(Math.max(0, ...spec.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const band = PLOT_W / Math.max(1, spec.categories.length);
  const groupW = Math.min(band * 0.8, 32 * spec.series.length);
  const barW = Math.max(1, groupW / spec.series.length);
  const marks: string[] = [];
  spec.categories.forEach((category, i) => {
    spec.series.forEach((series, k) => {
      const value = series.values[i] ?? 0;
      if (value <= 0) return;
      const h = (value / top) * PLOT_H;
      marks.push(
        `<rect class="mark ${series.className}" x="${fmt(MARGIN.left + band * i + (band - groupW) / 2 + k * barW)}" y="${fmt(MARGIN.top + PLOT_H - h)}" width="${fmt(barW)}" height="${fmt(h)}" ${dataAttributes(series, category, value)}>${markTitle(spec, series, category, value)}</rect>`,
      );
    });
  });
  return frame(spec, top, step, `<g class="marks">${marks.join('\n')}</g>`);
}

/** Points joined by lines; a null (no data that month) breaks the line and draws no point. */
export function lines(spec: ChartSpec): string {
  const highs = spec.series.flatMap((s) => [...s.values.map((v) => v ?? 0), ...(s.intervals ?? []).map((iv) => iv?.high ?? 0)]);
  const { top, step } = niceScale(Math.max(0, ...highs));
  const band = PLOT_W / Math.max(1, spec.categories.length);
  const x = (i: number) => MARGIN.left + band * (i + 0.5);
  const y = (v: number) => MARGIN.top + PLOT_H - (Math.min(v, top) / top) * PLOT_H;
  const parts: string[] = [];
  for (const series of spec.series) {
    let path = '';
    let pen = false;
    series.values.forEach((value, i) => {
      if (value === null) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${fmt(x(i))} ${fmt(y(value))}`;
      pen = true;
    });
    if (path) parts.push(`<path class="line ${series.className}" d="${path}"/>`);
    series.intervals?.forEach((interval, i) => {
      if (!interval || series.values[i] === null) return;
      parts.push(`<line class="interval ${series.className}" x1="${fmt(x(i))}" x2="${fmt(x(i))}" y1="${fmt(y(interval.low))}" y2="${fmt(y(interval.high))}"/>`);
    });
    series.values.forEach((value, i) => {
      if (value === null) return;
      const category = spec.categories[i]!;
      parts.push(`<circle class="mark ${series.className}" cx="${fmt(x(i))}" cy="${fmt(y(value))}" r="4" ${dataAttributes(series, category, value)}>${markTitle(spec, series, category, value)}</circle>`);
    });
  }
  return frame(spec, top, step, `<g class="marks">${parts.join('\n')}</g>`);
}
