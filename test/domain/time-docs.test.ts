/**
 * docs/time-formats.md holds the time forms users read about; this test reads the page itself
 * and runs every example of its table, and every rule of its list, through the time reader,
 * so that the page cannot promise a form the reader refuses (or the other way round).
 * The clock: 2026-03-15 15:30 UTC; the configured zone: UTC unless a case says otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { readTimeInput } from '../../src/domain/time.js';
import { ROOT } from '../helpers/repo.js';

const NOW = Date.parse('2026-03-15T15:30:00Z');
const page = readFileSync(join(ROOT, 'docs', 'time-formats.md'), 'utf8');
const read = (input: string, options: { zone?: string; now?: number; on?: string } = {}) =>
  readTimeInput(input, { now: options.now ?? NOW, zone: options.zone ?? 'UTC', on: options.on });
const iso = (at: number) => new Date(at).toISOString().replace('.000Z', 'Z');

/** The examples of each row of the page's table, by its form column. */
function tableExamples(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of page.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'form' || cells[1]!.startsWith('---')) continue;
    rows.set(cells[1]!, [...cells[2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }
  return rows;
}

/** What each example of the page means at NOW in UTC, computed by hand. */
const MEANING: Record<string, string> = {
  '2026-03-15T14:05:00Z': '2026-03-15T14:05:00Z',
  '2026-03-15T16:05+02:00': '2026-03-15T14:05:00Z',
  '2026-03-15 14:05': '2026-03-15T14:05:00Z',
  '2026-03-15 14:05:30': '2026-03-15T14:05:30Z',
  '14:05': '2026-03-15T14:05:00Z',
  '14:05:30': '2026-03-15T14:05:30Z',
  '2:05pm': '2026-03-15T14:05:00Z',
  '2:05 PM': '2026-03-15T14:05:00Z',
  '14:05 UTC': '2026-03-15T14:05:00Z',
  '14:05Z': '2026-03-15T14:05:00Z',
  // Los Angeles is on PDT (UTC−7) from 8 March 2026: 14:05 there is 21:05Z, still to come at 15:30Z,
  // so the latest such time is the day before.
  '14:05 America/Los_Angeles': '2026-03-14T21:05:00Z',
  // PST is read on a date when Los Angeles shows PST (see the season rule): 14 January, 22:05Z.
  '14:05 PST': '2026-01-14T22:05:00Z',
  '-5m': '2026-03-15T15:25:00Z',
  '-2h': '2026-03-15T13:30:00Z',
  '-1h30m': '2026-03-15T14:00:00Z',
  now: '2026-03-15T15:30:00Z',
};

describe('docs/time-formats.md, read by the time reader', () => {
  it('lists the forms the reader takes, and every example means what the page says', () => {
    const rows = tableExamples();
    expect([...rows.keys()]).toEqual(['ISO 8601 with an offset', 'date and time', 'time of day', '12-hour', 'with a zone', 'relative', '`now`']);
    const examples = [...rows.values()].flat();
    expect(examples.sort()).toEqual(Object.keys(MEANING).sort());
    for (const example of examples) {
      // Bare times of day more than 12 hours back are refused (a rule below): the LA and PST
      // examples land 17-18 hours back at NOW, so they are read with their date.
      const reading = /America/.test(example) ? read(`2026-03-14 ${example}`) : /PST/.test(example) ? read(`2026-01-14 ${example}`) : read(example);
      expect([example, iso(reading.at)]).toEqual([example, MEANING[example]]);
    }
  });

  it('a bare time of day is the latest such time not in the future: 23:55 typed at 00:10 is yesterday', () => {
    expect(page).toContain('`23:55` typed at 00:10 is\n  yesterday');
    expect(iso(read('23:55', { now: Date.parse('2026-03-16T00:10:00Z') }).at)).toBe('2026-03-15T23:55:00Z');
  });

  it('one more than 12 hours back is refused with a hint to give the date; --on gives it', () => {
    expect(() => read('02:00')).toThrow(UsageError);
    expect(() => read('02:00')).toThrow(/within the last 12 hours/);
    expect(iso(read('02:00', { on: '2026-03-10' }).at)).toBe('2026-03-10T02:00:00Z');
  });

  it('accepts the unambiguous abbreviations the page names and refuses IST and CST with the choices', () => {
    const later = Date.parse('2026-12-01T00:00:00Z');
    for (const abbreviation of ['PST', 'EST', 'CET', 'GMT', 'UTC']) {
      expect(page).toContain(abbreviation);
      expect(() => read(`2026-01-15 10:00 ${abbreviation}`, { now: later })).not.toThrow();
    }
    for (const abbreviation of ['PDT', 'EDT', 'CEST', 'BST']) {
      expect(page).toContain(abbreviation);
      expect(() => read(`2026-07-15 10:00 ${abbreviation}`, { now: later })).not.toThrow();
    }
    // The season rule: PST on a date when Los Angeles shows PDT could mean either offset.
    expect(() => read('2026-07-15 10:00 PST', { now: later })).toThrow(/America\/Los_Angeles showed PDT/);
    for (const ambiguous of ['IST', 'CST']) {
      expect(page).toContain(ambiguous);
      expect(() => read(`2026-03-15 10:00 ${ambiguous}`)).toThrow(UsageError);
    }
  });

  it('Etc/GMT+2 means UTC−2 and says so', () => {
    const reading = read('2026-03-15 10:00 Etc/GMT+2');
    expect(iso(reading.at)).toBe('2026-03-15T12:00:00Z');
    expect(reading.notes.join(' ')).toMatch(/Etc\/GMT\+2 is UTC−02:00/);
  });

  it('refuses, never guesses: the future, ranges, offsets beyond ±14:00, a wall time in the spring gap', () => {
    expect(() => read('2026-03-15 16:00')).toThrow(/in the future/);
    expect(page).toContain('`17:00-18:00`');
    expect(() => read('17:00-18:00')).toThrow(UsageError);
    expect(() => read('2026-03-15T10:00+15:00')).toThrow(UsageError);
    // Europe/Berlin skips 02:00-03:00 on 29 March 2026.
    expect(() => read('2026-03-29 02:30', { zone: 'Europe/Berlin', now: Date.parse('2026-04-01T00:00:00Z') })).toThrow(UsageError);
  });

  it('a wall time that happens twice takes the first and says so', () => {
    // Europe/Berlin repeats 02:00-03:00 on 25 October 2026: first at CEST (UTC+2).
    const reading = read('2026-10-25 02:30', { zone: 'Europe/Berlin', now: Date.parse('2026-11-01T00:00:00Z') });
    expect(iso(reading.at)).toBe('2026-10-25T00:30:00Z');
    expect(reading.notes.join(' ')).not.toBe('');
  });
});
