/**
 * GitHub Actions job summaries (the markdown appended to $GITHUB_STEP_SUMMARY): what
 * `inc check --summary` and `inc actions --summary` write. Pure: domain values in, markdown
 * out. Every text comes from files of a pull request, so none may become markup: table
 * cells are escaped, inline text has markdown and HTML characters escaped, and Mermaid
 * labels keep only what its timeline grammar reads as plain text.
 */
import { RULES, type Finding } from '../domain/check.js';
import type { Incident } from '../domain/incident.js';
import { FIGURES, type IncidentMetrics } from '../domain/metrics.js';
import { markdownCell } from '../domain/postmortem.js';
import { dateInZone, formatDuration, formatInZone, zoneLabel } from '../domain/time.js';
import type { TimelineEntry } from '../domain/timeline.js';
import { plural } from '../domain/words.js';

/** Text outside a table: markdown and HTML characters escaped, one line. */
export function inlineText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]()<>#|~&]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cell(text: string): string {
  return markdownCell(text, { lineBreak: ' ' }).replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => line(row.map(cell)))].join('\n');
}

/**
 * A label for Mermaid's timeline: no `:` followed by a space (it starts the next event), no
 * `#` (a comment or an entity), no `%`, brackets, quotes or backslashes, one line, short.
 */
export function mermaidText(text: string, max = 80): string {
  const plain = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/:(?=\s|$)/g, ' -')
    .replace(/[#%;`"'\\<>{}[\]()|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain || '-';
}

/** A time for a Mermaid period: `14∶05` (U+2236), since a `:` would end the period. */
function mermaidTime(at: number, zone: string, withDate: boolean): string {
  const full = formatInZone(at, zone);
  return (withDate ? full : full.slice(11)).replace(/:/g, '\u2236');
}

/** The incident's timeline as a Mermaid `timeline` diagram (GitHub renders it in summaries). */
export function mermaidTimeline(title: string, entries: TimelineEntry[], zone: string, maxEntries = 40): string {
  const withDate = new Set(entries.map((e) => dateInZone(e.at, zone))).size > 1;
  const shown = entries.slice(0, maxEntries);
  const lines = ['```mermaid', 'timeline', `    title ${mermaidText(title)}, ${mermaidText(zoneLabel(zone))}`];
  for (const entry of shown) lines.push(`    ${mermaidTime(entry.at, zone, withDate)} : ${mermaidText(entry.text)}`);
  if (entries.length > shown.length) lines.push(`    … : ${entries.length - shown.length} more entries`);
  lines.push('```');
  return lines.join('\n');
}

/** A figure for people, in the form show and stats use (`17m`, `1h 31m`); `-` where unknown. */
function duration(value: number | null): string {
  return value === null ? '-' : formatDuration(value);
}

export interface SummaryIncident {
  incident: Incident;
  entries: TimelineEntry[];
  metrics: IncidentMetrics;
}

export interface CheckSummaryInput {
  files: number;
  findings: Finding[];
  incidents: SummaryIncident[];
  /** Incidents named by the check whose incident.md could not be read (their findings say why). */
  unreadable: string[];
  zone: string;
}

function findingsByFile(findings: Finding[]): string[] {
  const files = [...new Set(findings.map((f) => f.file))];
  return files.flatMap((file) => {
    const mine = findings.filter((f) => f.file === file);
    const errors = mine.filter((f) => f.level === 'error').length;
    return [
      `#### \`${file.replace(/`/g, "'")}\`: ${plural(errors, 'error')}, ${plural(mine.length - errors, 'warning')}`,
      '',
      table(
        ['Line', 'Level', 'Rule', 'Message'],
        mine.map((f) => [String(f.line), f.level, RULES[f.rule], f.message]),
      ),
      '',
    ];
  });
}

function incidentSection({ incident, entries, metrics }: SummaryIncident, zone: string): string[] {
  const facts = [incident.severity, incident.status, ...(incident.drill ? ['drill'] : []), ...incident.services].map(inlineText).join(' · ');
  return [
    `### ${inlineText(incident.id)}: ${inlineText(incident.title)}`,
    '',
    facts,
    '',
    table(
      FIGURES.map((figure) => (figure === 'impact' ? 'Impact' : figure.toUpperCase())),
      [FIGURES.map((figure) => duration(metrics[figure]))],
    ),
    '',
    entries.length > 0 ? mermaidTimeline(incident.title, entries, zone) : '_The timeline is empty._',
    '',
  ];
}

export function checkSummary(input: CheckSummaryInput): string {
  const errors = input.findings.filter((f) => f.level === 'error').length;
  const warnings = input.findings.length - errors;
  const verdict =
    input.findings.length === 0
      ? `No problems in ${plural(input.files, 'file')} checked.`
      : `**${plural(errors, 'error')}, ${plural(warnings, 'warning')}** in ${plural(input.files, 'file')} checked.`;
  const lines = ['## inc check', '', verdict, ''];
  if (input.findings.length > 0) lines.push('### Findings by file', '', ...findingsByFile(input.findings));
  if (input.incidents.length > 0 || input.unreadable.length > 0) {
    lines.push(`## ${plural(input.incidents.length + input.unreadable.length, 'incident')} in this change`, '');
    for (const incident of input.incidents) lines.push(...incidentSection(incident, input.zone));
    for (const id of input.unreadable) lines.push(`### ${inlineText(id)}`, '', 'Its incident.md could not be read: see the findings above.', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export interface ActionSummaryRow {
  incident: string;
  action: string;
  owner: string | null;
  due: string | null;
  ticket: string | null;
  status: string;
  overdue: boolean;
}

export function actionsSummary(rows: ActionSummaryRow[], heading: string, today: string, zone: string): string {
  const lines = [`## ${inlineText(heading)}`, ''];
  if (rows.length === 0) {
    lines.push(`None (today is ${today} ${zoneLabel(zone)}).`);
  } else {
    const overdue = rows.filter((row) => row.overdue).length;
    lines.push(`**${plural(rows.length, 'action item')}**, ${overdue} overdue (today is ${today} ${zoneLabel(zone)}).`, '');
    lines.push(
      table(
        ['Incident', 'Action', 'Owner', 'Due', 'Ticket', 'Status'],
        rows.map((row) => [row.incident, row.action, row.owner ?? '-', row.due === null ? '-' : row.overdue ? `${row.due} (overdue)` : row.due, row.ticket ?? '-', row.status]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
