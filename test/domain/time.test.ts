import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  dateInZone,
  formatDuration,
  formatInZone,
  minutesBetween,
  monthInZone,
  parseStoredTimestamp,
  parseTimeArgument,
  readTimeInput,
  readWrittenTime,
  roundMinutes,
  startOfDateInZone,
  zoneLabel,
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

/** What the reader says about a typed time: the UTC it stores with its notes, or the refusal. */
function read(input: string, zone = 'UTC', when = now, on?: string): string {
  try {
    const reading = readTimeInput(input, { now: when.getTime(), zone, on });
    return [toIsoUtc(reading.at), ...reading.notes].join(' | ');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    expect(error.exitCode).toBe(2);
    expect(error.hint, `a refusal of ${input} says what to type instead`).toBeTruthy();
    return `refused: ${error.message}`;
  }
}

describe('readTimeInput: the forms of the README table', () => {
  it('reads seconds, single-digit hours and 12-hour forms', () => {
    expect(read('14:05:30')).toBe('2026-03-15T14:05:30Z');
    expect(read('4:19', 'UTC', new Date('2026-03-15T10:00:00Z'))).toBe('2026-03-15T04:19:00Z');
    expect(read('2018-01-18 4:19')).toBe('2018-01-18T04:19:00Z');
    expect(read('2:05pm')).toBe('2026-03-15T14:05:00Z');
    expect(read('2:05 PM')).toBe('2026-03-15T14:05:00Z');
    expect(read('7:01am', 'UTC', new Date('2026-03-15T10:00:00Z'))).toBe('2026-03-15T07:01:00Z');
    expect(read('12:30am', 'UTC', new Date('2026-03-15T10:00:00Z'))).toBe('2026-03-15T00:30:00Z');
    expect(read('12:30pm')).toBe('2026-03-15T12:30:00Z');
    expect(read('3pm')).toBe('2026-03-15T15:00:00Z');
    expect(read('14:05pm')).toMatch(/^refused: --at "14:05pm": a 12-hour time has hours 1 to 12/);
  });

  it('reads a zone, an offset or an abbreviation after the time', () => {
    expect(read('14:05 UTC', 'America/Los_Angeles')).toBe('2026-03-15T14:05:00Z');
    expect(read('14:05Z', 'Europe/Berlin')).toBe('2026-03-15T14:05:00Z');
    expect(read('04:50Z', 'UTC', new Date('2026-03-15T05:00:00Z'))).toBe('2026-03-15T04:50:00Z');
    // 13:44 PST on a winter day is 21:44Z; PDT in summer is UTC-7.
    expect(read('2026-01-18 13:44 PST')).toBe('2026-01-18T21:44:00Z');
    expect(read('2026-07-01 13:44 PDT', 'UTC', new Date('2026-07-02T00:00:00Z'))).toBe('2026-07-01T20:44:00Z');
    expect(read('08:05 America/Los_Angeles')).toBe('2026-03-15T15:05:00Z'); // PDT since 8 March
    expect(read('14:05 CEST', 'UTC', new Date('2026-07-01T13:00:00Z'))).toBe('2026-07-01T12:05:00Z');
    expect(read('14:05 +02:00')).toBe('2026-03-15T12:05:00Z');
    expect(read('2026-03-15 06:02 UTC-8')).toBe('2026-03-15T14:02:00Z');
    expect(read('2026-03-15 16:02 GMT+2')).toMatch(/^2026-03-15T14:02:00Z \| .*read as UTC\+02:00/);
  });

  it('reads compound relative times and now', () => {
    expect(read('-1h30m')).toBe('2026-03-15T14:00:45Z');
    expect(read('-1h 30m')).toBe('2026-03-15T14:00:45Z');
    expect(read('-90s')).toBe('2026-03-15T15:29:15Z');
    expect(read('45 min ago')).toBe('2026-03-15T14:45:45Z');
    expect(read('-30m1h')).toMatch(/^refused: .*not a time inc can read/); // largest unit first
    expect(read('+5m')).toMatch(/^refused: --at \+5m is in the future/);
  });

  it('refuses ranges, whether written with a dash, spaces or "to"', () => {
    expect(read('2018-02-20 17:00-18:00')).toMatch(/^refused: --at "2018-02-20 17:00-18:00" is a range \(17:00 to 18:00\)/);
    expect(read('17:00-18:00')).toMatch(/is a range/);
    expect(read('17:00 - 18:00')).toMatch(/is a range/);
    expect(read('5pm to 6pm')).toMatch(/is a range/);
    expect(read('2018-02-20 17:00–18:00')).toMatch(/is a range/);
    // A dash after a time is an offset only in the unmistakable ISO forms.
    expect(read('2026-03-15T06:02-08:00')).toBe('2026-03-15T14:02:00Z');
    expect(read('2026-03-15 06:02:00-08:00')).toBe('2026-03-15T14:02:00Z');
  });

  it('refuses offsets beyond ±14:00', () => {
    expect(read('2018-02-20T17:00-18:00')).toMatch(/^refused: --at the offset -18:00 is beyond ±14:00/);
    expect(read('2026-03-15T14:00+14:30')).toMatch(/beyond ±14:00/);
    expect(read('2026-03-15T14:00+14:00')).toBe('2026-03-15T00:00:00Z');
    expect(read('2026-03-15T03:00-12:00')).toBe('2026-03-15T15:00:00Z');
  });

  it('refuses ambiguous and unknown abbreviations, listing the choices', () => {
    const ist = read('14:05 IST');
    expect(ist).toMatch(/^refused: --at IST is ambiguous/);
    const error = (() => {
      try {
        readTimeInput('14:05 IST', { now: now.getTime(), zone: 'UTC' });
      } catch (e) {
        return e as UsageError;
      }
    })()!;
    expect(error.hint).toContain('Asia/Kolkata');
    expect(error.hint).toContain('Europe/Dublin');
    expect(read('14:05 CST')).toMatch(/CST is ambiguous/);
    expect(read('14:05 XYZ')).toMatch(/XYZ is not a zone abbreviation inc knows/);
    expect(read('14:05 Mars/Olympus')).toMatch(/not a time zone inc knows/);
  });

  it('refuses a seasonal abbreviation on a date its zone did not show it', () => {
    // In July Pacific clocks show PDT: "13:44 PST" means either the clock or UTC-8.
    expect(read('2026-07-01 13:44 PST', 'UTC', new Date('2026-07-02T00:00:00Z'))).toMatch(/PST is UTC−08:00, but on that date America\/Los_Angeles showed PDT/);
    expect(read('2026-01-10 10:00 BST')).toMatch(/BST is UTC\+01:00, but on that date Europe\/London showed UTC/);
  });

  it('refuses a wall time in a daylight-saving gap and notes the first of an overlap', () => {
    expect(read('2026-03-08 02:30', 'America/Los_Angeles')).toMatch(/2026-03-08 02:30 does not exist in America\/Los_Angeles/);
    expect(read('2026-03-29 02:30', 'Europe/Berlin')).toMatch(/does not exist in Europe\/Berlin/);
    const overlap = read('2025-11-02 01:30', 'America/Los_Angeles');
    expect(overlap).toMatch(/^2025-11-02T08:30:00Z \| .*happened twice in America\/Los_Angeles.*took the first.*2025-11-02T01:30-08:00/);
    expect(read('2025-11-02T01:30-08:00')).toBe('2025-11-02T09:30:00Z');
    expect(read('2025-10-26 02:30', 'Europe/Berlin')).toMatch(/^2025-10-26T00:30:00Z \| .*happened twice/);
  });

  it('accepts Etc/GMT zones and says their sign is inverted', () => {
    expect(read('2026-03-15 10:00 Etc/GMT+2')).toMatch(/^2026-03-15T12:00:00Z \| .*Etc\/GMT\+2 is UTC−02:00.*inverted sign.*Etc\/GMT-2/);
    expect(zoneLabel('Etc/GMT+2')).toBe('Etc/GMT+2 (UTC−02:00)');
  });

  it('refuses a bare time more than 12 hours back, and takes the date from --on', () => {
    // At 04:56 a typo'd 05:30 would be yesterday, 23.5 hours back.
    const early = new Date('2026-03-15T04:56:00Z');
    expect(read('05:30', 'UTC', early)).toMatch(/^refused: --at 05:30 today is still to come, and yesterday's would be 23h 26m ago \(2026-03-14 05:30 UTC\)/);
    expect(read('05:30', 'UTC', early, '2026-03-14')).toBe('2026-03-14T05:30:00Z');
    expect(read('17:05', 'UTC', now, '2018-02-20')).toBe('2018-02-20T17:05:00Z');
    expect(read('17:05', 'America/Los_Angeles', now, '2018-02-20')).toBe('2018-02-21T01:05:00Z');
    expect(read('-5m', 'UTC', now, '2018-02-20')).toMatch(/^refused: --at --on gives the date of times of day/);
    expect(read('17:05', 'UTC', now, '2018-02-30')).toMatch(/--on 2018-02-30 is not a date/);
    expect(read('16:00', 'UTC', now, '2026-03-15')).toMatch(/is in the future/);
    expect(read('03:31')).toBe('2026-03-15T03:31:00Z'); // 11 h 59 m back is still fine
  });

  it('reads a bare time in the zone of that day (the id date follows it)', () => {
    // 05:00Z on 15 March is 22:00 on 14 March in Los Angeles: 21:30 there is 04:30Z.
    expect(read('21:30', 'America/Los_Angeles', new Date('2026-03-15T05:00:00Z'))).toBe('2026-03-15T04:30:00Z');
  });
});

describe('readWrittenTime: times written by hand into files', () => {
  it('reads a stored timestamp only when it names its zone', () => {
    const stored = (text: string) => { const at = parseStoredTimestamp(text); return at === undefined ? undefined : toIsoUtc(at); };
    expect(stored('2026-03-15T06:02:00-08:00')).toBe('2026-03-15T14:02:00Z');
    expect(stored('2026-03-15 14:05 UTC')).toBe('2026-03-15T14:05:00Z');
    expect(stored('2026-03-15 14:05')).toBeUndefined();
    expect(stored('2018-02-20 17:00-18:00')).toBeUndefined();
    expect(stored('2018-02-20T17:00-18:00')).toBeUndefined();
  });

  it('reads dated forms in the given zone and refuses what needs a clock or could mean two things', () => {
    expect(readWrittenTime('2026-03-15 14:03', 'UTC')).toEqual({ at: Date.parse('2026-03-15T14:03:00Z') });
    expect(readWrittenTime('2026-03-15 7:03am PDT', 'UTC')).toEqual({ at: Date.parse('2026-03-15T14:03:00Z') });
    expect(readWrittenTime('14:03', 'UTC')).toMatchObject({ problem: expect.stringContaining('has no date') });
    expect(readWrittenTime('-5m', 'UTC')).toMatchObject({ problem: expect.stringContaining('not a time inc can read') });
    expect(readWrittenTime('2018-02-20 17:00-18:00', 'UTC')).toMatchObject({ problem: expect.stringContaining('is a range') });
    expect(readWrittenTime('2018-02-20T17:00-18:00', 'UTC')).toMatchObject({ problem: expect.stringContaining('beyond ±14:00') });
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
    expect(formatDuration(3 * 1440 + 130)).toBe('3d 2h');
    expect(formatDuration(10 / 60)).toBe('10s');
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(59.9)).toBe('1h 00m');
    expect(formatDuration(-5)).toBe('0m');
  });

  it('rounds minutes for JSON to two decimals at most, never -0', () => {
    expect(roundMinutes(10 / 60)).toBe(0.17);
    expect(roundMinutes(5.283333333333333)).toBe(5.28);
    expect(roundMinutes(2.9833333333333334)).toBe(2.98);
    expect(Object.is(roundMinutes(-0.001), 0)).toBe(true);
  });
});
