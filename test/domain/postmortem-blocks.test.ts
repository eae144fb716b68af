import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findBlocks,
  firstDifference,
  type PostmortemFacts,
  postmortemFacts,
  renderBlock,
  renderBlockWithMarkers,
  rewriteBlocks,
  staleBlocks,
  withoutGeneratedContent,
} from '../../src/domain/postmortem-blocks.js';
import { at, PAYMENT_INCIDENT } from '../helpers/worked-example.js';

const FACTS: PostmortemFacts = postmortemFacts(PAYMENT_INCIDENT, {
  entries: [
    { at: at('14:05'), text: 'HighErrorRate alert fires', author: 'Alice', kind: 'alert' },
    { at: at('14:14'), text: 'Rollback | watch pods', author: 'Alice', kind: null },
  ],
  problems: [],
});

describe('renderBlock: one function for the scaffold, the refresh and the check', () => {
  it('the worked example: metadata, impact window, timeline and figures', () => {
    expect(renderBlock('metadata', FACTS, 'UTC')).toBe(
      [
        '- **Incident**: `2026-03-15-payment-processing-outage`',
        '- **Date**: 2026-03-15',
        '- **Duration**: 58m, from the start of impact to resolution',
        '- **Severity**: SEV1',
        '- **Services**: payment-service',
        '- **Incident commander**: Alice',
      ].join('\n'),
    );
    expect(renderBlock('impact', FACTS, 'UTC')).toBe('- **Impact window**: 2026-03-15 14:02 – 14:22 UTC (20m)');
    expect(renderBlock('timeline', FACTS, 'UTC')).toBe('| Time (UTC) | Event | By |\n|---|---|---|\n| 14:05 | HighErrorRate alert fires | Alice |\n| 14:14 | Rollback \\| watch pods | Alice |');
    const metrics = renderBlock('metrics', FACTS, 'UTC').split('\n');
    expect(metrics[2]).toBe('| TTD, time to detect | 3m | started_at → detected_at |');
    expect(metrics[3]).toBe('| TTA, time to acknowledge | 1m | detected_at → acknowledged_at |');
    expect(metrics[4]).toBe('| TTM, time to mitigate | 17m | detected_at → mitigated_at |');
    expect(metrics[5]).toBe('| TTR, time to resolve | 55m | detected_at → resolved_at |');
    expect(metrics[6]).toBe('| Impact, how long users were affected | 20m | started_at → mitigated_at (resolved_at where never mitigated) |');
  });

  it('a relapse: impact sums the windows and the block says which time is not counted', () => {
    const relapsed = postmortemFacts({ ...PAYMENT_INCIDENT, relapses: [{ ended: at('14:10'), back: at('14:17') }] }, { entries: [], problems: [] });
    // 14:02 to 14:22 is 20 minutes, less 7 between the mitigation at 14:10 and the relapse at 14:17.
    expect(renderBlock('impact', relapsed, 'UTC')).toBe('- **Impact window**: 2026-03-15 14:02 – 14:22 UTC (13m, not counting 2026-03-15 14:10 – 14:17, between a mitigation and a relapse)');
    expect(renderBlock('metrics', relapsed, 'UTC')).toContain('| Impact, how long users were affected | 13m |');
  });

  it('recovered before detection: no TTM or TTR to show, and says why', () => {
    const early = postmortemFacts(
      { ...PAYMENT_INCIDENT, milestones: { started: at('14:00'), mitigated: at('14:03'), resolved: at('14:04'), detected: at('14:10'), acknowledged: at('14:11') } },
      { entries: [], problems: [] },
    );
    const rows = renderBlock('metrics', early, 'UTC').split('\n');
    expect(rows[2]).toBe('| TTD, time to detect | 10m | started_at → detected_at |');
    expect(rows[4]).toBe('| TTM, time to mitigate | none (mitigated before detection) | detected_at → mitigated_at |');
    expect(rows[5]).toBe('| TTR, time to resolve | none (resolved before detection) | detected_at → resolved_at |');
    expect(rows[6]).toBe('| Impact, how long users were affected | 3m | started_at → mitigated_at (resolved_at where never mitigated) |');
  });

  it('in the configured zone', () => {
    expect(renderBlock('impact', FACTS, 'America/New_York')).toBe('- **Impact window**: 2026-03-15 10:02 – 10:22 America/New_York (20m)');
  });
});

/** A postmortem body of the given lines, markers and all. */
const body = (...lines: string[]) => lines.join('\n');

describe('findBlocks', () => {
  it('finds each block with its marker lines and the offsets of its content', () => {
    const text = body('# Postmortem', '<!-- inc:generated impact -->', '- **Impact window**: x', '<!-- inc:end impact -->', 'mine', '  <!-- inc:generated metrics -->  ', '<!-- inc:end metrics -->', '');
    const { blocks, problems } = findBlocks(text);
    expect(problems).toEqual([]);
    expect(blocks.map(({ name, startLine, endLine }) => ({ name, startLine, endLine }))).toEqual([
      { name: 'impact', startLine: 2, endLine: 4 },
      { name: 'metrics', startLine: 6, endLine: 7 },
    ]);
    expect(text.slice(blocks[0]!.contentStart, blocks[0]!.contentEnd)).toBe('- **Impact window**: x\n');
    expect(text.slice(blocks[1]!.contentStart, blocks[1]!.contentEnd)).toBe('');
  });

  it('reads CRLF files, and starts after the front matter; lines are the file lines', () => {
    const text = '---\nnote: "<!-- inc:end impact -->"\n---\r\n<!-- inc:generated impact -->\r\nx\r\n<!-- inc:end impact -->\r\n';
    const { blocks, problems } = findBlocks(text, 4);
    expect(problems).toEqual([]);
    expect(blocks).toMatchObject([{ name: 'impact', startLine: 4, endLine: 6, lineBreak: '\r\n' }]);
    const bodyOnly = findBlocks('<!-- inc:generated impact -->\nx\n<!-- inc:end metrics -->', 1, 10);
    expect(bodyOnly.problems).toEqual([{ line: 13, message: '<!-- inc:end metrics --> ends the metrics block, but the block open here is impact (line 11)' }]);
  });

  it('reports every broken marker with its line', () => {
    const text = body(
      '<!-- inc:generated metadata -->', // 1: no end before the next start
      '- x',
      '<!-- inc:generated impact -->', // 3
      '<!-- inc:end impact -->', // 4
      '<!-- inc:end impact -->', // 5: doubled
      '<!-- inc:end timeline -->', // 6: nothing opened it
      '<!-- inc:generated impact -->', // 7: a second impact block
      '<!-- inc:end impact -->',
      '<!-- inc:generated metric -->', // 9: no such block
      '<!-- inc:generated metrics', // 10: not closed
      '<!-- inc:generated metrics now -->', // 11: a word too many
      '<!-- a note about inc:generated blocks -->', // a comment, not a marker
      '<!-- inc:generated timeline -->', // 13: open at the end
      '| a |',
    );
    expect(findBlocks(text).problems).toEqual([
      { line: 1, message: 'the metadata block has no end marker: expected <!-- inc:end metadata --> before line 3' },
      { line: 5, message: '<!-- inc:end impact --> ends no block (the impact block already ended at line 4: a duplicated end marker?)' },
      { line: 6, message: '<!-- inc:end timeline --> ends no block: no <!-- inc:generated timeline --> above it' },
      { line: 7, message: 'a second impact block (the first starts at line 3); keep one' },
      { line: 9, message: '"<!-- inc:generated metric -->" names no block inc generates (metadata, impact, timeline, metrics)' },
      { line: 10, message: '"<!-- inc:generated metrics" is not a marker inc reads: each block is a line <!-- inc:generated metrics -->, its content, then a line <!-- inc:end metrics -->' },
      { line: 11, message: '"<!-- inc:generated metrics now -->" is not a marker inc reads: each block is a line <!-- inc:generated metrics -->, its content, then a line <!-- inc:end metrics -->' },
      { line: 13, message: 'the timeline block has no end marker: add <!-- inc:end timeline --> on the line after its content' },
    ]);
  });

  it('reports 20 problems and counts the rest', () => {
    const { problems } = findBlocks(Array.from({ length: 1000 }, () => '<!-- inc:end metrics -->').join('\n'));
    expect(problems).toHaveLength(21);
    expect(problems[20]).toEqual({ line: 20, message: 'and 980 more marker problems' });
  });

  it('runs in linear time on hostile files of 2 MiB', () => {
    const fill = (line: string) => Array.from({ length: Math.floor((2 * 1024 * 1024) / (line.length + 1)) }, () => line).join('\n');
    const cases = [
      fill(`<!-- inc:generated ${' '.repeat(60_000)}x`),
      fill(`<!--${' '.repeat(60_000)}inc:end${' '.repeat(3000)}metrics${' '.repeat(3000)}-->x`),
      fill(`${' '.repeat(60_000)}<!--`),
      fill('<!-- inc:generated metrics -->\n| a |\n<!-- inc:end metrics -->'),
      `<!-- inc:generated timeline -->\n${fill(`| ${'a '.repeat(30_000)}|`)}\n<!-- inc:end timeline -->`,
    ];
    // Linear work on 2 MiB takes milliseconds; a backtracking pattern would take minutes and
    // fail on the test's timeout. The CPU-time bound is the pathological corpus's (cases
    // marker-lines and generated-block-rows), measured in a real process: no clock is read here.
    for (const text of cases) {
      const { blocks, problems } = findBlocks(text);
      expect(problems.length).toBeLessThanOrEqual(21);
      expect(staleBlocks(text, blocks, FACTS, 'UTC')).toBeDefined();
      expect(withoutGeneratedContent(text).length).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('comparing and rewriting', () => {
  it('a block reads the same through a markdown formatter: aligned tables, blank lines around, trailing spaces', () => {
    const rendered = renderBlock('metrics', FACTS, 'UTC');
    const aligned = rendered
      .split('\n')
      .map((line) => (line.startsWith('|---') ? '| ------ | :---: | --- |' : `${line.replace(/ \| /g, '   |   ')}  `))
      .join('\n');
    expect(firstDifference(`\n${aligned}\n\n`, rendered)).toBeUndefined();
    expect(firstDifference(`${rendered}\n`, rendered)).toBeUndefined();
    expect(firstDifference(`\n${rendered.replace('| 3m |', '| 4m |')}\n`, rendered)).toBe(4);
    expect(firstDifference(`${rendered}\n| extra | row | here |\n`, rendered)).toBe(8);
    expect(firstDifference('', rendered)).toBe(1);
  });

  it('rewrites only the stale blocks, every other byte as it was; a rewritten file is up to date', () => {
    const impact = renderBlockWithMarkers('impact', FACTS, 'UTC');
    const text = `---\nstatus: draft\n---\r\nMine before.\r\n${impact.replace('(20m)', '(3m)').replace(/\n/g, '\r\n')}\r\nMine after.  \r\n<!-- inc:generated metrics -->\r\n${renderBlock('metrics', FACTS, 'UTC').replace(/\n/g, '\r\n')}\r\n<!-- inc:end metrics -->\r\ntail`;
    const { blocks } = findBlocks(text, 4);
    const stale = staleBlocks(text, blocks, FACTS, 'UTC');
    expect(stale.map((s) => [s.block.name, s.block.startLine, s.line])).toEqual([['impact', 5, 6]]);
    const rewritten = rewriteBlocks(text, stale.map((s) => s.block), FACTS, 'UTC');
    expect(rewritten).toBe(text.replace('(3m)', '(20m)'));
    expect(staleBlocks(rewritten, findBlocks(rewritten, 4).blocks, FACTS, 'UTC')).toEqual([]);
  });

  it('keeps any human text around the blocks byte for byte (random text, markers look-alikes included)', () => {
    const human = fc
      .array(fc.constantFrom('text', ' ', '\r', '\t', '<!--', '-->', 'inc:generated', 'inc:end ', '|', '---', '\u2028', 'é', '`'), { maxLength: 12 })
      .map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.array(human, { maxLength: 4 }), fc.array(human, { maxLength: 4 }), fc.array(human, { maxLength: 4 }), fc.constantFrom('', 'old content\n', '\n\n'), (before, between, after, old) => {
        // A line of human text that happens to be a marker is a marker: leave those out.
        const lines = (chunk: string[]) => chunk.filter((line) => !/^\s*<!--\s*inc:(generated|end)/.test(line)).map((line) => `${line}\n`).join('');
        const text = `${lines(before)}<!-- inc:generated timeline -->\n${old}<!-- inc:end timeline -->\n${lines(between)}<!-- inc:generated metrics -->\n<!-- inc:end metrics -->\n${lines(after)}`;
        const { blocks, problems } = findBlocks(text);
        expect(problems).toEqual([]);
        const rewritten = rewriteBlocks(text, blocks, FACTS, 'UTC');
        const strip = (t: string) => t.replace(/(<!-- inc:generated [a-z]+ -->\n)[\s\S]*?(?=<!-- inc:end )/g, '$1');
        expect(strip(rewritten)).toBe(strip(text));
        expect(staleBlocks(rewritten, findBlocks(rewritten).blocks, FACTS, 'UTC')).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('blanks generated content for the rules that read prose, keeping line numbers', () => {
    const text = `## Impact\n\n${renderBlockWithMarkers('impact', FACTS, 'UTC')}\n\nWhat people wrote.`;
    const blanked = withoutGeneratedContent(text);
    expect(blanked.split('\n')).toHaveLength(text.split('\n').length);
    expect(blanked).not.toContain('Impact window');
    expect(blanked).toContain('What people wrote.');
    expect(withoutGeneratedContent('<!-- inc:generated impact -->\nx')).toBe('<!-- inc:generated impact -->\nx');
  });
});
