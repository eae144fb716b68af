/**
 * The fast reader (simple-yaml.ts) may decline anything, but whatever it accepts it must read
 * exactly as the `yaml` package does (YAML 1.2, core schema): otherwise a file would mean one
 * thing to `inc list` and another to `inc ack`, which re-reads it with `yaml`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/repo.js';
import { readSimpleDocument, readSimpleMapping } from '../../src/domain/simple-yaml.js';
import { readYamlMapping } from '../../src/domain/yaml-document.js';

const RUNS = Number(process.env.INC_PROPERTY_RUNS ?? 3000);

/** Reads with `yaml` as the slow path would; undefined where `yaml` reports an error. */
function yamlReads(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: parse(text, { logLevel: 'silent' }) ?? {} };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** The value as JSON shows it: -0 and 0 are the same number to every reader of the file. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** How many inputs the fast reader accepted: a property that only ever sees declines proves nothing. */
const accepted = { count: 0 };

function expectAgreement(text: string): boolean {
  const fast = readSimpleMapping(text, 1);
  if (!fast) return true; // declining is always allowed
  accepted.count += 1;
  const full = yamlReads(text);
  if (!full.ok) throw new Error(`fast reader accepted text that yaml rejects (${full.error}):\n${JSON.stringify(text)}`);
  expect(plain(fast.data), JSON.stringify(text)).toEqual(plain(full.value));
  // And each key on the line the full reader gives it (the fast one finds lines by position in the text).
  expect(fast.keyLines, JSON.stringify(text)).toEqual(readYamlMapping(text, 'front matter', 1).keyLines);
  return true;
}

// Text that YAML finds interesting: indicators, quotes, escapes, keywords, numbers, unicode.
const TOKENS = [
  'a', 'b', 'key', 'title', 'x y', '_', '-', '--', '---', '...', ':', ': ', ' :', '#', ' #', '"', "'", '\\', '\\n', '\\u00e9',
  '\\L', '\\x41', '[', ']', '{', '}', ',', '&a', '*a', '!', '!!str', '|', '>', '%', '@', '`', '?', '~', 'null', 'Null',
  'NULL', 'true', 'True', 'FALSE', 'yes', 'no', 'on', 'off', 'y', 'n', '0', '1', '-1', '+1', '007', '0x1F', '0o17', '1e3',
  '1.5', '.5', '1.', '-0', '.inf', '.nan', 'NaN', '12345678901234567890', '2026-03-15', '2026-02-30T10:00:00Z',
  '2026-03-15 14:02', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u0000',
  '\u0001', '\u007f', '\u009b', 'é', 'ü', '日本', 'עברית', '😀', '\u200f', '<<', '=', '- ', '  - ', 'key: ', 'k-1: ',
  'list:\n', '\n- ', '\n  - ', '\n', '\n#c\n', '__proto__', 'constructor',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((parts) => parts.join(''));

/** A line that looks like what a person writes in front matter, made of risky tokens. */
const soupLine = fc.oneof(
  fc.tuple(fc.constantFrom('a', 'b', 'key', 'title', 'k-1', 'true', 'True', 'null', 'Null', '_x', 'on', 'y'), tokenSoup).map(
    ([key, value]) => `${key}: ${value}`,
  ),
  fc.tuple(fc.constantFrom('- ', '  - ', ' - ', '    - ', '-\t'), tokenSoup).map(([dash, value]) => `${dash}${value}`),
  fc.constantFrom('list:', 'tags:', 'a:', 'b:', '# comment', '', '  ', '  continued', '\tx'),
  tokenSoup,
);

describe('readSimpleMapping agrees with yaml wherever it accepts', () => {
  it('on yaml.stringify output of random flat mappings', () => {
    // Mostly what front matter holds, with enough exotic text that every branch is exercised.
    const scalar = fc.oneof(
      { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9 _.=?-]{0,20}$/), weight: 8 },
      { arbitrary: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('.000', '')), weight: 3 },
      { arbitrary: fc.integer(), weight: 2 },
      { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
      { arbitrary: fc.boolean(), weight: 1 },
      { arbitrary: fc.constant(null), weight: 1 },
      { arbitrary: fc.constantFrom(...TOKENS), weight: 1 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 1 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
      { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
    );
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
    const key = fc.oneof(
      { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/), weight: 12 },
      { arbitrary: fc.constantFrom('true', 'True', 'null', 'Null', 'NULL', 'FALSE', 'on'), weight: 1 },
    );
    const mapping = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });
    const style = fc.record({
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      flow: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, fc.constant(true)),
      lineWidth: fc.constantFrom(0, 20, 80),
    });
    accepted.count = 0;
    fc.assert(
      fc.property(mapping, style, (data, { defaultStringType, flow, lineWidth }) => {
        const text = stringify(data, { defaultStringType, defaultKeyType: 'PLAIN', lineWidth, collectionStyle: flow ? 'flow' : 'block', flowCollectionPadding: false } as never);
        return expectAgreement(text);
      }),
      { numRuns: RUNS },
    );
    console.log(`simple-yaml vs yaml, stringified mappings: ${RUNS} runs, ${accepted.count} read by the fast reader`);
    expect(accepted.count).toBeGreaterThan(RUNS / 5);
  });

  it('on random line soup', () => {
    accepted.count = 0;
    fc.assert(
      fc.property(fc.array(soupLine, { maxLength: 8 }), (lines) => expectAgreement(lines.join('\n'))),
      { numRuns: RUNS * 3 },
    );
    console.log(`simple-yaml vs yaml, line soup: ${RUNS * 3} runs, ${accepted.count} read by the fast reader`);
    expect(accepted.count).toBeGreaterThan(RUNS / 10);
  });

  it('on known traps (regression cases)', () => {
    const traps = [
      'True: 1',
      'null: 1',
      'a: 1\nTRUE: 2',
      'list:\n  - a\n - b',
      'list:\n- a\n  - b',
      'a: x\u0001y',
      'a: x\u007fy',
      'a: "x\u0085y"',
      'a: "x\u007fy"',
      'a: "\\ud800"',
      'a: x\u2028y',
      'a: x\ufeffy',
      'a:\n- "a"\n-  b',
      'a: -0',
      'a: x\u00a0',
      '\u00a0',
      'a: \r',
      'a: b\rc: d',
    ];
    for (const text of traps) expectAgreement(text);
  });
});

/** readSimpleDocument's agreement: what it accepts, `yaml` reads without error and to the same value. */
function expectDocumentAgreement(text: string): boolean {
  const fast = readSimpleDocument(text);
  if (!fast) return true;
  accepted.count += 1;
  const full = yamlReads(text);
  if (!full.ok) throw new Error(`fast reader accepted text that yaml rejects (${full.error}):\n${JSON.stringify(text)}`);
  expect(plain(fast), JSON.stringify(text)).toEqual(plain(full.value));
  return true;
}

describe('readSimpleDocument (nested mappings, as the severity matrix) agrees with yaml wherever it accepts', () => {
  it('on yaml.stringify output of random nested mappings', () => {
    const scalar = fc.oneof(
      { arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9 _.,%;=?-]{0,24}$/), weight: 8 },
      { arbitrary: fc.integer(), weight: 2 },
      { arbitrary: fc.boolean(), weight: 1 },
      { arbitrary: fc.constant(null), weight: 1 },
      { arbitrary: fc.constantFrom(...TOKENS), weight: 1 },
      { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    );
    const key = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), weight: 12 }, { arbitrary: fc.constantFrom('true', 'null', 'on', '1'), weight: 1 });
    const { tree } = fc.letrec((tie) => ({
      tree: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 3 }), tie('tree')), { minKeys: 1, maxKeys: 4 }),
    }));
    const style = fc.record({ indent: fc.constantFrom(2, 4), indentSeq: fc.boolean(), flow: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, fc.constant(true)) });
    accepted.count = 0;
    fc.assert(
      fc.property(tree, style, (data, { indent, indentSeq, flow }) => {
        const text = stringify(data, { indent, indentSeq, lineWidth: 0, defaultKeyType: 'PLAIN', collectionStyle: flow ? 'flow' : 'block', flowCollectionPadding: false } as never);
        return expectDocumentAgreement(text);
      }),
      { numRuns: RUNS },
    );
    console.log(`simple-yaml documents vs yaml, stringified: ${RUNS} runs, ${accepted.count} read by the fast reader`);
    expect(accepted.count).toBeGreaterThan(RUNS / 5);
  });

  it('on random nested documents with risky values, comments and shifted indentation', () => {
    const value = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9 _.,%;=?@`-]{0,24}$/), weight: 3 }, { arbitrary: tokenSoup, weight: 1 });
    const keyName = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,6}$/), weight: 8 }, { arbitrary: fc.constantFrom('a', 'true', 'null', '__proto__'), weight: 1 });
    const pad = (n: number) => ' '.repeat(n);
    /** The lines of a mapping at `indent`, nested `depth` more levels at most. */
    const mappingLines = (indent: number, depth: number): fc.Arbitrary<string[]> => {
      const entry = fc.oneof(
        fc.tuple(keyName, value).map(([k, v]) => [`${pad(indent)}${k}: ${v}`]),
        fc.tuple(keyName).map(([k]) => [`${pad(indent)}${k}:`]),
        fc.tuple(keyName, fc.array(value, { maxLength: 3 })).map(([k, items]) => [`${pad(indent)}${k}: [${items.join(', ')}]`]),
        fc.tuple(keyName, fc.constantFrom(0, 2), fc.array(value, { minLength: 1, maxLength: 3 })).map(([k, extra, items]) => [`${pad(indent)}${k}:`, ...items.map((i) => `${pad(indent + extra)}- ${i}`)]),
        ...(depth > 0 ? [fc.tuple(keyName, fc.constantFrom(1, 2, 4)).chain(([k, step]) => mappingLines(indent + step, depth - 1).map((lines) => [`${pad(indent)}${k}:`, ...lines]))] : []),
      );
      return fc.array(entry, { minLength: 1, maxLength: 4 }).map((entries) => entries.flat());
    };
    // Now and then a comment line, a blank one, or a line shifted by a space or a tab.
    const perturbed = fc.tuple(mappingLines(0, 2), fc.array(fc.tuple(fc.nat(), fc.constantFrom('# c', '   # c', '', ' ', '+1', '-1', 'tab')), { maxLength: 2 })).map(([lines, changes]) => {
      const out = [...lines];
      for (const [at, change] of changes) {
        const index = at % (out.length + 1);
        if (change === '+1') out[index] = ` ${out[index] ?? ''}`;
        else if (change === '-1') out[index] = (out[index] ?? '').replace(/^ /, '');
        else if (change === 'tab') out[index] = `\t${out[index] ?? ''}`;
        else out.splice(index, 0, change);
      }
      return out.join('\n');
    });
    accepted.count = 0;
    fc.assert(fc.property(perturbed, (text) => expectDocumentAgreement(text)), { numRuns: RUNS * 3 });
    console.log(`simple-yaml documents vs yaml, nested soup: ${RUNS * 3} runs, ${accepted.count} read by the fast reader`);
    expect(accepted.count).toBeGreaterThan(RUNS / 10);
  });

  it('on the matrix inc init writes, and known traps', () => {
    const matrix = readFileSync(join(ROOT, 'templates', 'incident-severity.yaml'), 'utf8');
    expect(readSimpleDocument(matrix)).toBeDefined();
    const traps = [
      matrix,
      'a:\n  b: 1\n c: 2',
      'a:\n  b: 1\n    c: 2',
      'a:\n  - x\n  b: 1',
      'a:\n    - x\n  b: 1',
      'a:\n- x\nb: 1',
      'a:\n  b:\n- x',
      'a:\n  b\n',
      'a:\n  continued text',
      'a:   # only a comment\nb: 1',
      'a:\n  # a comment\n  b: 1\n# another\nc:\n',
      '# only comments',
      '',
      'a: 1\n---\nb: 2',
      'a:\n  b: 1\n  b: 2',
      'a:\n  true: 1',
      'a: &x 1\nb: *x',
      'a: |\n  text',
      'a:\n  -\n  - x',
      'a: 5 minutes\nb: [5 minutes, x]',
    ];
    for (const text of traps) expectDocumentAgreement(text);
  });
});
