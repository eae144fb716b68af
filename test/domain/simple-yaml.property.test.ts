/**
 * The fast reader (simple-yaml.ts) may decline anything, but whatever it accepts it must read
 * exactly as the `yaml` package does (YAML 1.2, core schema): otherwise a file would mean one
 * thing to `inc list` and another to `inc ack`, which re-reads it with `yaml`.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readSimpleMapping } from '../../src/domain/simple-yaml.js';

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
  const fast = readSimpleMapping(text);
  if (!fast) return true; // declining is always allowed
  accepted.count += 1;
  const full = yamlReads(text);
  if (!full.ok) throw new Error(`fast reader accepted text that yaml rejects (${full.error}):\n${JSON.stringify(text)}`);
  expect(plain(fast.data), JSON.stringify(text)).toEqual(plain(full.value));
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
