/**
 * What every importer produces: incidents as domain values (milestones in epoch ms, timeline
 * entries, a markdown body), each with the key that identifies it in its source so that a
 * second import of the same file creates nothing new, and the list of what could not be read.
 * Importers are pure: a text in, this out; the command decides severities and writes.
 */
import type { Milestones } from '../domain/incident.js';

export interface ImportedEntry {
  /** Epoch milliseconds. */
  at: number;
  text: string;
  kind: string | null;
}

export interface ImportedIncident {
  /** Identity in the source (`statuspage:<page>/<incident>`): stored as import_key. */
  key: string;
  title: string;
  /** The source's own severity word (Statuspage impact, PagerDuty urgency), mapped by the command. */
  severityWord: string | null;
  services: string[];
  milestones: Milestones;
  entries: ImportedEntry[];
  /** Markdown body of incident.md. */
  body: string;
  /** Extra front-matter fields: source_url, postmortem_url. */
  fields: Record<string, string>;
  /** Where in the source, for messages: `file:line` or `file#id`. */
  where: string;
}

export interface Unread {
  /** `file:line`, `file#id` or `file row N`. */
  where: string;
  why: string;
  /** The import_key of the incident this is about, so a re-import does not repeat it. */
  key?: string;
}

export interface ImportBatch {
  /** The `imported:` value: statuspage, report, pagerduty, csv. */
  source: string;
  /** Who the timeline shows as having logged the entries: the page, the report, the tool. */
  by: string;
  incidents: ImportedIncident[];
  unread: Unread[];
}

/** A text on one line with single spaces: what a title or a timeline entry holds. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The text without the given characters at its end. A loop, not /[...]+$/: that pattern tries
 * every start inside a long run of those characters, quadratic on a hostile line.
 */
export function trimEndOf(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}
