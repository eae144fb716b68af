import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  dateInZone,
  formatDuration,
  formatInZone,
  minutesBetween,
  monthInZone,
  parseTimeArgument,
  startOfDateInZone,
  toIsoUtc,
} from '../../src/domain/time.js';
import { UsageError } from '../../src/domain/errors.js';

const now = new Date('2026-03-15T15:30:45Z');
const at = (input: string, zone = 'UTC', when = now) => toIsoUtc(parseTimeArgument(input, when, zone));

describe('parseTimeArgument', () => {
  it('reads ISO 8601 with Z or an offset and stores UTC', () => {
    expect(at('2026-03-15T14:02:00Z')).toBe('2026-03-15T14:02:00Z');
    expect(at('2026-03-15T06:02:00-08:00')).toBe('2026-03-15T14:02:00Z');
    expect(at('2026-03-15T16:02+02:00')).toBe('2026-03-15T14:02:00Z');
    expect(at('2026-03-15T16:02:30+0200')).toBe('2026-03-15T14:02:30Z');
  });

  it('reads "YYYY-MM-DD HH:mm" and "HH:mm" in the configured zone', () => {
    expect(at('2026-03-15 14:02')).toBe('2026-03-15T14:02:00Z');
    expect(at('2026-03-15 07:02', 'America/Los_Angeles')).toBe('2026-03-15T14:02:00Z'); // PDT, UTC-7
    expect(at('2026-01-15 06:02', 'America/Los_Angeles')).toBe('2026-01-15T14:02:00Z'); // PST, UTC-8
    expect(at('14:02')).toBe('2026-03-15T14:02:00Z');
    expect(at('16:02', 'Europe/Berlin')).toBe('2026-03-15T15:02:00Z'); // CET, UTC+1
  });

  it('takes a bare HH:mm later than now as yesterday', () => {
    const justAfterMidnight = new Date('2026-03-16T00:10:00Z');
    expect(at('23:55', 'UTC', justAfterMidnight)).toBe('2026-03-15T23:55:00Z');
    // 00:10 UTC is 01:10 in Berlin: 23:55 Berlin yesterday is 22:55 UTC.
    expect(at('23:55', 'Europe/Berlin', justAfterMidnight)).toBe('2026-03-15T22:55:00Z');
  });

  it('reads relative times and now, truncated to the second', () => {
    expect(at('now')).toBe('2026-03-15T15:30:45Z');
    expect(at('-5m')).toBe('2026-03-15T15:25:45Z');
    expect(at('-2h')).toBe('2026-03-15T13:30:45Z');
    expect(at('-1d')).toBe('2026-03-14T15:30:45Z');
  });

  it('refuses times in the future, impossible dates and unknown forms with exit 2', () => {
    expect(() => at('2026-03-15T16:00:00Z')).toThrow(/in the future/);
    expect(() => at('2026-02-30 10:00')).toThrow(/not a time inc can read/);
    expect(() => at('25:00')).toThrow(/not a time of day/);
    expect(() => at('tomorrow-ish')).toThrow(UsageError);
    expect(() => at('tomorrow-ish')).toThrow(expect.objectContaining({ exitCode: 2, hint: expect.stringContaining('HH:mm') }));
  });

  it('handles the DST gap and overlap without an hour off', () => {
    // 2026-03-08 02:30 does not exist in Los Angeles; 01:30 PST is 09:30Z.
    expect(at('2026-03-08 01:30', 'America/Los_Angeles')).toBe('2026-03-08T09:30:00Z');
    expect(at('2026-03-08 03:30', 'America/Los_Angeles')).toBe('2026-03-08T10:30:00Z');
  });
});

describe('zone display and calendar', () => {
  it('formats and groups by the zone', () => {
    const ms = Date.parse('2026-03-31T23:30:00Z');
    expect(formatInZone(ms, 'UTC')).toBe('2026-03-31 23:30');
    expect(formatInZone(ms, 'Europe/Berlin')).toBe('2026-04-01 01:30');
    expect(dateInZone(ms, 'America/New_York')).toBe('2026-03-31');
    expect(monthInZone(ms, 'Europe/Berlin')).toBe('2026-04');
    expect(toIsoUtc(startOfDateInZone('2026-04-01', 'Europe/Berlin')!)).toBe('2026-03-31T22:00:00Z');
    expect(startOfDateInZone('2026-13-01', 'UTC')).toBeUndefined();
  });

  it('counts business days over weekends', () => {
    expect(addBusinessDays('2026-03-13', 5)).toBe('2026-03-20'); // Friday + 5 = next Friday
    expect(addBusinessDays('2026-03-14', 1)).toBe('2026-03-16'); // Saturday + 1 = Monday
  });

  it('keeps fractions of minutes and never wraps durations at 24 h', () => {
    expect(minutesBetween(0, 150_000)).toBe(2.5);
    expect(formatDuration(20)).toBe('20m');
    expect(formatDuration(65)).toBe('1h 05m');
    expect(formatDuration(3 * 1440 + 130)).toBe('3d 2h 10m');
  });
});
