/**
 * The linear rewrites of patterns that backtracked on hostile lines give the same answers as
 * the patterns they replace, on random short lines made of the characters that matter; and the
 * sanitiser shows every control character visibly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSections } from '../../src/domain/postmortem.js';
import { escapeHtml, forWorkflowLog, jsonText, visible, visibleDeep } from '../../src/domain/sanitise.js';
import { firstLongLine, isDelimiterRow, oneLine, trimWhere } from '../../src/domain/text.js';

const OLD_TIMELINE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const OLD_ACTION_SEPARATOR = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const OLD_HEADING = /^(#{2,3})\s+(.+?)\s*#*\s*$/;

const lineOf = (pieces: string[]) => fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((p) => p.join(''));
const RUNS = { numRuns: 3000 };

describe('linear rewrites agree with the patterns they replace', () => {
  it('table delimiter rows (timeline: 3 dashes; action items: 1)', () => {
    fc.assert(
      fc.property(lineOf(['|', '-', '---', ':', ' ', '\t', 'x', '||']), (line) => {
        expect(isDelimiterRow(line, 3)).toBe(OLD_TIMELINE_SEPARATOR.test(line));
        expect(isDelimiterRow(line, 1)).toBe(OLD_ACTION_SEPARATOR.test(line));
      }),
      RUNS,
    );
  });

  it('## and ### headings, with or without closing #', () => {
    fc.assert(
      fc.property(lineOf(['#', '##', ' ', '\t', 'a', 'Impact', '\u2028', '\r', '.']), (rest) => {
        const line = `##${rest}`;
        const old = OLD_HEADING.exec(line);
        const sections = splitSections(line, 1);
        expect(sections.map((s) => ({ level: s.level, title: s.title }))).toEqual(old ? [{ level: old[1]!.length, title: old[2]! }] : []);
      }),
      RUNS,
    );
  });

  it('whitespace folding and trimming', () => {
    fc.assert(
      fc.property(lineOf([' ', '\n', '\t', 'a', '-', '\r\n']), (text) => {
        expect(oneLine(text)).toBe(text.replace(/\s*\n\s*/g, ' '));
        expect(trimWhere(text, (c) => c === '-')).toBe(text.replace(/^-+|-+$/g, ''));
      }),
      RUNS,
    );
  });
});

describe('firstLongLine', () => {
  it('finds the first line past the limit, counting LF, CRLF and lone CR as line ends', () => {
    expect(firstLongLine('ab\ncd', 3)).toBeUndefined();
    expect(firstLongLine('ab\nabcd\nxxxxxx', 3)).toEqual({ line: 2, length: 4 });
    expect(firstLongLine('a\r\nb\rcccc', 3)).toEqual({ line: 3, length: 4 });
  });
});

describe('the sanitiser', () => {
  it('shows C0 (but tab), ESC, C1, DEL, CR and bidi controls visibly and leaves other text alone', () => {
    expect(visible('a\tb\u001b[2Jc\u009b31m\u007f\rd\u202eé😀\u0000')).toBe('a\tb\\x1b[2Jc\\x9b31m\\x7f\\rdU+202Eé😀\\x00');
    expect(visible('one\ntwo')).toBe('one\\ntwo');
    expect(visible('one\ntwo', { multiLine: true })).toBe('one\ntwo');
    expect(visible('\u2066x\u2069')).toBe('U+2066xU+2069');
  });

  it('leaves no control character in anything it returns', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        // eslint-disable-next-line no-control-regex
        expect(visible(text)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
    );
  });

  it('copies plain data with every string, keys included, shown visibly', () => {
    expect(visibleDeep({ 'a\u001b': ['x\ry', 1, null], n: { t: 'é\u0085' } })).toEqual({ 'a\\x1b': ['x\\ry', 1, null], n: { t: 'é\\x85' } });
  });

  it('writes JSON that strict parsers accept: lone surrogates as U+FFFD and counted, C1 and bidi as \\u escapes', () => {
    const { text, replaced } = jsonText({ a: 'x\ud800y', b: ['\udc00', '😀'], c: '\u009b\u202e\u007f' }, 0);
    expect(replaced).toBe(2);
    expect(text).toBe('{"a":"x\ufffdy","b":["\ufffd","😀"],"c":"\\u009b\\u202e\\u007f"}');
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });

  it('escapes raw HTML', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });

  it('keeps every line of a workflow log from starting a command', () => {
    expect(forWorkflowLog('50% done\n  ::add-mask::x\nok::fine')).toBe('50%25 done\n  %3A:add-mask::x\nok::fine');
    expect(forWorkflowLog('::error::x', { percent: false })).toBe('%3A:error::x');
  });
});
