/**
 * Time input end to end, one case for each way a time used to be stored wrongly: each now
 * gives the right time in the files, or exit 2 with what to type instead and nothing written.
 * Commands run in-process through run(argv, context) in a real temporary git repository.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/in-process.js';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const { inc, ok, refused } = inProcess(() => repo);

async function showJson(id?: string): Promise<Record<string, any>> {
  return JSON.parse((await ok(['show', ...(id ? [id] : []), '--json'])).stdout);
}

describe('time arguments that used to be stored wrongly', () => {
  it('a range is refused, not read as an offset of -18:00; offsets beyond ±14:00 too', async () => {
    repo = await makeRepo({ init: true });
    const range = await refused(['open', 'Checkout errors', '--sev', '2', '--at', '2018-02-20 17:00-18:00'], /--at "2018-02-20 17:00-18:00" is a range \(17:00 to 18:00\)/);
    expect(range.stderr).toContain('Give the start: "2018-02-20 17:00"');
    await refused(['open', 'Checkout errors', '--sev', '2', '--at', '2018-02-20T17:00-18:00'], /the offset -18:00 is beyond ±14:00/);
    await refused(['open', 'Checkout errors', '--sev', '2', '--at', '2018-02-20T17:00+23:59'], /the offset \+23:59 is beyond ±14:00/);
    // The start alone, on its date, is what gets stored.
    const opened = await ok(['open', 'Checkout errors', '--sev', '2', '--at', '2018-02-20 17:00']);
    expect(opened.stdout).toBe('2018-02-20-checkout-errors opened 2018-02-20T17:00:00Z\n');
    expect((await showJson()).detected_at).toBe('2018-02-20T17:00:00Z');
  });

  it('a typo\'d time of day more than 12 hours back is refused with the date to give; --on gives it', async () => {
    repo = await makeRepo({ init: true });
    const now = '2026-03-15T04:56:00Z';
    await ok(['open', 'Login failures', '--sev', '2', '--at', '04:50'], { now });
    const typo = await refused(['log', '--at', '05:30', 'rollback started'], /--at 05:30 today is still to come, and yesterday's would be 23h 26m ago \(2026-03-14 05:30 UTC\)/, { now });
    expect(typo.stderr).toContain('--on 2026-03-14');
    await refused(['milestone', 'started', '--at', '05:40'], /--at 05:40 today is still to come/, { now });
    await ok(['milestone', 'started', '--at', '04:40'], { now });
    const shown = await showJson();
    expect(shown.started_at).toBe('2026-03-15T04:40:00Z');
    expect(shown.metrics.ttd).toBe(10);
  });

  it('--on enters an old incident: every time of day of the command is on that date', async () => {
    repo = await makeRepo({ init: true });
    const opened = await ok(['open', 'Search outage', '--sev', '1', '--on', '2018-02-20', '--at', '17:05', '--started-at', '16:50']);
    expect(opened.stdout).toBe('2018-02-20-search-outage opened 2018-02-20T17:05:00Z\n');
    await ok(['mitigate', '--on', '2018-02-20', '--at', '5:40pm']);
    const shown = await showJson();
    expect([shown.started_at, shown.detected_at, shown.mitigated_at]).toEqual(['2018-02-20T16:50:00Z', '2018-02-20T17:05:00Z', '2018-02-20T17:40:00Z']);
    await refused(['log', '--on', '2018-02-20', 'forgot the time'], /--on 2018-02-20 gives the date of times of day, but --at was not given/);
    await refused(['log', '--on', '2018-02-20', '--at', '-5m', 'x'], /--on gives the date of times of day; -5m counts back from now/);
    expect((await inc(['log', '--help'])).stdout).toContain('--on <date>');
  });

  it('reads every form of the list that was refused or misread before', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'Payment outage', '--sev', '1', '--at', '2018-01-18 4:19']);
    const cases: [string, string][] = [
      ['2018-01-18 13:44 PST', '2018-01-18T21:44:00Z'],
      ['14:05 UTC', '2026-03-15T14:05:00Z'],
      ['04:50Z', '2026-03-15T04:50:00Z'],
      ['14:05:30', '2026-03-15T14:05:30Z'],
      ['-1h30m', '2026-03-15T14:00:00Z'],
      ['7:01am', '2026-03-15T07:01:00Z'],
      ['2:05pm', '2026-03-15T14:05:00Z'],
      ['08:05 America/Los_Angeles', '2026-03-15T15:05:00Z'],
    ];
    for (const [typed] of cases) await ok(['log', '--at', typed, `typed ${typed}`], { now: '2026-03-15T15:30:00Z' });
    const timeline = (await showJson()).timeline as { at: string; text: string }[];
    for (const [typed, stored] of cases) expect(timeline.find((e) => e.text === `typed ${typed}`)?.at, typed).toBe(stored);
    expect(timeline[0]!.at).toBe('2018-01-18T04:19:00Z');
  });

  it('ambiguous abbreviations, DST gaps and Etc/GMT zones: refused with the choices, or noted', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'Payment outage', '--sev', '1', '--at', '2025-11-01 20:00']);
    const ist = await refused(['log', '--at', '14:05 IST', 'x'], /--at IST is ambiguous/);
    expect(ist.stderr).toContain('Asia/Kolkata');
    const pst = await refused(['log', '--at', '2026-03-15 06:44 PST', 'x'], /PST is UTC−08:00, but on that date America\/Los_Angeles showed PDT/);
    expect(pst.stderr).toContain('America/Los_Angeles');
    await refused(['log', '--at', '2026-03-08 02:30 America/Los_Angeles', 'x'], /2026-03-08 02:30 does not exist in America\/Los_Angeles/);
    const overlap = await ok(['log', '--at', '2025-11-02 01:30 America/Los_Angeles', 'in the overlap']);
    expect(overlap.stderr).toMatch(/note: --at 2025-11-02 01:30 America\/Los_Angeles: 2025-11-02 01:30 happened twice in America\/Los_Angeles .*took the first/);
    expect(overlap.stdout).toContain('2025-11-02T08:30:00Z');
    // INC_TZ=Etc/GMT+2 is UTC-2, as POSIX has it: accepted, and said.
    const etc = await ok(['log', '--at', '2026-03-15 10:00', 'in Etc/GMT+2'], { env: { INC_TZ: 'Etc/GMT+2' } });
    expect(etc.stdout).toContain('2026-03-15T12:00:00Z');
    expect(etc.stderr).toMatch(/Etc\/GMT\+2 is UTC−02:00.*inverted sign/);
    await inc(['log', '--at', '2026-03-15 10:00', 'x'], { env: { INC_TZ: 'PST' } }).then((r) => {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/INC_TZ=PST is an abbreviation, not a time zone/);
      expect(r.stderr).toContain('America/Los_Angeles');
    });
  });
});

describe('the configured zone', () => {
  it('inc init proposes the machine\'s zone and names it; typed times are then read in it, under the right date', async () => {
    repo = await makeRepo();
    const init = await ok(['init'], { env: { TZ: 'America/Los_Angeles' } });
    expect(init.stderr).toContain('Times are typed and shown in America/Los_Angeles (this machine\'s zone, from $TZ; change it with `inc init --timezone ZONE`).');
    expect(repo.read('.inc/config.yaml')).toContain('timezone: "America/Los_Angeles"');
    // 16:30 UTC on 15 March is 09:30 PDT: 09:10 typed is 16:10Z, on the 15th there too.
    const opened = await ok(['open', 'Checkout errors', '--sev', '2', '--at', '09:10'], { now: '2026-03-15T16:30:00Z' });
    expect(opened.stdout).toBe('2026-03-15-checkout-errors opened 2026-03-15T16:10:00Z\n');
    expect((await showJson()).detected_at).toBe('2026-03-15T16:10:00Z');
    // Just after midnight UTC it is still the 14th in Los Angeles: the id takes the local date.
    const evening = await ok(['open', 'Search stale', '--sev', '3', '--at', '16:50'], { now: '2026-03-15T00:30:00Z' });
    expect(evening.stdout).toBe('2026-03-14-search-stale opened 2026-03-14T23:50:00Z\n');
  });

  it('inc init --timezone on a set-up repository changes the zone in one commit, keeping the rest of the config', async () => {
    repo = await makeRepo({ init: true });
    const before = repo.git(['rev-list', '--count', 'HEAD']).trim();
    const changed = await ok(['init', '--timezone', 'europe/berlin']);
    expect(changed.stdout).toBe('.inc/config.yaml\n');
    expect(changed.stderr).toContain('Time zone changed from UTC to Europe/Berlin');
    expect(Number(repo.git(['rev-list', '--count', 'HEAD']))).toBe(Number(before) + 1);
    expect(repo.git(['show', '--name-only', '--format=%s', 'HEAD']).trim()).toBe('inc: time zone Europe/Berlin (was UTC)\n\n.inc/config.yaml');
    const config = repo.read('.inc/config.yaml');
    expect(config).toContain('timezone: "Europe/Berlin"');
    expect(config).toContain('# Commit every write.');
    expect(config).toContain('lock_timeout_seconds: 15');
    const again = await ok(['init', '--timezone', 'Europe/Berlin']);
    expect(again.stderr).toContain('Already set up');
    expect(repo.git(['rev-list', '--count', 'HEAD']).trim()).toBe(String(Number(before) + 1));
    await ok(['open', 'Checkout errors', '--sev', '2', '--at', '16:10']);
    expect((await showJson()).detected_at).toBe('2026-03-15T15:10:00Z');
  });

  it('an abbreviation is no configured zone: --timezone PST is refused with the IANA name to use, and a config holding one says so', async () => {
    repo = await makeRepo({ init: true });
    const pst = await refused(['init', '--timezone', 'PST'], /--timezone PST is an abbreviation, not a time zone: America\/Los_Angeles shows it for only part of the year/);
    expect(pst.stderr).toContain('America/Los_Angeles');
    expect(pst.stderr).toContain('Etc/GMT+8');
    const ist = await refused(['init', '--timezone', 'IST'], /--timezone IST is an ambiguous abbreviation/);
    expect(ist.stderr).toContain('Asia/Kolkata');
    // A config edited by hand to PST is reported with its line, and init --timezone mends it.
    repo.write('.inc/config.yaml', repo.read('.inc/config.yaml').replace('timezone: "UTC"', 'timezone: "PST"'));
    repo.git(['commit', '-qam', 'PST by hand']);
    const list = await inc(['list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/\.inc\/config\.yaml:3: timezone: PST is an abbreviation, not a time zone/);
    await ok(['init', '--timezone', 'America/Los_Angeles']);
    // In summer the display says PDT's zone, not "PST".
    await ok(['open', 'Summer outage', '--sev', '2', '--at', '2026-07-01 10:00'], { now: '2026-07-01T18:00:00Z' });
    const show = await ok(['show'], { now: '2026-07-01T18:00:00Z' });
    expect(show.stdout).toContain('Times in America/Los_Angeles');
    expect(show.stdout).toContain('detected_at     2026-07-01 10:00:00');
    expect(show.stdout).not.toContain('PST');
    expect((await showJson()).detected_at).toBe('2026-07-01T17:00:00Z');
  });

  it('--timezone Etc/GMT+2 is accepted with a note on its sign, and labelled with its real offset', async () => {
    repo = await makeRepo();
    const init = await ok(['init', '--timezone', 'Etc/GMT+2']);
    expect(init.stderr).toMatch(/note: Etc\/GMT\+2 is UTC−02:00: the Etc\/GMT names carry POSIX's inverted sign .* For UTC\+02:00 use Etc\/GMT-2\./);
    await ok(['open', 'Checkout errors', '--sev', '2', '--at', '12:00']);
    expect((await showJson()).detected_at).toBe('2026-03-15T14:00:00Z');
    expect((await ok(['list'])).stdout).toContain('DETECTED (Etc/GMT+2 (UTC−02:00))');
  });
});
