/**
 * In UTC, time.ts and stats' dateFormatter read an instant's fields from Date instead of
 * Intl (no formatter to build). They must show exactly what Intl shows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateFormatter } from '../../src/domain/stats.js';
import { dateInZone, formatInZone, localParts } from '../../src/domain/time.js';

const intl = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

function intlParts(epochMs: number) {
  const fields: Record<string, number> = {};
  for (const part of intl.formatToParts(new Date(epochMs))) if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return { year: fields.year, month: fields.month, day: fields.day, hour: fields.hour! % 24, minute: fields.minute, second: fields.second };
}

const instants = fc.oneof(
  fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fc.constantFrom(0, Date.UTC(2024, 1, 29, 23, 59, 59), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
);

describe('UTC without Intl', () => {
  it('gives the fields, dates and times Intl gives', () => {
    const dateOf = dateFormatter('UTC');
    fc.assert(
      fc.property(instants, (epochMs) => {
        const expected = intlParts(epochMs);
        expect(localParts(epochMs, 'UTC')).toEqual(expected);
        expect(localParts(epochMs, 'Etc/UTC')).toEqual(expected);
        const date = `${expected.year}-${String(expected.month).padStart(2, '0')}-${String(expected.day).padStart(2, '0')}`;
        expect(dateInZone(epochMs, 'UTC')).toBe(date);
        expect(dateOf(epochMs)).toBe(date);
        expect(formatInZone(epochMs, 'UTC', true)).toBe(`${date} ${[expected.hour, expected.minute, expected.second].map((n) => String(n).padStart(2, '0')).join(':')}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves instants outside 1970..9999 to Intl, as before', () => {
    for (const epochMs of [-1, Date.UTC(1969, 11, 31, 23, 59, 59), Date.UTC(10_000, 0, 1), Date.UTC(1, 0, 1)]) {
      expect(localParts(epochMs, 'UTC')).toEqual(intlParts(epochMs));
    }
    expect(() => localParts(Number.NaN, 'UTC')).toThrow(RangeError);
  });
});
