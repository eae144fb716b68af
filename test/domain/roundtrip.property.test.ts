/**
 * Whatever a responder types — YAML syntax, markdown, pipes, quotes, shell syntax, newlines,
 * emoji, right-to-left text, U+2028 — is either refused with a reason or written so that it
 * reads back exactly: by inc's fast reader, by the full `yaml` reader, and by a YAML 1.1
 * reader (js-yaml 3, which takes yes/no/on/off as booleans) as other tools would read it.
 */
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/commands/shared.js';
import { UsageError } from '../../src/domain/errors.js';
import { parseFrontMatter, splitFrontMatter } from '../../src/domain/frontmatter.js';
import { type Incident, incidentFields, incidentFromFrontMatter, NO_HISTORY } from '../../src/domain/incident.js';
import { appendTimelineRows, parseTimeline, renderTimelineHeader, type TimelineEntry } from '../../src/domain/timeline.js';
import { readYamlMapping, renderFrontMatter, updateFrontMatter } from '../../src/domain/yaml-document.js';

const RUNS = Number(process.env.INC_PROPERTY_RUNS ?? 2000);

/** Pieces that break naive writers: YAML, markdown and shell syntax, escapes, odd Unicode. */
const NASTY = [
  '|', '\\|', '\\', '\\\\', '\\n', '\n', '\r\n', '\r', '\t', '"', "'", '`', '$(rm -rf /)', '${HOME}', '; ls', '&&', '>',
  '<!--', '-->', '---', '...', '# ', '## ', '* ', '- ', '1. ', '> ', '[x](javascript:alert(1))', '<script>', '**', '_',
  ': ', ' #', '{', '}', '[', ']', '&a', '*a', '!!python/object', '%YAML', '@', '?', 'yes', 'no', 'on', 'off', 'y', 'n',
  'true', 'null', '~', '0x1F', '1e3', '2026-03-15', '2026-03-15T14:02:00Z', '.inf', '😀', '👩‍👩‍👧', '🇺🇦', 'עברית', 'مرحبا',
  '\u200f', '\u202e', '\u2028', '\u2029', '\u0085', '\u00a0', '\u3000', '\ufeff', '\ufffe', '\uffff', '\u0000', '\u0007',
  '\u001b[31m', '\u007f', '\ud83d', '\ude00', 'é', 'e\u0301', '日本語', ' ', '  ',
];

const text = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 10 }).map((p) => p.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ minLength: 1, maxLength: 40 }),
);

/** What cleanText makes of a typed text, or the reason it refuses it. */
function clean(raw: string, what: string): { ok: true; value: string } | { ok: false; reason: string } {
  try {
    return { ok: true, value: cleanText(raw, what) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { ok: false, reason: error.message };
  }
}

/** `inc open` keeps a title on one line. */
const storedTitle = (value: string) => value.replace(/\s*\n\s*/g, ' ');

const AT = Date.UTC(2026, 2, 15, 14, 2, 0);

const counts = { stored: 0, refused: 0 };

/** What a file holds after it went to disk as UTF-8 and was read back. */
const throughDisk = (content: string) => Buffer.from(content, 'utf8').toString('utf8');

describe('timeline texts round-trip exactly or are refused with a reason', () => {
  it('through appendTimelineRows and parseTimeline', () => {
    counts.stored = 0;
    counts.refused = 0;
    fc.assert(
      fc.property(text, text, fc.option(text), fc.integer({ min: 0, max: 86_400 }), (rawText, rawAuthor, rawKind, offset) => {
        const cleaned = clean(rawText, 'entry text');
        const author = clean(rawAuthor, 'author');
        const kind = rawKind === null ? { ok: true as const, value: null } : clean(rawKind, 'kind');
        if (!cleaned.ok || !author.ok || !kind.ok) {
          counts.refused += 1;
          for (const result of [cleaned, author, kind]) if (!result.ok) expect(result.reason).toMatch(/cannot be used: .+/);
          return;
        }
        counts.stored += 1;
        const at = AT + offset * 1000;
        const entries: TimelineEntry[] = [
          { at, text: cleaned.value, author: author.value, kind: kind.value === null ? null : kind.value.toLowerCase() },
          { at: AT, text: 'earlier entry', author: 'Bob', kind: null },
        ];
        const file = throughDisk(appendTimelineRows(renderTimelineHeader('2026-03-15-x'), entries));
        // One entry stays one line: a union merge of two clones' appends depends on it.
        expect(file.split('\n').filter((line) => line.startsWith('| 20'))).toHaveLength(2);
        const parsed = parseTimeline(file, 'timeline.md');
        expect(parsed.problems).toEqual([]);
        expect(parsed.entries.map(({ line: _line, ...entry }) => entry)).toEqual(offset === 0 ? entries : [entries[1], entries[0]]);
      }),
      { numRuns: RUNS },
    );
    console.log(`timeline round trip: ${RUNS} runs, ${counts.stored} stored and read back, ${counts.refused} refused with a reason`);
    expect(counts.stored).toBeGreaterThan(RUNS / 4);
  });

  it('refuses control characters and unpaired surrogates, naming the character', () => {
    expect(clean('a\u0007b', 'entry text')).toEqual({ ok: false, reason: expect.stringContaining('U+0007') });
    expect(clean('a\u0000', 'entry text')).toEqual({ ok: false, reason: expect.stringContaining('U+0000') });
    expect(clean('half \ud83d of an emoji', 'entry text')).toEqual({ ok: false, reason: expect.stringContaining('surrogate') });
    expect(clean('   ', 'entry text')).toEqual({ ok: false, reason: expect.stringContaining('empty') });
    expect(clean('whole 😀 emoji', 'entry text')).toEqual({ ok: true, value: 'whole 😀 emoji' });
  });
});

function incidentWith(title: string, others: string[]): Incident {
  return {
    id: '2026-03-15-x',
    title,
    severity: 'SEV2',
    status: 'investigating',
    drill: false,
    services: others.slice(0, 2),
    commander: others[2] ?? null,
    communications: null,
    smes: [],
    milestones: { detected: AT },
    ...NO_HISTORY,
    tags: others.slice(3),
    extra: {},
  };
}

/** The YAML between the `---` lines, as another tool would hand it to its YAML library. */
function frontMatterYaml(file: string): string {
  return splitFrontMatter(file, 'incident.md').yaml;
}

describe('titles and other front-matter texts round-trip exactly through every reader', () => {
  it('renderFrontMatter, then the fast reader, yaml, and js-yaml 3 (YAML 1.1) read the same values', () => {
    let fastPath = 0;
    let stored = 0;
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 5 }), (rawTitle, rawOthers) => {
        const title = clean(rawTitle, 'title');
        const others = rawOthers.map((o) => clean(o, 'name'));
        if (!title.ok || others.some((o) => !o.ok)) return;
        stored += 1;
        const incident = incidentWith(storedTitle(title.value), others.map((o) => (o as { value: string }).value));
        const fields = incidentFields(incident);
        const file = throughDisk(renderFrontMatter(fields, '\n# body\n'));

        if (parseFrontMatter(file, 'incident.md')) fastPath += 1;
        const read = parseFrontMatter(file, 'incident.md', readYamlMapping)!;
        expect(incidentFromFrontMatter(read, 'incident.md')).toEqual(incident);
        expect({ ...read.data }).toEqual(fields);

        const yaml = frontMatterYaml(file);
        expect(parse(yaml)).toEqual(fields);
        expect(jsYaml.safeLoad(yaml)).toEqual(fields);
        expect(jsYaml.safeLoad(yaml, { schema: jsYaml.JSON_SCHEMA })).toEqual(fields);
      }),
      { numRuns: RUNS },
    );
    console.log(`front matter round trip: ${RUNS} runs, ${stored} stored, ${fastPath} of them read by the fast reader`);
    expect(stored).toBeGreaterThan(RUNS / 4);
    expect(fastPath).toBeGreaterThan(0);
  });

  it('updateFrontMatter keeps a hand-written comment and every other value exactly', () => {
    fc.assert(
      fc.property(text, text, (rawTitle, rawNote) => {
        const title = clean(rawTitle, 'title');
        const note = clean(rawNote, 'note');
        if (!title.ok || !note.ok) return;
        const incident = incidentWith(storedTitle(title.value), []);
        const original = renderFrontMatter(incidentFields(incident), '\nbody\n').replace('severity:', '# chosen by the IC\nseverity:');
        const updated = throughDisk(updateFrontMatter(original, 'incident.md', { acknowledged_at: '2026-03-15T14:06:00Z', note: note.value }));
        expect(updated).toContain('# chosen by the IC\nseverity:');
        const read = parseFrontMatter(updated, 'incident.md', readYamlMapping)!;
        expect(read.data.title).toBe(incident.title);
        expect(read.data.note).toBe(note.value);
        expect(jsYaml.safeLoad(frontMatterYaml(updated))).toEqual({ ...read.data });
        expect(read.body).toBe('\nbody\n');
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('YAML 1.1 keywords stay strings: yes, no, on, off, y, n, ~, dates', () => {
    for (const word of ['yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'NO', '~', 'null', '2026-03-15', '0x1F', '1e3', '12:30', '010']) {
      const fields = incidentFields(incidentWith(word, [word, word, word, word]));
      const yaml = frontMatterYaml(renderFrontMatter(fields, ''));
      expect(jsYaml.safeLoad(yaml)).toEqual(fields);
      expect(parse(yaml)).toEqual(fields);
    }
  });
});
