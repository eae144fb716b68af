import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeTime, mergeFields, mergeLists, mergeNoteText } from '../../src/domain/merge.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';

const T = (hhmm: string) => Date.parse(`2026-03-15T${hhmm}:00Z`);
const row = (hhmm: string, kind: string | null, text = 'x'): TimelineEntry => ({ at: T(hhmm), text, author: 'A', kind });
const none = { ours: [], theirs: [] };

describe('mergeLists', () => {
  it('keeps what either side added and drops what either side removed', () => {
    expect(mergeLists(['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(mergeLists(['a', 'b'], ['a'], ['a', 'b', 'd'])).toEqual(['a', 'd']);
    expect(mergeLists(['a', 'b'], ['a', 'b', 'c'], ['b'])).toEqual(['b', 'c']);
    expect(mergeLists([], ['x'], ['x'])).toEqual(['x']);
  });

  it('holds the same elements whichever side is ours', () => {
    const list = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 });
    fc.assert(
      fc.property(list, list, list, (base, ours, theirs) => {
        expect(new Set(mergeLists(base, ours, theirs))).toEqual(new Set(mergeLists(base, theirs, ours)));
      }),
    );
  });
});

describe('mergeFields', () => {
  const base = { id: 'x', severity: 'SEV2', commander: 'Alice', smes: [], status: 'investigating', acknowledged_at: null };

  it('takes a field changed on one side; merges lists changed on both', () => {
    const merged = mergeFields(base, { ...base, commander: 'Bob', smes: ['Carol'] }, { ...base, severity: 'SEV1', smes: ['Dave'] }, none);
    expect(merged.merged).toEqual({ ...base, commander: 'Bob', severity: 'SEV1', smes: ['Carol', 'Dave'] });
    expect(merged.changes).toEqual({ severity: 'SEV1', smes: ['Carol', 'Dave'] });
    expect(merged.notes).toEqual([]);
  });

  it('keeps the later change of a field changed on both sides, by the timeline, and notes the other', () => {
    const timelines = { ours: [row('14:00', null), row('14:12', 'severity')], theirs: [row('14:14', 'severity'), row('14:20', null)] };
    const merged = mergeFields(base, { ...base, severity: 'SEV1' }, { ...base, severity: 'SEV3' }, timelines);
    expect(merged.merged.severity).toBe('SEV3');
    expect(merged.notes).toEqual([{ key: 'severity', kept: 'SEV3', keptAt: T('14:14'), dropped: 'SEV1', droppedAt: T('14:12') }]);
    expect(mergeNoteText(merged.notes[0]!)).toBe('Two clones changed severity at once: kept SEV3 (2026-03-15T14:14:00Z), the later change; not SEV1 (2026-03-15T14:12:00Z)');
    // The other way round, the same value wins.
    const swapped = mergeFields(base, { ...base, severity: 'SEV3' }, { ...base, severity: 'SEV1' }, { ours: timelines.theirs, theirs: timelines.ours });
    expect(swapped.merged.severity).toBe('SEV3');
    expect(swapped.changes).toEqual({});
  });

  it('times a milestone by its own value, and derives the status from the merged milestones', () => {
    const ours = { ...base, acknowledged_at: '2026-03-15T14:06:00Z', mitigated_at: '2026-03-15T14:20:00Z', status: 'mitigated' };
    const theirs = { ...base, acknowledged_at: '2026-03-15T14:08:00Z', identified_at: '2026-03-15T14:10:00Z', status: 'identified' };
    const merged = mergeFields(base, ours, theirs, none);
    expect(merged.merged.acknowledged_at).toBe('2026-03-15T14:08:00Z');
    expect(merged.merged.status).toBe('mitigated');
    expect(merged.merged.identified_at).toBe('2026-03-15T14:10:00Z');
    expect(merged.notes.map((n) => n.key)).toEqual(['acknowledged_at']);
  });

  it('reaches the same values whichever side is ours, equal times included', () => {
    const value = fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'Alice', 'Bob');
    const time = fc.constantFrom('14:00', '14:05', '14:10');
    fc.assert(
      fc.property(value, value, time, time, (a, b, ta, tb) => {
        const timelines = { ours: [row(ta, 'severity')], theirs: [row(tb, 'severity')] };
        const one = mergeFields(base, { ...base, severity: a }, { ...base, severity: b }, timelines);
        const other = mergeFields(base, { ...base, severity: b }, { ...base, severity: a }, { ours: timelines.theirs, theirs: timelines.ours });
        expect(one.merged).toEqual(other.merged);
      }),
    );
  });

  it('changeTime: a field without a row of its kind falls back to nothing; other fields take the latest row', () => {
    expect(changeTime('severity', 'SEV1', [row('14:00', null)])).toBeUndefined();
    expect(changeTime('title', 'New', [row('14:00', null), row('14:30', 'role')])).toBe(T('14:30'));
    expect(changeTime('resolved_at', '2026-03-15T15:00:00Z', [])).toBe(T('15:00'));
  });
});
