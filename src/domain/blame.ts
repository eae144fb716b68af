/**
 * Blaming language in a postmortem: every phrase on a line, each with why it works against a
 * blameless review. The built-in list is below (and in the README); a repository adds its own
 * phrases and silences built-in ones in .inc/config.yaml:
 *
 *     blameless:
 *       add: [cowboy deploy, went rogue]
 *       silence: [blame]
 *
 * Lines come from pull requests, so every search here is linear in the line: the patterns are
 * fixed words with bounded gaps, "X's fault" is found from its fixed part and the name read
 * backwards a bounded way, and a repository's phrases are matched as plain text, never as
 * regular expressions.
 */

export interface BlamePhrase {
  /** The phrase as the README lists it and as `silence:` names it. */
  name: string;
  pattern: RegExp;
  why: string;
}

export interface BlameFinding {
  /** The words found, as written. */
  phrase: string;
  why: string;
  /** Where on the line (0-based), so findings come in reading order. */
  index: number;
}

export interface BlameRules {
  /** Phrases a repository adds: matched as whole words, case aside. */
  add: string[];
  /** Built-in phrases (by name) or added ones a repository does not want flagged. */
  silence: string[];
}

const JUDGES = 'judges a person';

/** Every pattern is global (found from every position), with no unbounded repeat next to another. */
export const BLAME_PHRASES: readonly BlamePhrase[] = [
  { name: 'human error', pattern: /\bhuman errors?\b/gi, why: '"human error" ends the analysis where it should start' },
  { name: 'operator error', pattern: /\boperator errors?\b/gi, why: '"operator error" blames a person, not the system' },
  { name: 'user error', pattern: /\buser errors?\b/gi, why: '"user error" blames a person, not the system that let it happen' },
  { name: 'pilot error', pattern: /\bpilot errors?\b/gi, why: '"pilot error" blames a person, not the system' },
  {
    name: 'should have known',
    pattern: /\bshould(?: have|'ve|’ve| of)[ \t]{1,4}(?:known|noticed|realised|realized|caught|checked|double-checked|tested|seen|been more careful)\b/gi,
    why: 'hindsight about what a person "should have" done',
  },
  { name: "X's fault", pattern: /['’]s fault\b/gi, why: 'names a person as the fault' },
  { name: 'his/her/their fault', pattern: /\b(?:his|her|their|my|your) fault\b/gi, why: 'names a person as the fault' },
  { name: 'fault of', pattern: /\bfault of\b/gi, why: 'names someone as the fault' },
  { name: 'X forgot to', pattern: /\bforgot to\b/gi, why: 'names a person for what the system did not remind or check' },
  { name: 'careless', pattern: /\bcareless(?:ly|ness)?\b/gi, why: '"careless" judges a person' },
  { name: 'negligence', pattern: /\bnegligen(?:t|ce|tly)\b/gi, why: '"negligence" judges a person' },
  { name: 'incompetence', pattern: /\bincompeten(?:t|ce)\b/gi, why: '"incompetence" judges a person' },
  { name: 'sloppy, lazy, stupid, dumb, reckless', pattern: /\b(?:sloppy|lazy|stupid|dumb|reckless)\b/gi, why: JUDGES },
  { name: 'screwed up, messed up', pattern: /\b(?:screwed|messed) up\b/gi, why: JUDGES },
  { name: 'dropped the ball', pattern: /\bdropped the ball\b/gi, why: JUDGES },
  { name: 'not paying attention', pattern: /\b(?:not|wasn't|weren't|wasn’t|weren’t) paying attention\b/gi, why: JUDGES },
  { name: "didn't bother", pattern: /\b(?:didn't|did not|didn’t) bother\b/gi, why: JUDGES },
  { name: 'rookie mistake', pattern: /\b(?:rookie|stupid|silly|careless) mistakes?\b/gi, why: JUDGES },
  { name: 'blame', pattern: /\bblamed?\b/gi, why: 'assigns blame' },
];

/** Any built-in phrase: where this finds none, none of them is there (each is one of its alternatives). */
const ANY_BLAME_PHRASE = new RegExp(BLAME_PHRASES.map((phrase) => phrase.pattern.source).join('|'), 'i');

/**
 * Whether any line of a text may hold a phrase of blamingPhrases: where this says no, every
 * line gives none, and a postmortem (nearly every one) is answered by one search instead of
 * one per line. A phrase on a line is one in the whole text: no pattern reaches past a line
 * break, a line feed is no word character (as a line's start and end are not), and code spans
 * end on their line, so blanking them in the whole text blanks what each line would.
 */
export function mayHoldBlame(text: string, rules: BlameRules = NO_RULES): boolean {
  if (rules.add.length > 0) return true;
  return ANY_BLAME_PHRASE.test(withoutCodeSpans(text));
}

/** Code spans (`...`) as spaces of the same length, so positions still point into the text. */
function withoutCodeSpans(text: string): string {
  return text.includes('`') ? text.replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length)) : text;
}

/** Letters, digits, dots and hyphens of a name before "'s fault"; at most this many read back. */
const NAME_LIMIT = 40;
const isNameCharacter = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}.-]/u.test(c);

/** "Bob's fault": the name before the fixed part, read backwards at most NAME_LIMIT characters. */
function possessive(line: string, index: number): { start: number } | undefined {
  let start = index;
  while (start > 0 && index - start < NAME_LIMIT && isNameCharacter(line[start - 1])) start -= 1;
  while (start < index && !/\p{L}/u.test(line[start]!)) start += 1; // a name starts with a letter
  return start < index ? { start } : undefined;
}

/** The word before "forgot to", so the finding reads "Alice forgot to". */
function subjectBefore(line: string, index: number): number {
  let end = index;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t') && index - end < 4) end -= 1;
  let start = end;
  while (start > 0 && end - start < NAME_LIMIT && isNameCharacter(line[start - 1])) start -= 1;
  return start < end ? start : index;
}

const isWordCharacter = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** Whole-word, case-aside occurrences of a plain phrase: indexOf, never a regular expression. */
function plainOccurrences(lowerLine: string, phrase: string): number[] {
  const needle = phrase.trim().toLowerCase();
  if (needle === '') return [];
  const found: number[] = [];
  for (let at = lowerLine.indexOf(needle); at !== -1; at = lowerLine.indexOf(needle, at + needle.length)) {
    if (!isWordCharacter(lowerLine[at - 1]) && !isWordCharacter(lowerLine[at + needle.length])) found.push(at);
  }
  return found;
}

const NO_RULES: BlameRules = { add: [], silence: [] };

/**
 * Every blaming phrase on a line, in reading order; code spans (`...`) are not read. A phrase
 * a repository silences is left out, whether named as in the list ("X's fault") or as found.
 */
export function blamingPhrases(line: string, rules: BlameRules = NO_RULES): BlameFinding[] {
  const prose = withoutCodeSpans(line);
  // Nearly every line of a postmortem holds no phrase: one search for any of them answers
  // that, where one per phrase was a third of `inc check` on postmortems.
  if (rules.add.length === 0 && !ANY_BLAME_PHRASE.test(prose)) return [];
  const silenced = new Set(rules.silence.map((s) => s.trim().toLowerCase()));
  const findings: BlameFinding[] = [];
  for (const { name, pattern, why } of BLAME_PHRASES) {
    if (silenced.has(name.toLowerCase())) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(prose); m; m = pattern.exec(prose)) {
      let start = m.index;
      if (name === "X's fault") {
        const owner = possessive(prose, m.index);
        if (!owner) continue;
        start = owner.start;
      } else if (name === 'X forgot to') {
        start = subjectBefore(prose, m.index);
      }
      const phrase = prose.slice(start, m.index + m[0].length);
      if (!silenced.has(phrase.toLowerCase())) findings.push({ phrase, why, index: start });
    }
  }
  if (rules.add.length > 0) {
    const lower = prose.toLowerCase();
    for (const added of rules.add) {
      if (silenced.has(added.trim().toLowerCase())) continue;
      for (const at of plainOccurrences(lower, added)) {
        findings.push({ phrase: prose.slice(at, at + added.trim().length), why: 'a phrase this repository lists as blaming (.inc/config.yaml)', index: at });
      }
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}
