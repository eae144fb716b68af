/** The Statuspage reader on a real page's incidents.json (Emma's status page, America/Chicago). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatuspage, statuspageMilestones } from '../../src/import/statuspage.js';
import { ROOT } from '../helpers/repo.js';

const FILE = join(ROOT, 'test/fixtures/import/statuspage/emma-incidents.json');
const batch = parseStatuspage(readFileSync(FILE, 'utf8'), 'emma-incidents.json');
const byId = (id: string) => batch.incidents.find((i) => i.key.endsWith(`/${id}`))!;
const utc = (iso: string) => Date.parse(iso);

describe('parseStatuspage on a real incidents.json', () => {
  it('reads all 22 incidents, each with its updates oldest first', () => {
    expect(batch.source).toBe('statuspage');
    expect(batch.by).toBe('Emma status page');
    expect(batch.incidents).toHaveLength(22);
    for (const incident of batch.incidents) {
      const times = incident.entries.map((e) => e.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(incident.entries.every((e) => e.kind === 'update' && e.text.startsWith('Status update ('))).toBe(true);
    }
  });

  it('a major outage: milestones from the update statuses, page offsets turned into UTC', () => {
    // By hand from the JSON: created_at 2018-10-22T23:57:26.169-05:00 = 2018-10-23T04:57:26Z;
    // identified 00:34:19.469-05:00 = 05:34:19Z; monitoring 01:12:07.623-05:00 = 06:12:07Z;
    // resolved_at 01:30:33.671-05:00 = 06:30:33Z (stored to the second, as inc stores times).
    const outage = byId('gm8jc9315cyk');
    expect(outage.title).toBe('Emma Application is currently down');
    expect(outage.severityWord).toBe('major');
    expect(outage.milestones).toEqual({
      detected: utc('2018-10-23T04:57:26Z'),
      identified: utc('2018-10-23T05:34:19Z'),
      mitigated: utc('2018-10-23T06:12:07Z'),
      resolved: utc('2018-10-23T06:30:33Z'),
    });
    expect(outage.fields).toEqual({ source_url: 'http://stspg.io/78b84c3e9' });
    expect(outage.services).toHaveLength(18);
  });

  it('a relapse: the mitigation that held is the monitoring update after the last investigating one', () => {
    // 3m89ls8svt0r, backfilled (display_at, CDT -05:00): investigating 08:08, identified 08:38,
    // monitoring 08:48, investigating again 12:35 and 15:17, identified 15:26, monitoring 16:30,
    // resolved 16:41. The 08:48 fix did not hold; 16:30 did: 21:30Z. identified is the first, 13:38Z.
    const relapsed = byId('3m89ls8svt0r');
    expect(relapsed.milestones).toEqual({
      detected: utc('2017-06-23T13:08:00Z'),
      identified: utc('2017-06-23T13:38:00Z'),
      mitigated: utc('2017-06-23T21:30:00Z'),
      resolved: utc('2017-06-23T21:41:00Z'),
    });
    expect(relapsed.entries).toHaveLength(8);
    // The times the page shows (display_at), not when the backfill was typed (2017-07-07).
    expect(relapsed.entries[0]!.at).toBe(utc('2017-06-23T13:08:00Z'));
  });

  it('components shown in a non-operational state are the services', () => {
    expect(byId('x9wt6q4wbbvn').services).toEqual(['Web Application - Home', 'Web Application - Email Editor']);
    // Only "No components were affected by this update." (no code): no services.
    expect(byId('871wntkg33wn').services).toEqual([]);
  });

  it('a milestone the order rules refuse is left empty and said, never stored', () => {
    // 272vrysp78ds: created 16:52 CDT, but its identified update is displayed at 16:45.
    const partial = byId('272vrysp78ds');
    expect(partial.milestones.identified).toBeUndefined();
    expect(partial.milestones.detected).toBe(utc('2017-06-12T21:52:00Z'));
    expect(batch.unread).toEqual([
      {
        where: 'emma-incidents.json#272vrysp78ds',
        key: 'statuspage:4lzycl8t1x0c/272vrysp78ds',
        why: 'identified_at 2017-06-12T21:45:00Z left empty: detected_at 2017-06-12T21:52:00Z is after identified_at 2017-06-12T21:45:00Z, which cannot be (set it with `inc milestone identified` once known)',
      },
    ]);
  });
});

describe('statuspageMilestones', () => {
  const t = (minute: number) => Date.UTC(2026, 0, 1, 12, minute);
  it('no monitoring update: no mitigation (resolved_at is not a mitigation)', () => {
    expect(statuspageMilestones(t(0), t(30), [{ at: t(0), status: 'investigating' }, { at: t(30), status: 'resolved' }])).toEqual({ detected: t(0), resolved: t(30) });
  });
  it('monitoring that relapses and never returns: no mitigation', () => {
    const updates = [
      { at: t(0), status: 'investigating' },
      { at: t(5), status: 'monitoring' },
      { at: t(9), status: 'investigating' },
      { at: t(20), status: 'resolved' },
    ];
    expect(statuspageMilestones(t(0), undefined, updates)).toEqual({ detected: t(0), resolved: t(20) });
  });
});

describe('parseStatuspage refuses what is not a Statuspage file', () => {
  it('not JSON, or JSON without incidents: file and line', () => {
    expect(() => parseStatuspage('{oops', 'x.json')).toThrow(/^x\.json:1: not JSON/);
    expect(() => parseStatuspage('{"page": {}}', 'x.json')).toThrow('x.json:1: not a Statuspage incidents.json or summary.json (no "incidents" list)');
  });
  it('an incident without a created_at, or a name with a control character, is left out and said', () => {
    const result = parseStatuspage(
      JSON.stringify({ incidents: [{ id: 'a', name: 'No time' }, { id: 'b', name: 'Bell\u0007', created_at: '2020-01-01T00:00:00Z' }, { id: 'c', name: 'Fine', created_at: '2020-01-01T00:00:00+01:00', impact: 'minor' }] }),
      'x.json',
    );
    expect(result.incidents.map((i) => i.title)).toEqual(['Fine']);
    expect(result.incidents[0]!.milestones).toEqual({ detected: utc('2019-12-31T23:00:00Z') });
    expect(result.unread.map((u) => u.where)).toEqual(['x.json#a', 'x.json#b']);
    expect(result.unread[0]!.why).toBe('no a created_at with an offset');
  });
});

describe('parseStatuspage on a summary.json', () => {
  it('reads its unresolved incidents, with the components the incident lists as services', () => {
    // The shape of /api/v2/summary.json: page, components, incidents (open ones), status.
    const summary = {
      page: { id: 'abc123', name: 'Example', url: 'https://status.example.com', time_zone: 'Europe/Berlin' },
      components: [{ id: 'c1', name: 'API', status: 'major_outage' }],
      incidents: [
        {
          id: 'inc1',
          name: 'API errors',
          status: 'identified',
          impact: 'major',
          created_at: '2026-03-15T15:02:00.000+01:00',
          resolved_at: null,
          components: [{ id: 'c1', name: 'API', status: 'major_outage' }],
          incident_updates: [
            { id: 'u2', status: 'identified', body: 'A bad deploy; rolling back.', created_at: '2026-03-15T15:20:00.000+01:00', display_at: '2026-03-15T15:20:00.000+01:00' },
            { id: 'u1', status: 'investigating', body: 'Elevated errors on the API.', created_at: '2026-03-15T15:02:30.000+01:00', display_at: '2026-03-15T15:02:30.000+01:00' },
          ],
        },
      ],
      status: { indicator: 'major', description: 'Partial System Outage' },
    };
    const result = parseStatuspage(JSON.stringify(summary), 'summary.json');
    expect(result.by).toBe('Example status page');
    expect(result.incidents).toHaveLength(1);
    const [incident] = result.incidents;
    // 15:02+01:00 = 14:02Z; identified 15:20+01:00 = 14:20Z; not resolved, so no resolved_at.
    expect(incident!.milestones).toEqual({ detected: utc('2026-03-15T14:02:00Z'), identified: utc('2026-03-15T14:20:00Z') });
    expect(incident!.services).toEqual(['API']);
    expect(incident!.key).toBe('statuspage:abc123/inc1');
    expect(incident!.fields).toEqual({ source_url: 'https://status.example.com/incidents/inc1' });
    expect(incident!.entries.map((e) => e.text)).toEqual(['Status update (investigating): Elevated errors on the API.', 'Status update (identified): A bad deploy; rolling back.']);
  });
});
