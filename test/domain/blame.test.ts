/** Blaming language: every phrase on a line, the broader list, a repository's own list, linear on hostile lines. */
import { describe, expect, it } from 'vitest';
import { BLAME_PHRASES, blamingPhrases } from '../../src/domain/blame.js';

const phrases = (line: string, rules?: { add: string[]; silence: string[] }) => blamingPhrases(line, rules).map((f) => f.phrase);

describe('blamingPhrases', () => {
  it('reports every phrase on a line, in reading order', () => {
    // A real line from a public incident report, and one with three phrases.
    expect(phrases('This was a user error, not a bug.')).toEqual(['user error']);
    expect(phrases("It was Bob's fault: he was careless and should have known.")).toEqual(["Bob's fault", 'careless', 'should have known']);
  });

  it('knows the broader list', () => {
    expect(phrases('Operator error again.')).toEqual(['Operator error']);
    expect(phrases('Alice forgot to renew the certificate.')).toEqual(['Alice forgot to']);
    expect(phrases("The on-call wasn't paying attention and didn't bother to check.")).toEqual(["wasn't paying attention", "didn't bother"]);
    expect(phrases('A rookie mistake; someone dropped the ball.')).toEqual(['rookie mistake', 'dropped the ball']);
    expect(phrases("We should've double-checked.")).toEqual(["should've double-checked"]);
  });

  it('leaves blameless text and code spans alone', () => {
    for (const line of ['This review is blameless.', 'The certificate expired because renewal was manual.', 'A fault in the load balancer.', 'Run `blame --human-error` to see.', 'Forgotten tokens were rotated.']) {
      expect(phrases(line)).toEqual([]);
    }
  });

  it('a repository adds phrases (whole words, case aside) and silences built-in ones by name or as written', () => {
    const rules = { add: ['cowboy deploy', 'went rogue'], silence: ['blame', "X's fault"] };
    expect(phrases('A Cowboy deploy went rogue; we blame nobody. It was Bob’s fault.', rules)).toEqual(['Cowboy deploy', 'went rogue']);
    expect(phrases('cowboy deployment', rules)).toEqual([]);
    expect(phrases('This was human error.', { add: [], silence: ['human error'] })).toEqual([]);
  });

  it('every built-in pattern is global, so a second occurrence on a line is found too', () => {
    for (const { pattern } of BLAME_PHRASES) expect(pattern.flags).toContain('g');
    expect(phrases('human error, and more human error')).toEqual(['human error', 'human error']);
  });

  // Lines from a pull request: each search is linear (fixed words, bounded gaps, names read
  // back at most 40 characters), so lines of 200,000 characters built against each are read.
  it('reads hostile lines built against each pattern', () => {
    const n = 200_000;
    const lines = [
      `${'a.'.repeat(n / 2)}'s fault`,
      `${"'s fault ".repeat(n / 9)}`,
      `should have${' '.repeat(n)}known`,
      '`'.repeat(n),
      `${'x'.repeat(n)} forgot to`,
      'blame '.repeat(n / 6),
    ];
    const counts = lines.map((line) => blamingPhrases(line, { add: ['a a'], silence: [] }).length);
    expect(counts).toEqual([1, 0, 0, 0, 1, Math.floor(n / 6)]);
  });
});
