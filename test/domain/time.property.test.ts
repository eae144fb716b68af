/**
 * Property tests of the time reader. The expected instant is computed here without the
 * reader's code: a wall time's instant is found by trying every quarter-hour offset a zone can
 * have and keeping the earliest instant that Intl (a formatter of this file's own) shows as
 * that wall time; an offset's instant is plain arithmetic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { formatInZone, parseStoredTimestamp, readTimeInput, toIsoUtc } from '../../src/domain/time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2026-03-15T15:30:45Z');
const ZONES = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Etc/GMT+2'];

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallOf(at: number, zone: string): Wall {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const fields = Object.fromEntries(f.formatToParts(new Date(at)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour! % 24, minute: fields.minute!, second: fields.second! };
}

const same = (a: Wall, b: Wall) => JSON.stringify(a) === JSON.stringify(b);

/** The earliest instant whose wall time in the zone is `wall`, found by brute force; undefined in a gap. */
function expectedInstant(wall: Wall, zone: string): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  for (let quarter = 15 * 4; quarter >= -15 * 4; quarter -= 1) {
    const at = asUtc - quarter * 15 * MINUTE; // offsets from +15:00 down to -15:00: earliest instant first
    if (same(wallOf(at, zone), wall)) return at;
  }
  return undefined;
}

const p2 = (n: number) => String(n).padStart(2, '0');
const dateText = (w: Wall) => `${w.year}-${p2(w.month)}-${p2(w.day)}`;
const clockText = (w: Wall) => `${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
const twelveHour = (w: Wall) => `${w.hour % 12 === 0 ? 12 : w.hour % 12}:${p2(w.minute)}:${p2(w.second)}${w.hour < 12 ? 'am' : 'pm'}`;
function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
}

type Form = 'dated-zone' | 'dated-configured' | 'bare-configured' | 'bare-zone' | 'twelve-hour' | 'iso-offset' | 'relative';
const FORMS: Form[] = ['dated-zone', 'dated-configured', 'bare-configured', 'bare-zone', 'twelve-hour', 'iso-offset', 'relative'];

/** What a person types for the instant `at` in `zone`, in one of the forms. */
function typed(form: Form, at: number, zone: string, now = NOW): string {
  const w = wallOf(at, zone);
  switch (form) {
    case 'dated-zone':
      return `${dateText(w)} ${clockText(w)} ${zone}`;
    case 'dated-configured':
      return `${dateText(w)} ${clockText(w)}`;
    case 'bare-configured':
      return clockText(w);
    case 'bare-zone':
      return `${clockText(w)} ${zone}`;
    case 'twelve-hour':
      return twelveHour(w);
    case 'iso-offset': {
      const offset = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - at) / MINUTE);
      return `${dateText(w)}T${clockText(w)}${offsetText(offset)}`;
    }
    case 'relative': {
      const back = (now - at) / 1000;
      return `-${Math.floor(back / 3600)}h${Math.floor((back % 3600) / 60)}m${back % 60}s`;
    }
  }
}

describe('time reader properties', () => {
  it('every accepted form of a recent instant stores the instant a person reads, and round-trips through UTC and the display', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Math.floor((12 * HOUR - 60_000) / 1000) }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...FORMS),
        // Now on an ordinary day, just after an autumn overlap (Los Angeles, Berlin) and a spring gap (Berlin).
        fc.constantFrom(NOW, Date.parse('2025-11-02T10:30:00Z'), Date.parse('2025-10-26T02:20:00Z'), Date.parse('2026-03-29T04:00:00Z')),
        (secondsBack, zone, form, now) => {
          const at = now - secondsBack * 1000;
          const text = typed(form, at, zone, now);
          const reading = readTimeInput(text, { now, zone });
          const wall = wallOf(at, zone);
          // A wall time that happened twice reads as its first occurrence (and says so).
          const expected = form === 'iso-offset' || form === 'relative' ? at : expectedInstant(wall, zone);
          expect(reading.at, text).toBe(expected);
          if (expected !== at) expect(reading.notes.join(' ')).toMatch(/happened twice/);
          const stored = toIsoUtc(reading.at);
          expect(parseStoredTimestamp(stored)).toBe(reading.at);
          if (expected === at) expect(formatInZone(parseStoredTimestamp(stored)!, zone, true)).toBe(`${dateText(wall)} ${clockText(wall)}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads the first of the two Chatham Islands 02:45 when daylight saving ended in 2003', () => {
    // Found by the property below: the clocks went back from 03:45 (+13:45) to 02:45 (+12:45).
    const first = Date.parse('2003-03-15T13:00:00Z');
    expect(expectedInstant(wallOf(first + HOUR, 'Pacific/Chatham'), 'Pacific/Chatham')).toBe(first);
    const reading = readTimeInput('2003-03-16 02:45', { now: NOW, zone: 'Pacific/Chatham' });
    expect(reading.at).toBe(first);
    expect(reading.notes.join(' ')).toContain('happened twice in Pacific/Chatham');
  });

  it('round-trips dated times of any day in any of the zones, across daylight-saving changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01T00:00:00Z') / 1000, max: NOW / 1000 - 1 }),
        fc.constantFrom(...ZONES),
        (seconds, zone) => {
          const at = seconds * 1000;
          const wall = wallOf(at, zone);
          const reading = readTimeInput(`${dateText(wall)} ${clockText(wall)}`, { now: NOW, zone });
          expect(reading.at).toBe(expectedInstant(wall, zone));
          const shown = formatInZone(parseStoredTimestamp(toIsoUtc(reading.at))!, zone, true);
          expect(shown).toBe(`${dateText(wall)} ${clockText(wall)}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  /** The fixed offsets a person reads from these suffixes. */
  const SUFFIX_OFFSETS: Record<string, number | 'zone' | 'ambiguous'> = {
    '': 'zone',
    Z: 0,
    UTC: 0,
    PST: -480,
    PDT: -420,
    CET: 60,
    CEST: 120,
    JST: 540,
    IST: 'ambiguous',
    CST: 'ambiguous',
  };

  it('a dated time with any suffix is read as a person reads it, or refused; never stored otherwise', () => {
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1990, max: 2026 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 25 }),
          minute: fc.integer({ min: 0, max: 61 }),
          second: fc.integer({ min: 0, max: 61 }),
        }),
        fc.boolean(),
        fc.constantFrom('T', ' '),
        fc.oneof(
          fc.constantFrom(...Object.keys(SUFFIX_OFFSETS)),
          fc.integer({ min: -17 * 4, max: 17 * 4 }).map((q) => offsetText(q * 15)),
          fc.constantFrom('America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Etc/GMT+2'),
        ),
        fc.constantFrom(...ZONES),
        (w, withSeconds, separator, suffix, zone) => {
          const clock = `${p2(w.hour)}:${p2(w.minute)}${withSeconds ? `:${p2(w.second)}` : ''}`;
          const space = suffix === '' || /^[+-]/.test(suffix) ? '' : ' ';
          const text = `${w.year}-${p2(w.month)}-${p2(w.day)}${separator}${clock}${space}${suffix}`;
          const wall: Wall = { ...w, second: withSeconds ? w.second : 0 };
          const realDate = w.month >= 1 && w.month <= 12 && w.day >= 1 && w.day <= new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
          const realClock = w.hour <= 23 && w.minute <= 59 && wall.second <= 59;
          let expected: number | undefined;
          if (realDate && realClock) {
            const numeric = /^([+-])(\d{2}):(\d{2})$/.exec(suffix);
            const offset = numeric ? (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3])) : SUFFIX_OFFSETS[suffix];
            const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
            if (offset === undefined) expected = expectedInstant(wall, suffix);
            else if (offset === 'zone') expected = expectedInstant(wall, zone);
            else if (offset !== 'ambiguous' && Math.abs(offset) <= 14 * 60) expected = asUtc - offset * MINUTE;
          }
          let stored: number | undefined;
          try {
            stored = readTimeInput(text, { now: NOW, zone }).at;
          } catch (error) {
            expect(error, text).toBeInstanceOf(UsageError);
            expect((error as UsageError).hint, text).toBeTruthy();
            return;
          }
          expect(expected, `${text} was accepted but a person cannot read one time from it`).toBeDefined();
          expect(toIsoUtc(stored), text).toBe(toIsoUtc(expected!));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('any text at all is read or refused with a hint: never an unexpected error, never a future time', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9: apmAPMTZ+\-utc/]{0,24}$/)), fc.constantFrom(...ZONES), (text, zone) => {
        try {
          expect(readTimeInput(text, { now: NOW, zone }).at).toBeLessThanOrEqual(NOW);
        } catch (error) {
          expect(error, JSON.stringify(text)).toBeInstanceOf(UsageError);
          expect((error as UsageError).hint).toBeTruthy();
        }
      }),
      { numRuns: 1500 },
    );
  });
});
