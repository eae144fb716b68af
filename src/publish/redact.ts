/**
 * What a public site may show. An incident is public when its front matter says
 * `public: true`, or when the config's rule (severities, services) takes it in and it does not
 * say `public: false`; drills never are. Every text of a public incident goes through the
 * redactor: the names of everyone who appears in any incident file (roles, who logged a row,
 * postmortem authors and reviewers, action-item owners, with each part of a name), ticket keys
 * (from action-item tables and the configured prefixes) and the configured terms become
 * "[redacted]". Sections and table columns the config lists are dropped from markdown.
 *
 * Linear time on hostile text: the patterns are alternations of escaped literals.
 */
import { codeFenceTracker } from '../domain/postmortem.js';
import type { Incident } from '../domain/incident.js';
import { findSeverity, type SeverityMatrix } from '../domain/severity.js';
import type { PublicRule, Redaction } from './config.js';

export const REDACTED = '[redacted]';

export function isPublic(incident: Incident, rule: PublicRule, matrix: SeverityMatrix): boolean {
  if (incident.drill) return false;
  const flag = incident.extra.public;
  if (flag === true || flag === 'true') return true;
  if (flag === false || flag === 'false') return false;
  if (rule.severities.length === 0 && rule.services.length === 0) return false;
  const severity = findSeverity(matrix, incident.severity)?.name ?? incident.severity;
  const bySeverity = rule.severities.length === 0 || rule.severities.some((name) => findSeverity(matrix, name)?.name === severity || name === severity);
  const byService = rule.services.length === 0 || incident.services.some((service) => rule.services.includes(service));
  return bySeverity && byService;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Names as people write them: the whole name, and each part of three letters or more. */
function nameForms(name: string): string[] {
  const whole = name.trim();
  if (whole === '') return [];
  const parts = whole.split(/\s+/).filter((part) => part.length >= 3);
  return [whole, ...parts];
}

export interface Redactor {
  text(value: string): string;
}

/**
 * Builds the redactor from every name and ticket found in the files (`people`, `tickets`) and
 * the config. Longer forms are tried first, so "Alice Martin" goes as one.
 */
export function makeRedactor(people: Iterable<string>, tickets: Iterable<string>, redaction: Redaction): Redactor {
  const words = new Set<string>();
  for (const person of people) for (const form of nameForms(person)) words.add(form);
  for (const ticket of tickets) if (ticket.trim() !== '') words.add(ticket.trim());
  const phrases = new Set<string>();
  for (const term of redaction.terms) phrases.add(term);
  const sorted = (set: Set<string>) => [...set].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const patterns: RegExp[] = [];
  // Whole words only for names and tickets ("Al" must not eat "Alert"); terms match anywhere.
  if (words.size > 0) patterns.push(new RegExp(`(?<![\\p{L}\\p{N}_])(?:${sorted(words).join('|')})(?![\\p{L}\\p{N}_])`, 'gu'));
  if (phrases.size > 0) patterns.push(new RegExp(sorted(phrases).join('|'), 'giu'));
  if (redaction.ticketPrefixes.length > 0) {
    patterns.push(new RegExp(`(?<![\\p{L}\\p{N}_])(?:${redaction.ticketPrefixes.map(escapeRegExp).join('|')})-?\\d+`, 'giu'));
  }
  return {
    text(value: string): string {
      let result = value;
      for (const pattern of patterns) result = result.replace(pattern, REDACTED);
      return result;
    },
  };
}

/** HTML comments are notes to the writer (template prompts): never published. */
export function withoutComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
}

/**
 * Drops the sections whose heading is in `sections` (case aside), each with everything up to
 * the next heading of the same or a higher level. Fenced code is not read for headings.
 */
export function withoutSections(markdown: string, sections: string[]): string {
  if (sections.length === 0) return markdown;
  const wanted = new Set(sections.map((s) => s.trim().toLowerCase()));
  const inFence = codeFenceTracker();
  const kept: string[] = [];
  let droppingLevel = 0;
  for (const line of markdown.split('\n')) {
    const fenced = inFence(line);
    const heading = fenced ? null : /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      if (droppingLevel > 0 && level <= droppingLevel) droppingLevel = 0;
      if (droppingLevel === 0 && wanted.has(heading[2]!.trim().toLowerCase())) droppingLevel = level;
    }
    if (droppingLevel === 0) kept.push(line);
  }
  return kept.join('\n');
}
