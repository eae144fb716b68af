import { describe, expect, it } from 'vitest';
import {
  appendTimelineRows,
  decodeCell,
  encodeCell,
  parseTimeline,
  renderTimelineHeader,
  splitRow,
  timelineTextProblem,
} from '../../src/domain/timeline.js';

const entry = (iso: string, text: string, kind: string | null = null) => ({ at: Date.parse(iso), text, author: 'Alice', kind });

describe('timeline', () => {
  it('writes one row per entry and reads it back, pipes and backslashes included', () => {
    const texts = ['plain', 'a | b', 'back\\slash', 'ends with \\', 'line one\nline two', '`kubectl rollout undo` \\| literal', '| starts'];
    let text = renderTimelineHeader('2026-03-15-x');
    text = appendTimelineRows(text, texts.map((t, i) => entry(`2026-03-15T14:0${i}:00Z`, t)));
    expect(text.split('\n').filter((l) => l.startsWith('| 2026')).length).toBe(texts.length);
    const { entries, problems } = parseTimeline(text, 'timeline.md');
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.text)).toEqual(texts);
  });

  it('splits a row on unescaped pipes only, trimming cells and keeping escapes for decodeCell', () => {
    expect(splitRow('| 2026-03-15T14:02:00Z | a \\| b | Alice | note |')).toEqual(['2026-03-15T14:02:00Z', 'a \\| b', 'Alice', 'note']);
    expect(splitRow('|x|\\\\|y|')).toEqual(['x', '\\\\', 'y']); // an escaped backslash, then a real pipe
    expect(splitRow('no leading pipe | two ')).toEqual(['no leading pipe', 'two']);
    expect(splitRow('| a | | c |   ')).toEqual(['a', '', 'c']); // an empty middle cell stays, the empty tail goes
    expect(splitRow('| ends with \\')).toEqual(['ends with \\']); // a backslash at the very end is text
    expect(splitRow('|')).toEqual([]);
    expect(decodeCell('plain text')).toBe('plain text');
    expect(decodeCell('a \\| b \\n \\\\ \\x')).toBe('a | b \n \\ \\x');
  });

  it('encodes exactly what decodes', () => {
    for (const s of ['\\n', '\\\\|', 'a\r\nb', '\\']) expect(decodeCell(encodeCell(s))).toBe(s);
  });

  it('reads hand-written rows: other spacing, missing cells, extra columns, UTC wall times', () => {
    const text = [
      '# Timeline: x',
      '| Time (UTC) | Event | By | Kind |',
      '|---|---|---|---|',
      '|2026-03-15T14:10:00Z|Error logs show an NPE|bob|',
      '| 2026-03-15 14:05 | HighErrorRate fires |',
      '| 2026-03-15T16:06:00+02:00 | acked | alice | milestone | extra | cells |',
    ].join('\n');
    const { entries, problems } = parseTimeline(text, 'timeline.md');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [new Date(e.at).toISOString(), e.text, e.author, e.kind])).toEqual([
      ['2026-03-15T14:05:00.000Z', 'HighErrorRate fires', '', null],
      ['2026-03-15T14:06:00.000Z', 'acked', 'alice', 'milestone'],
      ['2026-03-15T14:10:00.000Z', 'Error logs show an NPE', 'bob', null],
    ]);
  });

  it('reports a row it cannot read with its line and keeps the rest', () => {
    const text = '| Time (UTC) | Event |\n|---|---|\n| yesterday | something |\n| 2026-03-15T14:05:00Z | ok |\n';
    const { entries, problems } = parseTimeline(text, 'incidents/x/timeline.md');
    expect(entries).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([
      'incidents/x/timeline.md:3: timeline row has no readable time: "yesterday" (expected 2026-03-15T14:02:00Z)',
    ]);
  });

  it('sorts by time and keeps append order for equal times (union merges append anywhere)', () => {
    let text = renderTimelineHeader('x');
    text = appendTimelineRows(text, [entry('2026-03-15T14:10:00Z', 'late'), entry('2026-03-15T14:05:00Z', 'first'), entry('2026-03-15T14:05:00Z', 'second')]);
    expect(parseTimeline(text, 't').entries.map((e) => e.text)).toEqual(['first', 'second', 'late']);
  });

  it('refuses control characters a markdown file cannot show', () => {
    expect(timelineTextProblem('bell\u0007')).toMatch(/U\+0007/);
    expect(timelineTextProblem('   ')).toMatch(/empty/);
    expect(timelineTextProblem('tab\tand emoji 🔥 and עברית')).toBeUndefined();
  });
});
