/**
 * The report reader on real incident reports (jupyterhub/mybinder.org-deploy, BSD-3-Clause;
 * test/fixtures/import/mybinder). Every expected instant is worked out by hand in a comment:
 * the wall time as the report writes it, the offset of the zone it states, the UTC result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, type IncError } from '../../src/domain/errors.js';
import { parseReport, readTimePrefix } from '../../src/import/report.js';
import { abbreviationProblem, readZoneWords } from '../../src/import/zones.js';
import { ROOT } from '../helpers/repo.js';

const read = (name: string) => readFileSync(join(ROOT, 'test/fixtures/import/mybinder', `${name}.md`), 'utf8');
const parse = (name: string, flags = {}) => parseReport(read(name), `${name}.md`, flags);
const utc = (iso: string) => Date.parse(iso);

function refusal(run: () => unknown): IncError {
  try {
    run();
  } catch (error) {
    return error as IncError;
  }
  throw new Error('expected a refusal');
}

describe('parseReport on real reports', () => {
  it('2018-02-22 NGINX crash: "All times in PST" in February is UTC-8', () => {
    const report = parse('2018-02-22-nginx-down');
    expect(report.title).toBe('NGINX crash');
    expect(report.zone).toBe('PST (UTC-08:00)');
    // 16:30, 16:32, 16:33, 16:35 PST + 8 h = 00:30, 00:32, 00:33, 00:35 UTC the next day.
    expect(report.entries.map((e) => e.at)).toEqual(['00:30', '00:32', '00:33', '00:35'].map((t) => utc(`2018-02-23T${t}:00Z`)));
    expect(report.entries[3]!.text).toBe('Confirm that the problem is resolved, grafana/mybinder.org are now back.');
    // Proposed: detected at the alert that was noticed, mitigated and resolved at the confirmation.
    expect(report.proposals.detected?.at).toBe(utc('2018-02-23T00:30:00Z'));
    expect(report.proposals.mitigated?.at).toBe(utc('2018-02-23T00:35:00Z'));
    expect(report.proposals.resolved?.at).toBe(utc('2018-02-23T00:35:00Z'));
    expect(report.proposals.started).toBeUndefined();
    expect(report.unread).toEqual([]);
    expect(report.postmortemShaped).toBe(true);
    expect(report.key).toBe('report:nginx-crash:2018-02-22T16:30');
  });

  it('2018-03-26 "no space left on device": recovered before anyone noticed', () => {
    const report = parse('2018-03-26-no-space-left');
    // CEST = UTC+2 (summer time began 2018-03-25): 10:34 -> 08:34Z, 10:55 -> 08:55Z, 15:00 -> 13:00Z.
    expect(report.zone).toBe('CEST (UTC+02:00)');
    expect(report.proposals.started?.at).toBe(utc('2018-03-26T08:34:00Z'));
    expect(report.proposals.mitigated?.at).toBe(utc('2018-03-26T08:55:00Z'));
    expect(report.proposals.detected?.at).toBe(utc('2018-03-26T13:00:00Z'));
    expect(report.proposals.resolved).toBeUndefined();
  });

  it('2018-02-20 JupyterLab announcement: CET (GMT+1), dates carried down over three days, a range and "2X:XX" left out', () => {
    const report = parse('2018-02-20-jupyterlab-announcement');
    expect(report.zone).toBe('CET (UTC+01:00)');
    expect(report.zoneFrom).toBe('2018-02-20-jupyterlab-announcement.md:14 ("CET (GMT+1)")');
    expect(report.entries).toHaveLength(39);
    // "### Feb 20 2018 14:17" CET - 1 h = 13:17Z; "## Feb 21, 13:00" (year carried) = 12:00Z on the 21st;
    // "## Feb 22, 07:13" = 06:13Z and the "### 07:18" under it = 06:18Z on the 22nd.
    expect(report.entries[0]).toMatchObject({ at: utc('2018-02-20T13:17:00Z'), line: 16, wall: '2018-02-20 14:17' });
    expect(report.entries.find((e) => e.line === 299)?.at).toBe(utc('2018-02-21T12:00:00Z'));
    expect(report.entries.find((e) => e.line === 313)?.at).toBe(utc('2018-02-22T06:13:00Z'));
    expect(report.entries[report.entries.length - 1]).toMatchObject({ at: utc('2018-02-22T06:18:00Z'), wall: '2018-02-22 07:18' });
    expect(report.unread).toEqual([
      { where: '2018-02-20-jupyterlab-announcement.md:243', why: 'a heading in the timeline without a time: "2X:XX (not sure exact time)"' },
      { where: '2018-02-20-jupyterlab-announcement.md:126', why: '"17:00-18:00" is a range, not one time' },
    ]);
    // A code block under an entry is not its text; the paragraph before it is.
    expect(report.entries.find((e) => e.wall === '2018-02-20 15:20')?.text).toBe(
      'Travis deployment fails again, this time hanging during grafana annotation. It is discovered that the grafana pod is unhealthy:',
    );
  });

  it('2018-01-18 reddit hug: H:MM times, and "8:20 - 8:24" is a range', () => {
    const report = parse('2018-01-18-reddit-hug');
    // "### 2018-01-18 4:19" PST + 8 h = 12:19Z; the last, "### 9:14", = 17:14Z.
    expect(report.entries[0]!.at).toBe(utc('2018-01-18T12:19:00Z'));
    expect(report.entries[report.entries.length - 1]!.at).toBe(utc('2018-01-18T17:14:00Z'));
    expect(report.entries).toHaveLength(24);
    expect(report.unread).toEqual([{ where: '2018-01-18-reddit-hug.md:64', why: '"8:20 - 8:24" is a range, not one time' }]);
  });

  it('2017-11-30 OOM proxy: no "All times" line, the zone beside the times (PST) carries to the bare ones', () => {
    const report = parse('2017-11-30-oom-proxy');
    expect(report.title).toBe('OOM (Out of Memory) Proxy');
    expect(report.zoneFrom).toBe('2017-11-30-oom-proxy.md:9 ("PST", the one zone the entries name)');
    // "### 2017-11-30 16:22 PST" + 8 h = 00:22Z on Dec 1; "### 17:07" (bare) = 01:07Z; "### 17:21 PST" = 01:21Z.
    expect(report.entries[0]!.at).toBe(utc('2017-12-01T00:22:00Z'));
    expect(report.entries.find((e) => e.wall === '2017-11-30 17:07')?.at).toBe(utc('2017-12-01T01:07:00Z'));
    expect(report.entries[report.entries.length - 1]!.at).toBe(utc('2017-12-01T01:21:00Z'));
  });

  it('2018-04-18 culler flood: a bare time earlier than the entry above is left out, not guessed; "19. April, 11:00" is a date', () => {
    const report = parse('2018-04-18-cull-flood');
    expect(report.unread.map((u) => u.where)).toEqual(['2018-04-18-cull-flood.md:18', '2018-04-18-cull-flood.md:46']);
    expect(report.unread[1]!.why).toBe('"14:43" comes before the entry above it (2018-04-18 14:49) and gives no date: left out rather than guessed; write its date in the heading');
    // 11:00 CEST on 19 April - 2 h = 09:00Z.
    expect(report.entries.find((e) => e.line === 88)?.at).toBe(utc('2018-04-19T09:00:00Z'));
  });

  it('2017-09-27 Hub 403: "All times in PST" on a September date is refused with exit 2, naming --zone', () => {
    const error = refusal(() => parse('2017-09-27-hub-403'));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe('2017-09-27-hub-403.md:14: the report says PST (UTC-08:00), but on 2017-09-27 America/Los_Angeles showed PDT (UTC-07:00): it may mean either');
    expect(error.hint).toBe('Say which with --zone: --zone America/Los_Angeles (the local clock) or --zone UTC-08:00 (the offset as written).');
    // With the local clock: 13:06 PDT + 7 h = 20:06Z. With the offset as written: + 8 h = 21:06Z.
    expect(parse('2017-09-27-hub-403', { zone: 'America/Los_Angeles' }).entries[0]!.at).toBe(utc('2017-09-27T20:06:00Z'));
    expect(parse('2017-09-27-hub-403', { zone: 'UTC-08:00' }).entries[0]!.at).toBe(utc('2017-09-27T21:06:00Z'));
  });
});

describe('what a report leaves open is refused, naming the flag', () => {
  const timeline = (lines: string[]) => ['# Outage', '', '## Timeline', '', ...lines, ''].join('\n');
  it('no zone anywhere', () => {
    const error = refusal(() => parseReport(timeline(['### 2026-03-15 14:05', 'Alert fired.']), 'r.md'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('r.md: the report does not say which time zone its times are in');
    expect(error.hint).toMatch(/^Give it with --zone/);
  });
  it('two different zones stated', () => {
    const error = refusal(() => parseReport(timeline(['All times in UTC', '', 'Times are in CET', '', '### 2026-03-15 14:05', 'x']), 'r.md'));
    expect(error.message).toContain('the report states more than one time zone');
  });
  it('an ambiguous abbreviation (IST)', () => {
    const error = refusal(() => parseReport(timeline(['All times in IST', '', '### 2026-03-15 14:05', 'x']), 'r.md'));
    expect(error.message).toBe(
      'r.md:5: "IST": "IST" names several zones: Asia/Kolkata (India, UTC+05:30), Europe/Dublin (Ireland in summer, UTC+01:00), Asia/Jerusalem (Israel, UTC+02:00)',
    );
  });
  it('a bare time with no date anywhere above it: --date', () => {
    const error = refusal(() => parseReport(timeline(['All times in UTC', '', '- 14:05 alert fired']), 'r.md'));
    expect(error.message).toBe('r.md:7: "14:05" has no date, and none is given above it');
    expect(error.hint).toBe('Give the date of the first entry with --date YYYY-MM-DD.');
    const given = parseReport(timeline(['All times in UTC', '', '- 14:05 alert fired', '- 2:10pm rollback']), 'r.md', { date: '2026-03-15' });
    expect(given.entries.map((e) => [e.at, e.text])).toEqual([
      [utc('2026-03-15T14:05:00Z'), 'alert fired'],
      [utc('2026-03-15T14:10:00Z'), 'rollback'],
    ]);
  });
  it('no timeline section: a file error (exit 1) at line 1', () => {
    const error = refusal(() => parseReport('# Outage\n\nIt broke.\n', 'r.md'));
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^r\.md:1: no "Timeline" section/);
  });
});

describe('readTimePrefix and zones', () => {
  it('reads the forms real reports use', () => {
    expect(readTimePrefix('Feb 20 2018 14:17')).toMatchObject({ date: { year: 2018, month: 2, day: 20 }, time: { hour: 14, minute: 17 }, rest: '' });
    expect(readTimePrefix('2018-01-17 17:14pm')).toMatchObject({ time: { hour: 17, minute: 14 } });
    expect(readTimePrefix('**4:23PM** PST: proxy restarted')).toMatchObject({ time: { hour: 16, minute: 23 }, zoneText: 'PST', rest: 'proxy restarted' });
    expect(readTimePrefix('ca. 18:30')).toMatchObject({ time: { hour: 18, minute: 30 } });
    expect(readTimePrefix('22:52 (maybe earlier?)')).toMatchObject({ time: { hour: 22, minute: 52 }, rest: '(maybe earlier?)' });
    expect(readTimePrefix('~13:30-13:45')?.problem).toBe('"13:30-13:45" is a range, not one time');
    expect(readTimePrefix('25:00 later')?.problem).toBe('"25:00" is not a time of day');
    expect(readTimePrefix('2X:XX (not sure exact time)')).toBeUndefined();
    expect(readTimePrefix('Conclusions')).toBeUndefined();
  });
  it('abbreviations: checked against the date; an offset beside one must agree', () => {
    expect(abbreviationProblem('PST', '2018-01-18')).toBeUndefined();
    expect(abbreviationProblem('CET', '2022-06-02')).toBe('the report says CET (UTC+01:00), but on 2022-06-02 Europe/Paris showed CEST (UTC+02:00): it may mean either');
    expect(readZoneWords('CEST (UTC+2)')?.zone).toEqual({ kind: 'offset', minutes: 120, label: 'CEST (UTC+02:00)' });
    expect(readZoneWords('PST (UTC-7)')?.problem).toBe('"PST" is UTC-08:00 but the report says UTC-07:00 beside it');
    expect(readZoneWords('UTC+1 Zurich')?.zone).toEqual({ kind: 'offset', minutes: 60, label: 'UTC+01:00' });
    expect(readZoneWords('Europe/Zurich')?.zone).toEqual({ kind: 'iana', name: 'Europe/Zurich' });
  });
  // Every pattern here is anchored and has no nested or adjacent unbounded repeats; this runs
  // lines of 100,000 characters through each of them (a quadratic one would not finish).
  it('reads hostile lines of 100,000 characters', () => {
    const line = `### ${'1'.repeat(100_000)}:${'0'.repeat(100_000)} ${'A'.repeat(100_000)}`;
    const text = [`# x${' #'.repeat(50_000)} ${' '.repeat(100_000)}x`, '## Timeline', `### Feb 20 2018${' '.repeat(100_000)}x`, 'All times in UTC', line, `- ${'Jan '.repeat(50_000)}`, `All times in ${'('.repeat(100_000)}`].join('\n');
    expect(() => parseReport(text, 'r.md', { date: '2026-01-01' })).toThrow('the timeline has no entry that starts with a time');
  });
});
