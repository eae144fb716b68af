/**
 * Aligned plain-text tables for people. Widths are measured on the text without ANSI codes,
 * so colour never breaks alignment; nothing is coloured when colour is off.
 */
import { oneLine } from '../domain/text.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Cut cells to this many characters (the last column usually). */
  max?: number;
}

/** Cuts a text to `max` characters (not UTF-16 units), marking the cut with an ellipsis. */
export function cut(text: string, max: number | undefined): string {
  if (max === undefined) return text;
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export function renderTable(columns: Column[], rows: string[][], style: (header: string) => string = (h) => h): string {
  const cells = rows.map((row) => row.map((cell, i) => cut(oneLine(cell), columns[i]?.max)));
  const widths = columns.map((column, i) => Math.max(visibleWidth(column.header), ...cells.map((row) => visibleWidth(row[i] ?? ''))));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - visibleWidth(text)));
    return columns[i]?.align === 'right' ? fill + text : text + fill;
  };
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 && columns[i]?.align !== 'right' ? cell : pad(cell, i)))
      .join('  ')
      .trimEnd();
  return [style(line(columns.map((c) => c.header))), ...cells.map(line)].join('\n') + '\n';
}
