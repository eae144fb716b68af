/**
 * The fast paths of the readers that cold runs go through (docs/decisions/0065-*) give the
 * same answers as the plain ways they shortcut, on random input made of the characters that
 * matter: a first-character test before a regular expression, indexOf jumps instead of a scan,
 * one search for any blaming phrase before one per phrase, a cached date, JSON without a
 * replacer function. Each plain way is written out here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blamingPhrases, mayHoldBlame } from '../../src/domain/blame.js';
import { correctionProblems } from '../../src/domain/corrections.js';
import { codeFenceTracker, findSections, type Section, sectionContent, sectionLines, splitSections, visitSectionContent } from '../../src/domain/postmortem.js';
import { FileError } from '../../src/domain/errors.js';
import { CONFLICT_MARKER_PROBLEM, CONTROL, describeControl, isConflictMarker, quoteForMessage } from '../../src/domain/frontmatter.js';
import { jsonText } from '../../src/domain/sanitise.js';
import { updateTimes } from '../../src/domain/stats.js';
import { percentile, selectedPercentile } from '../../src/domain/uncertainty.js';
import { correctTimeline } from '../../src/domain/corrections.js';
import { isDelimiterRow } from '../../src/domain/text.js';
import { canonicalUtcAt, parseIsoLike, parseStoredTimestamp, parseUtcTimestamp, readWrittenTime, toIsoUtc } from '../../src/domain/time.js';
import { countCells, decodeCell, parseTimeline, splitRow, type TimelineEntry } from '../../src/domain/timeline.js';
import { yearProblem } from '../../src/domain/years.js';

const lineOf = (pieces: string[], maxLength = 14) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((p) => p.join(''));
const RUNS = { numRuns: 3000 };

/** splitRow as it was: a step through every character, each cell sliced and trimmed. */
function splitRowByScan(line: string): string[] {
  let body = line.trim();
  if (body.startsWith('|')) body = body.slice(1);
  const cells: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '\\' && i + 1 < body.length) i += 1;
    else if (body[i] === '|') {
      cells.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last !== '') cells.push(last);
  return cells;
}

/** isDelimiterRow without its first-character test. */
function delimiterRowBySplit(line: string, minDashes: number): boolean {
  let body = line.startsWith('|') ? line.slice(1) : line;
  body = body.trimEnd();
  if (body.endsWith('|')) body = body.slice(0, -1);
  const cell = minDashes === 3 ? /^:?-{3,}:?$/ : /^:?-+:?$/;
  return body.split('|').every((part) => cell.test(part.trim()));
}

/** jsonText as it was: every string through a replacer function. */
function jsonTextByReplacer(data: unknown): { text: string; replaced: number } {
  let replaced = 0;
  const text = JSON.stringify(data, (_key, value: unknown) =>
    typeof value === 'string'
      ? value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, () => {
          replaced += 1;
          return '\ufffd';
        })
      : value,
  2);
  return { text: (text ?? 'null').replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), replaced };
}

/** parseTimeline as it was: the text split into lines, every test on every line. */
function parseTimelineLineByLine(rawText: string, file: string): { entries: TimelineEntry[]; problems: FileError[] } {
  const entries: TimelineEntry[] = [];
  const problems: FileError[] = [];
  rawText
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (isConflictMarker(raw)) return void problems.push(new FileError(file, index + 1, `${CONFLICT_MARKER_PROBLEM} (the rows on both sides are read)`));
      if (!line.startsWith('|') || delimiterRowBySplit(line, 3)) return;
      const control = CONTROL.exec(line);
      if (control) return void problems.push(new FileError(file, index + 1, `timeline row contains the control character ${describeControl(control[0])}, which inc does not show`));
      const cells = splitRowByScan(line);
      const first = cells[0] ?? '';
      if (/^time\b/i.test(first)) return;
      const at = parseUtcTimestamp(first);
      if (at === undefined) {
        const refusal = readWrittenTime(first, 'UTC');
        const why = 'problem' in refusal && !refusal.problem.includes('not a time') ? `: ${refusal.problem}` : '';
        return void problems.push(new FileError(file, index + 1, `timeline row has no readable time: ${quoteForMessage(first)}${why} (expected 2026-03-15T14:02:00Z)`));
      }
      const outOfRange = yearProblem(at);
      if (outOfRange) return void problems.push(new FileError(file, index + 1, `timeline row time: ${outOfRange}`));
      const text = decodeCell(cells[1] ?? '');
      if (text === '') return void problems.push(new FileError(file, index + 1, 'timeline row has a time but no event text'));
      entries.push({ at, text, author: decodeCell(cells[2] ?? ''), kind: cells[3] ? decodeCell(cells[3]) : null, line: index + 1 });
    });
  entries.sort((a, b) => a.at - b.at);
  return { entries, problems };
}

/** splitSections as it was: the body split into lines, each fed to the fence tracker and pushed to its section. */
function splitSectionsByLines(body: string, bodyStartLine: number): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  const isCode = codeFenceTracker();
  body.split('\n').forEach((line, index) => {
    const heading = !isCode(line) && line.startsWith('##') ? splitSections(line, 1)[0] : undefined;
    if (heading) {
      current = { level: heading.level, title: heading.title, line: bodyStartLine + index, lines: [] };
      sections.push(current);
    } else if (current) {
      current.lines.push(line);
    }
  });
  return sections;
}

/** updateTimes as it was: a regular expression for a row ending in an update cell, one for a retract cell. */
function updateTimesByRegex(text: string): number[] {
  if (/\|[ \t]*retract[ \t]*\|[ \t]*\r?$/im.test(text)) {
    return correctTimeline(parseTimeline(text, 'timeline.md').entries)
      .entries.filter((e) => e.kind?.trim().toLowerCase() === 'update')
      .map((e) => e.at);
  }
  const times: number[] = [];
  for (const match of text.matchAll(/\|[ \t]*update[ \t]*\|[ \t]*\r?$/gim)) {
    const line = text.slice(text.lastIndexOf('\n', match.index) + 1, match.index + match[0].length).trim();
    const pipes: number[] = [];
    for (let i = 0; i < line.length; i += 1) {
      if (line[i] === '\\') i += 1;
      else if (line[i] === '|') pipes.push(i);
    }
    if (pipes.length !== 5 || pipes[0] !== 0) continue;
    const cell = (n: number) => line.slice(pipes[n]! + 1, pipes[n + 1]).trim();
    if (cell(3).toLowerCase() !== 'update' || cell(1) === '') continue;
    const at = parseStoredTimestamp(cell(0)) ?? parseIsoLike(cell(0), 'UTC');
    if (at !== undefined) times.push(at);
  }
  return times;
}

const CELL_PIECES = ['|', '\\', '\\|', '\\\\', ' ', 'a', '\t', '\u00a0', '\u2028', 'é', '-', ':'];

describe('fast paths agree with the plain ways', () => {
  it('splitRow and countCells: pipes found by indexOf, escapes counted back', () => {
    fc.assert(
      fc.property(lineOf(CELL_PIECES), (line) => {
        expect(splitRow(line)).toEqual(splitRowByScan(line));
        expect(countCells(line)).toBe(splitRowByScan(line).length);
      }),
      RUNS,
    );
  });

  it('isDelimiterRow: a character no delimiter row holds answers first', () => {
    fc.assert(
      fc.property(lineOf(['|', '-', '---', ':', ' ', '\t', 'x', '\u00a0', '\ufeff', '\u3000', 'é', '\v']), (line) => {
        expect(isDelimiterRow(line, 3)).toBe(delimiterRowBySplit(line, 3));
        expect(isDelimiterRow(line, 1)).toBe(delimiterRowBySplit(line, 1));
      }),
      RUNS,
    );
  });

  it('parseTimeline: usual rows read in place, lines cut one by one, each test from its first character, one search for control characters', () => {
    const row = fc
      .tuple(
        fc.constantFrom('2026-03-15T14:02:00Z', '2026-03-15 14:02', 'Time (UTC)', 'time', 'T', 'timeless', '1969-12-31T23:59:59Z', 'nope', ''),
        lineOf(['a', ' ', '\\|', '\u001b', '\u000b', '\u0085', 'é'], 4),
        lineOf(['|', ' ', '-', '\u000c'], 3),
      )
      .map(([time, text, tail]) => `| ${time} | ${text} | Bob | note |${tail}`);
    // Rows read in place: white space and other characters at their ends, escapes, cells missing or extra, times of every kind.
    const piecewise = fc
      .tuple(
        lineOf([' ', '\t', '\u00a0', '\u3000', 'é', '<', '='], 2),
        lineOf(['|', ' ', '2026-03-15T14:02:00Z', '2026-02-30T14:02:00Z', '0099-01-01T00:00:00Z', '2200-01-01T00:00:00Z', '2026-03-15T14:02:00z', 'x', '\\', '\\|', '\\n', '\t', '-', ':', 'é', '\u00a0'], 10),
        lineOf([' ', '\t', '\u00a0', 'é', '|', '\\'], 2),
      )
      .map(([head, middle, tail]) => `${head}|${middle}${tail}`);
    const other = fc.constantFrom('', '# Timeline', '|---|---|', '| --- | :-: |', '<<<<<<< ours', '=======', '>>>>>>> theirs', ' | a |', '\ufeff| 2026-03-15T14:02:00Z | x |');
    fc.assert(
      fc.property(fc.array(fc.oneof(row, piecewise, other), { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const text = lines.join(eol);
        const parsed = parseTimeline(text, 'timeline.md');
        const plain = parseTimelineLineByLine(text, 'timeline.md');
        expect(parsed.entries).toEqual(plain.entries);
        expect(parsed.problems.map((p) => p.message)).toEqual(plain.problems.map((p) => p.message));
      }),
      RUNS,
    );
  });

  it('findSections: only a line that could be a fence or a heading is cut out; lines cut or visited per section', () => {
    const line = fc.oneof(
      fc.constantFrom('## Action items', '### Sub', '## Impact ##', '##', '## ', '##\t#', '# Title', '```', '~~~', '````', '   ```js', '    ```', '\t~~~', '\u00a0```', 'text', '', ' ', '\r', '| a | b |'),
      lineOf(['#', '##', ' ', '`', '```', '~', 'a', '\r', '\u2028'], 5),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.nat({ max: 30 }), (lines, offset) => {
        const body = lines.join('\n');
        const plain = splitSectionsByLines(body, offset + 1);
        expect(splitSections(body, offset + 1)).toEqual(plain);
        const spans = findSections(body, offset + 1);
        expect(spans.map((span) => sectionLines(body, span))).toEqual(plain.map((s) => s.lines));
        spans.forEach((_, index) => {
          const visited: { line: number; text: string }[] = [];
          visitSectionContent(body, spans, index, (at, text) => {
            visited.push({ line: at, text });
            return false;
          });
          expect(visited).toEqual(sectionContent(plain, index));
        });
      }),
      RUNS,
    );
  });

  it('updateTimes: each line read back from its end where the text breaks lines only with line feeds', () => {
    const line = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('| ', '|', ' | ', '\\| ', '\u00a0| ', ''),
          fc.constantFrom('2026-03-15T14:02:00Z', '2026-03-15 14:02', 'nope', ''),
          fc.constantFrom(' | Sent | Bob |', ' | | Bob |', ' | a \\| b | Bob |', ' | Sent |', ' | Sent | Bob | x |'),
          fc.constantFrom(' update ', 'UPDATE', '\tUpdate\t', 'update', ' retract ', 'Retract', 'updates', 'note', ' upDate  '),
          fc.constantFrom('|', ' |', '| ', '|\t', '||', '\\|', '|\r', '|x'),
        )
        .map((parts) => parts.join('')),
      fc.constantFrom('', '# Timeline', '| Time (UTC) | Event | By | Kind |', '|---|---|---|---|', 'update |', '| update |', '|update|', 'retract|'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\n', '\r\n', '\r', '\u2028'), (lines, eol) => {
        const text = lines.join(eol);
        expect(updateTimes(text)).toEqual(updateTimesByRegex(text));
      }),
      RUNS,
    );
  });

  it('blamingPhrases: one search for any phrase, then each phrase', () => {
    const words = ['human', 'error', 'errors', 'should', 'have', 'known', "'s", 'fault', 'of', 'his', 'forgot', 'to', 'careless', 'dropped', 'the', 'ball', 'blamed', '`x`', '`', 'Bob', 'not', 'paying', 'attention', '’ve', 'rookie', 'mistake'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 8 }), fc.constantFrom(' ', '', '  '), (parts, gap) => {
        const line = parts.join(gap);
        // A phrase of the repository's own makes every line be read phrase by phrase; this one never occurs.
        expect(blamingPhrases(line)).toEqual(blamingPhrases(line, { add: ['zzqx'], silence: [] }));
      }),
      RUNS,
    );
  });

  it('mayHoldBlame: one search of the whole text, where no line holds a phrase it finds none', () => {
    const words = ['human', 'error', 'should', 'have', 'known', "'s", 'fault', 'of', 'forgot', 'to', 'blamed', 'blame', '`', '``', 'x`', 'Bob', '\n', '\r', '\t', ' '];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 12 }), fc.constantFrom(' ', '', '\n'), (parts, gap) => {
        const text = parts.join(gap);
        const anyLine = text.split('\n').some((line) => blamingPhrases(line).length > 0);
        if (anyLine) expect(mayHoldBlame(text)).toBe(true);
        expect(mayHoldBlame(text, { add: ['zzqx'], silence: [] })).toBe(true);
      }),
      RUNS,
    );
  });

  it('codeFenceTracker: only a line that starts with a backquote, a tilde or white space can be a fence', () => {
    const fenceByRegex = () => {
      let fence: string | undefined;
      return (line: string) => {
        const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
        if (!marker) return fence !== undefined;
        if (fence === undefined) fence = marker;
        else if (marker.startsWith(fence)) fence = undefined;
        return true;
      };
    };
    fc.assert(
      fc.property(fc.array(lineOf(['```', '~~~', '`', '~', ' ', '\t', '\u00a0', '\u3000', 'a', '#'], 6), { maxLength: 10 }), (lines) => {
        const fast = codeFenceTracker();
        const plain = fenceByRegex();
        expect(lines.map(fast)).toEqual(lines.map(plain));
      }),
      RUNS,
    );
  });

  it('correctionProblems: none without a correction row, and no ref hashed for them', () => {
    const entry = fc.record({
      at: fc.constantFrom(Date.UTC(2026, 2, 15, 14, 2), Date.UTC(2026, 2, 15, 14, 12)),
      text: fc.constantFrom('Rollback', 'amends 2026-03-15T14:02:00Z ~0000000: x', 'retracts 2026-03-15T14:02:00Z ~abcdef1', 'retracts nothing', 'amends 2026-03-15T14:02:00Z ~1234567'),
      author: fc.constant('Bob'),
      kind: fc.constantFrom(null, 'note', 'amend', ' Retract ', 'AMEND', 'milestone'),
      line: fc.nat({ max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        expect(correctionProblems(entries, 'timeline.md')).toEqual(correctTimeline(entries, undefined, 'timeline.md').problems);
      }),
      RUNS,
    );
  });

  it('toIsoUtc: a cached date and the time of day by hand, toISOString outside the years inc reads', () => {
    const plain = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const edges = [0, -1, 999, 1000, Date.UTC(2200, 0, 1) - 1, Date.UTC(2200, 0, 1), Date.UTC(2024, 1, 29, 23, 59, 59, 999), -8.64e15, 8.64e15];
    for (const ms of edges) expect(toIsoUtc(ms)).toBe(plain(ms));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2300, 0, 1) }), (ms) => {
        expect(toIsoUtc(ms)).toBe(plain(ms));
      }),
      RUNS,
    );
    expect(() => toIsoUtc(Number.NaN)).toThrow(RangeError);
  });

  it('canonicalUtcAt: the form inc writes read in place, the date counted in integers rather than by Date.UTC', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    const part = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.constant(0));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), part(13), part(32), part(25), part(61), part(61), (year, month, day, hour, minute, second) => {
        const text = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}Z`;
        const plain = Date.UTC(year, month - 1, day, hour, minute, second);
        const date = new Date(plain);
        const real = year >= 100 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
        expect(canonicalUtcAt(`| ${text}`, 2)).toBe(real ? plain : undefined);
        if (real) expect(parseUtcTimestamp(text)).toBe(plain);
      }),
      RUNS,
    );
  });

  it('selectedPercentile: two order statistics selected, not every draw sorted', () => {
    const value = fc.oneof(fc.constantFrom(0, -0, 1, 1.5, -2, 3), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }));
    const p = fc.oneof(fc.constantFrom(0, 2.5, 50, 97.5, 100), fc.double({ min: 0, max: 100, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 60 }), p, (values, at) => {
        const sorted = Float64Array.from(values).sort();
        // Equal ends but for the sign of a zero, which round2 drops.
        expect(selectedPercentile(Float64Array.from(values), at) + 0).toBe(percentile(sorted, at)! + 0);
      }),
      RUNS,
    );
  });

  it('yearProblem: numbers compared before any Date is made', () => {
    expect(yearProblem(Date.UTC(1970, 0, 1))).toBeUndefined();
    expect(yearProblem(Date.UTC(2199, 11, 31, 23, 59, 59, 999))).toBeUndefined();
    expect(yearProblem(Date.UTC(1970, 0, 1) - 1)).toBe('the year 1969 is outside the years inc reads (1970 to 2199)');
    expect(yearProblem(Date.UTC(2200, 0, 1))).toBe('the year 2200 is outside the years inc reads (1970 to 2199)');
    expect(yearProblem(Number.NaN)).toBe('the year NaN is outside the years inc reads (1970 to 2199)');
  });

  it('jsonText: JSON.stringify alone where no lone surrogate shows, the replacer where one may', () => {
    const text = lineOf(['a', '"', '\\', 'ud800', '\ud800', '\udc00', '😀', '\u0085', '\u202e', '\u0001', '\n'], 6);
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer())), (data) => {
        expect(jsonText(data)).toEqual(jsonTextByReplacer(data));
      }),
      RUNS,
    );
    expect(jsonText(undefined)).toEqual({ text: 'null', replaced: 0 });
  });
});
