/**
 * Corrections to an append-only timeline: refs from content, amend and retract rows, the
 * corrected timeline, superseded milestone rows, and naming an entry as `inc show` prints it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  correctionText,
  correctTimeline,
  entryRef,
  findEntry,
  incidentTimeline,
  milestoneOfRow,
} from '../../src/domain/corrections.js';
import { UsageError } from '../../src/domain/errors.js';
import { appendTimelineRows, parseTimeline, renderTimelineHeader, type TimelineEntry } from '../../src/domain/timeline.js';

const RUNS = Number(process.env.INC_PROPERTY_RUNS ?? 300);
const at = (hhmm: string, date = '2026-03-15') => Date.parse(`${date}T${hhmm}Z`);
const row = (hhmm: string, text: string, kind: string | null = null, author = 'Alice'): TimelineEntry => ({ at: at(hhmm), text, author, kind });

/** Rows written as inc writes them and read back, with their lines. */
function read(rows: TimelineEntry[]): TimelineEntry[] {
  const parsed = parseTimeline(appendTimelineRows(renderTimelineHeader('2026-03-15-x'), rows), 'incidents/x/timeline.md');
  expect(parsed.problems).toEqual([]);
  return parsed.entries;
}

const DECISION = row('14:12:00', 'Decision: roll back to v2.13.9', 'decision');
const MITIGATED = row('14:22:00', 'Mitigated', 'milestone');

describe('entryRef', () => {
  it('is ~ and the first 7 hex digits of the SHA-256 of the JSON of time, text, author and kind', () => {
    // printf '%s' '["2026-03-15T14:12:00Z","Decision: roll back to v2.13.9","Alice","decision"]' | sha256sum
    expect(entryRef(DECISION)).toBe('~5acfd34');
    expect(entryRef(MITIGATED)).toBe('~fdcb8ab');
  });

  it('changes with any field, and not with where the row sits in the file', () => {
    const refs = new Set([
      entryRef(DECISION),
      entryRef({ ...DECISION, at: DECISION.at + 1000 }),
      entryRef({ ...DECISION, text: `${DECISION.text}.` }),
      entryRef({ ...DECISION, author: 'Bob' }),
      entryRef({ ...DECISION, kind: null }),
    ]);
    expect(refs.size).toBe(5);
    expect(entryRef({ ...DECISION, line: 40 })).toBe(entryRef({ ...DECISION, line: 7 }));
  });
});

describe('correctTimeline', () => {
  it('applies the latest amendment, leaves retracted entries out and lists no correction row as an event', () => {
    const typo = row('14:14:00', 'Rollbak started', 'action');
    const wrong = row('14:16:00', 'Paged the DBA team', null, 'Bob');
    const entries = read([
      DECISION,
      typo,
      wrong,
      row('14:30:00', correctionText('amend', typo.at, entryRef(typo), 'Rollback started'), 'amend'),
      row('14:40:00', correctionText('amend', typo.at, entryRef(typo), 'Rollback started by Bob'), 'amend', 'Bob'),
      row('14:35:00', correctionText('retract', wrong.at, entryRef(wrong), 'wrong incident'), 'retract'),
    ]);
    const timeline = correctTimeline(entries);
    expect(timeline.problems).toEqual([]);
    expect(timeline.entries.map((e) => [e.text, e.amended, e.ref])).toEqual([
      ['Decision: roll back to v2.13.9', false, '~5acfd34'],
      ['Rollback started by Bob', true, entryRef(typo)],
    ]);
    expect(timeline.entries[1]!.originalText).toBe('Rollbak started');
    expect(timeline.retracted).toEqual([expect.objectContaining({ text: 'Paged the DBA team', retracted: { at: at('14:35:00'), author: 'Alice', reason: 'wrong incident' } })]);
    expect(timeline.corrections.map((c) => c.action)).toEqual(['amend', 'retract', 'amend']);
  });

  it('writes correction rows that name the entry by its time and ref', () => {
    expect(correctionText('amend', DECISION.at, '~5acfd34', 'new text')).toBe('amends 2026-03-15T14:12:00Z ~5acfd34: new text');
    expect(correctionText('retract', DECISION.at, '~5acfd34')).toBe('retracts 2026-03-15T14:12:00Z ~5acfd34');
    expect(correctionText('retract', DECISION.at, '~5acfd34', 'duplicate')).toBe('retracts 2026-03-15T14:12:00Z ~5acfd34: duplicate');
  });

  it('reports a correction that names nothing, or another correction, with its line; and skips it', () => {
    const entries = read([
      DECISION,
      row('14:30:00', 'amends 2026-03-15T14:12:00Z ~0000000: nothing there', 'amend'), // line 8 (the header takes 6)
      row('14:31:00', 'retracts 2026-03-15T14:13:00Z ~5acfd34', 'retract'), // line 9: right ref, wrong time
      row('14:32:00', 'amends to something', 'amend'), // line 10
      row('14:33:00', 'amends 2026-03-15T14:12:00Z ~5acfd34', 'amend'), // line 11: no text
    ]);
    const amendRow = entries.find((e) => e.text.startsWith('amends 2026-03-15T14:12:00Z ~0000000'))!;
    const rows = read([...entries, row('14:34:00', correctionText('retract', amendRow.at, entryRef(amendRow)), 'retract')]); // line 12
    const timeline = correctTimeline(rows, undefined, 'incidents/x/timeline.md');
    expect(timeline.entries.map((e) => [e.text, e.amended])).toEqual([['Decision: roll back to v2.13.9', false]]);
    expect(timeline.problems.map((p) => p.message)).toEqual([
      'incidents/x/timeline.md:8: amend of 2026-03-15T14:12:00Z ~0000000 names no entry of this timeline (the entry was edited or removed by hand?)',
      'incidents/x/timeline.md:9: retract of 2026-03-15T14:13:00Z ~5acfd34 names no entry of this timeline (the entry was edited or removed by hand?)',
      'incidents/x/timeline.md:10: an amend row names no entry; expected "amends 2026-03-15T14:12:00Z ~a1b2c3d: <new text>"',
      'incidents/x/timeline.md:11: the amend row gives no new text; expected "amends 2026-03-15T14:12:00Z ~a1b2c3d: <new text>"',
      `incidents/x/timeline.md:12: retract of 2026-03-15T14:30:00Z ${entryRef(amendRow)} names another correction row; a correction names the entry itself`,
    ]);
  });

  it('flags a milestone row superseded when its time is not the incident\'s, unless it is a time still held', () => {
    const entries = read([
      row('14:02:00', 'User impact started', 'milestone'),
      MITIGATED,
      row('14:25:00', 'Mitigated: error rate back to baseline', 'milestone'),
      row('14:30:00', 'Mitigated (corrected from 2026-03-15T14:25:00Z)', 'milestone'),
      row('14:31:00', 'Mitigated the cache (a note, not the milestone)', null),
      row('15:00:00', 'Resolved', 'milestone'),
    ]);
    const current = { started: at('14:02:00'), mitigated: at('14:30:00'), resolved: at('15:00:00') };
    const flags = (held?: Record<string, number[]>) => correctTimeline(entries, { current, held }).entries.map((e) => [e.text.slice(0, 14), e.milestone ?? null, e.superseded]);
    expect(flags()).toEqual([
      ['User impact st', 'started', false],
      ['Mitigated', 'mitigated', true],
      ['Mitigated: err', 'mitigated', true],
      ['Mitigated (cor', 'mitigated', false],
      ['Mitigated the ', null, false],
      ['Resolved', 'resolved', false],
    ]);
    // An earlier mitigation of a relapsed incident still counts: not superseded.
    expect(flags({ mitigated: [at('14:22:00')] }).map((f) => f[2])).toEqual([false, false, true, false, false, false]);
    // Without the incident's times, nothing is flagged.
    expect(correctTimeline(entries).entries.some((e) => e.superseded)).toBe(false);
    expect(incidentTimeline({ milestones: current }, entries).entries.filter((e) => e.superseded)).toHaveLength(2);
  });

  it('reads the labels milestone rows start with, and only rows of kind milestone', () => {
    expect(milestoneOfRow({ text: 'Cause identified: NPE in validation', kind: 'milestone' })).toBe('identified');
    expect(milestoneOfRow({ text: 'Acknowledged (from the pagerduty export)', kind: 'milestone' })).toBe('acknowledged');
    expect(milestoneOfRow({ text: 'Started (from the pagerduty export)', kind: 'Milestone' })).toBe('started');
    expect(milestoneOfRow({ text: 'Detected', kind: 'milestone' })).toBe('detected');
    expect(milestoneOfRow({ text: 'Resolvedness', kind: 'milestone' })).toBeUndefined();
    expect(milestoneOfRow({ text: 'Resolved', kind: 'note' })).toBeUndefined();
  });

  it('does not depend on the order of the rows in the file (rows at equal times aside)', () => {
    const base = [DECISION, row('14:14:00', 'Rollbak', 'action'), row('14:16:00', 'Paged DBA', null, 'Bob'), MITIGATED];
    const correction = fc.record({
      target: fc.integer({ min: 0, max: base.length - 1 }),
      action: fc.constantFrom('amend' as const, 'retract' as const),
      minute: fc.integer({ min: 30, max: 35 }),
      text: fc.constantFrom('one', 'two', 'three'),
      author: fc.constantFrom('Alice', 'Bob'),
    });
    fc.assert(
      fc.property(fc.array(correction, { maxLength: 8 }), fc.array(fc.double({ noNaN: true }), { minLength: 12, maxLength: 12 }), (made, keys) => {
        const rows = made.map((c) => {
          const target = base[c.target]!;
          return row(`14:${c.minute}:00`, correctionText(c.action, target.at, entryRef(target), c.text), c.action, c.author);
        });
        const all = [...base, ...rows];
        // Any order in the file: each row gets a random sort key.
        const shuffled = all.map((r, i) => ({ r, key: keys[i]! })).sort((a, b) => a.key - b.key).map(({ r }) => r);
        const view = (entries: TimelineEntry[]) => {
          const t = correctTimeline(read(entries), { current: { mitigated: MITIGATED.at } });
          return { shown: t.entries.map((e) => [e.ref, e.text, e.amended, e.superseded]), retracted: t.retracted.map((e) => [e.ref, e.text]).sort(), problems: t.problems.length };
        };
        expect(view(shuffled)).toEqual(view(all));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('findEntry', () => {
  const typo = row('14:14:30', 'Rollbak', 'action');
  const other = row('14:14:50', 'Traffic drained', null, 'Bob');
  const gone = row('14:16:00', 'Paged DBA', null, 'Bob');
  const retraction = row('14:40:00', correctionText('retract', gone.at, entryRef(gone)), 'retract');
  const nextDay = { ...row('09:00:00', 'Fix released'), at: at('09:00:00', '2026-03-16') };
  const timeline = correctTimeline(read([DECISION, typo, other, gone, retraction, nextDay]));
  const naming = { now: at('15:30:00', '2026-03-16'), zone: 'UTC' };
  const find = (name: string) => findEntry(timeline, name, naming);
  const entry = (name: string) => {
    const match = find(name);
    return match.kind === 'entry' ? match.entry.text : match.kind;
  };

  it('takes the number in the corrected timeline, with or without #', () => {
    expect(timeline.entries.map((e) => e.text)).toEqual(['Decision: roll back to v2.13.9', 'Rollbak', 'Traffic drained', 'Fix released']);
    expect(entry('2')).toBe('Rollbak');
    expect(entry('#4')).toBe('Fix released');
    expect(find('5')).toEqual({ kind: 'none', problem: 'there is no entry #5: the timeline has 4 entries' });
    expect(find('0').kind).toBe('none');
  });

  it('takes a ref or a unique prefix of one (4 digits at least)', () => {
    expect(entry('~5acfd34')).toBe('Decision: roll back to v2.13.9');
    expect(entry('~5ACF')).toBe('Decision: roll back to v2.13.9');
    expect(find('~5acfd34ff').kind).toBe('none');
    expect(() => find('~5a')).toThrow(UsageError);
    expect(find(entryRef(gone))).toMatchObject({ kind: 'retracted', entry: { text: 'Paged DBA' } });
    expect(find(entryRef(retraction))).toMatchObject({ kind: 'correction', correction: { action: 'retract' } });
  });

  it('takes a time: a minute names every entry in it; seconds name one; a time of day any day of the timeline', () => {
    expect(entry('14:12')).toBe('Decision: roll back to v2.13.9');
    expect(entry('2:12pm')).toBe('Decision: roll back to v2.13.9');
    expect(entry('2026-03-15T14:12:00Z')).toBe('Decision: roll back to v2.13.9');
    expect(entry('2026-03-15 15:12+01:00')).toBe('Decision: roll back to v2.13.9');
    const both = find('14:14');
    expect(both.kind === 'ambiguous' && both.entries.map((e) => e.text)).toEqual(['Rollbak', 'Traffic drained']);
    expect(entry('14:14:50')).toBe('Traffic drained');
    expect(entry('09:00')).toBe('Fix released'); // the next day's: more than 12 hours before "now" is fine here
    expect(find('14:16')).toMatchObject({ kind: 'retracted' });
    expect(find('14:13')).toEqual({ kind: 'none', problem: 'no entry at 14:13' });
    expect(() => find('soon')).toThrow(/<entry> soon is not an entry's number, time or ref/);
  });

  it('reads a time of day in the configured zone', () => {
    expect(findEntry(timeline, '10:12', { ...naming, zone: 'America/New_York' })).toMatchObject({ kind: 'entry', entry: { text: 'Decision: roll back to v2.13.9' } });
  });

  it('treats identical rows (one ref) as one entry', () => {
    const twice = correctTimeline(read([DECISION, DECISION]));
    expect(twice.entries).toHaveLength(2);
    expect(findEntry(twice, '14:12', naming)).toMatchObject({ kind: 'entry' });
  });
});
