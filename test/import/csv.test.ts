/** The CSV reader: RFC 4180 through csv-parse, the PagerDuty preset, --map, and times read as written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvIncidents } from '../../src/import/csv.js';
import { ROOT } from '../helpers/repo.js';

const FILE = readFileSync(join(ROOT, 'test/fixtures/import/pagerduty/incidents.csv'), 'utf8');
const utc = (iso: string) => Date.parse(iso);

describe('parseCsvIncidents with the PagerDuty preset', () => {
  const batch = parseCsvIncidents(FILE, 'incidents.csv', { preset: 'pagerduty', map: [], source: 'pagerduty' });

  it('reads quoted commas and a line break inside a title, and each offset as written', () => {
    expect(batch.incidents.map((i) => [i.key, i.title, i.severityWord, i.services])).toEqual([
      ['pagerduty:1041', 'Checkout returns 500s, EU only', 'high', ['payment-service']],
      ['pagerduty:1042', 'Search results stale after reindex', 'low', ['search-api']],
      ['pagerduty:1043', '=HYPERLINK("http://x")', 'high', ['payment-service']],
    ]);
    // 1041: created 14:05Z, first ack 60 s later = 14:06Z, resolved 15:00Z.
    expect(batch.incidents[0]!.milestones).toEqual({ detected: utc('2026-01-12T14:05:00Z'), acknowledged: utc('2026-01-12T14:06:00Z'), resolved: utc('2026-01-12T15:00:00Z') });
    // 1042: 09:10:30+01:00 = 08:10:30Z; 10:00+01:00 = 09:00Z.
    expect(batch.incidents[1]!.milestones).toEqual({ detected: utc('2026-01-20T08:10:30Z'), resolved: utc('2026-01-20T09:00:00Z') });
    // 1043: 23:50-05:00 on Feb 1 = 04:50Z on Feb 2; acknowledged 125 s later = 04:52:05Z; still open.
    expect(batch.incidents[2]!.milestones).toEqual({ detected: utc('2026-02-02T04:50:00Z'), acknowledged: utc('2026-02-02T04:52:05Z') });
    expect(batch.incidents[0]!.fields).toEqual({ source_url: 'https://example.pagerduty.com/incidents/Q1ABCDEF' });
  });

  it('a row whose creation time is no time is left out, with its row', () => {
    expect(batch.unread).toEqual([
      { where: 'incidents.csv row 5', why: 'detected: "yesterday" is not a time inc reads (ISO 8601)' },
      { where: 'incidents.csv row 5', why: 'no detection time: the row is left out' },
    ]);
  });
});

describe('parseCsvIncidents with --map', () => {
  const csv = 'Ticket;Summary;Opened;Closed\n'.replace(/;/g, ',') + 'OPS-7,Login slow,2026-03-01 10:00,2026-03-01 10:45\n';
  it('maps columns by name; a time without an offset needs --zone, and is read in it', () => {
    const options = { map: ['title=Summary', 'detected=Opened,resolved=Closed', 'key=Ticket'], source: 'csv' };
    expect(() => parseCsvIncidents(csv, 'ops.csv', options)).toThrow('ops.csv row 2: Opened "2026-03-01 10:00" has no offset, and no zone is given for it');
    const batch = parseCsvIncidents(csv, 'ops.csv', { ...options, zone: 'Europe/Berlin' });
    // 10:00 in Berlin in March (CET, UTC+1) = 09:00Z; 10:45 = 09:45Z.
    expect(batch.incidents[0]).toMatchObject({ key: 'csv:OPS-7', title: 'Login slow', milestones: { detected: utc('2026-03-01T09:00:00Z'), resolved: utc('2026-03-01T09:45:00Z') } });
  });
  it('names the missing column and the columns there are', () => {
    expect(() => parseCsvIncidents(csv, 'ops.csv', { map: [], source: 'csv' })).toThrow('ops.csv: no column for title');
    expect(() => parseCsvIncidents(csv, 'ops.csv', { map: ['title=Nope'], source: 'csv' })).toThrow('--map title=Nope: ops.csv has no column "Nope"');
    expect(() => parseCsvIncidents(csv, 'ops.csv', { map: ['colour=Summary'], source: 'csv' })).toThrow(/^--map colour=Summary: expected FIELD=COLUMN/);
  });
  it('an unterminated quote is a file error with its line', () => {
    expect(() => parseCsvIncidents('title,created_at\n"Broken,2026-01-01T00:00:00Z\n', 'bad.csv', { preset: 'pagerduty', map: [], source: 'pagerduty' })).toThrow(/^bad\.csv:\d+: not CSV that inc can read/);
  });
});
