/**
 * A CSV export with a header row, one incident per row: a pager's incident export (the
 * PagerDuty preset reads the column names of PagerDuty's incident fields) or any table whose
 * columns `--map field=column` names. Parsed with csv-parse (RFC 4180: quoted fields, commas and
 * line breaks inside quotes, a byte-order mark), never with a split on commas.
 *
 * Times carry their offset (2024-01-05T13:02:11Z, +01:00) or are read in the zone given with
 * --zone; a time without an offset and no zone stops the import rather than being guessed.
 */
import { parse } from 'csv-parse/sync';
import { FileError, UsageError } from '../domain/errors.js';
import { RESPONSE_MILESTONES, type Milestones } from '../domain/incident.js';
import { parseIsoLike, parseStoredTimestamp, toIsoUtc } from '../domain/time.js';
import { timelineTextProblem } from '../domain/timeline.js';
import { keepOrdered } from './order.js';
import { type ImportBatch, type ImportedIncident, oneLine, type Unread } from './types.js';

/** What a column can be mapped to. */
export const CSV_FIELDS = ['key', 'title', 'severity', 'service', 'url', 'started', 'detected', 'acknowledged', 'identified', 'mitigated', 'resolved', 'ack_seconds'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/**
 * PagerDuty's incident fields as its exports and its analytics name them (first match wins,
 * case and spacing aside): incident_number, title or description, created_at, resolved_at,
 * urgency, service_name, html_url, and seconds_to_first_ack for the acknowledgement.
 */
export const PAGERDUTY_COLUMNS: Partial<Record<CsvField, string[]>> = {
  key: ['incident_number', 'incident number', 'number', 'id', 'incident id'],
  title: ['title', 'description', 'summary', 'incident title'],
  detected: ['created_at', 'created on', 'created', 'triggered at', 'opened at'],
  resolved: ['resolved_at', 'resolved on', 'resolved'],
  acknowledged: ['acknowledged_at', 'acknowledged on', 'first ack at'],
  ack_seconds: ['seconds_to_first_ack', 'time to first ack (seconds)'],
  severity: ['urgency'],
  service: ['service_name', 'service name', 'service'],
  url: ['html_url', 'incident url', 'url', 'link'],
};

export const PRESETS: Record<string, Partial<Record<CsvField, string[]>>> = { pagerduty: PAGERDUTY_COLUMNS };

export interface CsvOptions {
  preset?: string;
  /** `field=column` pairs from --map. */
  map: string[];
  /** Zone of times without an offset; undefined: such a time is refused. */
  zone?: string;
  /** The source name for `imported:` (the preset, or csv). */
  source: string;
}

const normaliseHeader = (header: string) => header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** Which column index each field reads, from the preset's names and the --map pairs. */
export function columnsFor(header: string[], options: CsvOptions, file: string): Partial<Record<CsvField, number>> {
  const byName = new Map(header.map((h, i) => [normaliseHeader(h), i] as const).reverse());
  const columns: Partial<Record<CsvField, number>> = {};
  const preset = options.preset === undefined ? undefined : PRESETS[options.preset];
  if (options.preset !== undefined && !preset) throw new UsageError(`--preset ${options.preset}: no such preset`, `Presets: ${Object.keys(PRESETS).join(', ')}.`);
  for (const [field, names] of Object.entries(preset ?? {}) as [CsvField, string[]][]) {
    const found = names.map((n) => byName.get(normaliseHeader(n))).find((i) => i !== undefined);
    if (found !== undefined) columns[field] = found;
  }
  for (const pair of options.map.flatMap((m) => m.split(','))) {
    const m = /^\s*([a-z_]+)\s*=\s*(.+?)\s*$/.exec(pair);
    if (!m || !(CSV_FIELDS as readonly string[]).includes(m[1]!)) {
      throw new UsageError(`--map ${pair}: expected FIELD=COLUMN with FIELD one of ${CSV_FIELDS.join(', ')}`);
    }
    const index = byName.get(normaliseHeader(m[2]!));
    if (index === undefined) throw new UsageError(`--map ${pair}: ${file} has no column "${m[2]}"`, `Its columns: ${header.join(', ')}.`);
    columns[m[1] as CsvField] = index;
  }
  for (const required of ['title', 'detected'] as const) {
    if (columns[required] === undefined) {
      throw new UsageError(
        `${file}: no column for ${required}${options.preset ? ` (the ${options.preset} preset looks for ${(preset?.[required] ?? []).join(', ')})` : ''}`,
        `Name it with --map ${required}=COLUMN (columns: ${header.join(', ')}).`,
      );
    }
  }
  return columns;
}

/** A time cell: with its offset as written, else in the zone; undefined when it is no time. */
function readTime(cell: string, zone: string | undefined, where: string, column: string): number | undefined {
  const text = cell.trim();
  const withOffset = parseStoredTimestamp(text);
  if (withOffset !== undefined) return Math.floor(withOffset / 1000) * 1000;
  if (zone === undefined) {
    if (parseIsoLike(text, 'UTC') !== undefined) {
      throw new UsageError(`${where}: ${column} "${text}" has no offset, and no zone is given for it`, 'Give the zone of the export with --zone (UTC, Europe/Berlin, UTC+1).');
    }
    return undefined;
  }
  const local = parseIsoLike(text, zone);
  return local === undefined ? undefined : Math.floor(local / 1000) * 1000;
}

const MILESTONE_FIELDS = RESPONSE_MILESTONES;

export function parseCsvIncidents(text: string, file: string, options: CsvOptions): ImportBatch {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new FileError(file, line, `not CSV that inc can read: ${error instanceof Error ? error.message.replace(/^Invalid Record Length: /, '') : String(error)}`);
  }
  if (rows.length === 0) throw new FileError(file, 1, 'empty: expected a header row and one row per incident');
  const header = rows[0]!;
  const columns = columnsFor(header, options, file);
  const cell = (row: string[], field: CsvField) => (columns[field] === undefined ? '' : (row[columns[field]!] ?? '').trim());
  const unread: Unread[] = [];
  const incidents: ImportedIncident[] = [];
  rows.slice(1).forEach((row, index) => {
    const where = `${file} row ${index + 2}`;
    const title = oneLine(cell(row, 'title'));
    if (title === '' || timelineTextProblem(title)) {
      unread.push({ where, why: title === '' ? 'no title' : `the title cannot be used: ${timelineTextProblem(title)}` });
      return;
    }
    const milestones: Milestones = {};
    for (const milestone of MILESTONE_FIELDS) {
      const value = cell(row, milestone);
      if (value === '') continue;
      const at = readTime(value, options.zone, where, header[columns[milestone]!]!);
      if (at === undefined) unread.push({ where, why: `${milestone}: "${value.slice(0, 40)}" is not a time inc reads (ISO 8601)` });
      else milestones[milestone] = at;
    }
    const ackSeconds = cell(row, 'ack_seconds');
    if (milestones.acknowledged === undefined && milestones.detected !== undefined && /^\d+(?:\.\d+)?$/.test(ackSeconds)) {
      milestones.acknowledged = milestones.detected + Math.round(Number(ackSeconds)) * 1000;
    }
    if (milestones.detected === undefined) {
      unread.push({ where, why: 'no detection time: the row is left out' });
      return;
    }
    const keyCell = cell(row, 'key');
    const key = `${options.source}:${keyCell || `${toIsoUtc(milestones.detected)}/${title}`}`;
    const service = oneLine(cell(row, 'service'));
    const url = cell(row, 'url');
    const entries = MILESTONE_FIELDS.filter((m) => milestones[m] !== undefined).map((m) => ({
      at: milestones[m]!,
      text: `${m[0]!.toUpperCase()}${m.slice(1)} (from the ${options.source} export)`,
      kind: 'milestone',
    }));
    incidents.push({
      key,
      title,
      severityWord: cell(row, 'severity').toLowerCase() || null,
      services: service && !timelineTextProblem(service) ? [service] : [],
      milestones: keepOrdered(milestones, where, key, unread),
      entries,
      body: `\n# ${title}\n\n## Summary\n\nImported from ${file} (${options.source}${keyCell ? ` incident ${keyCell}` : ''})${/^https?:\/\//.test(url) ? `: ${url}` : ''}.\n`,
      fields: /^https?:\/\/\S+$/.test(url) ? { source_url: url } : {},
      where,
    });
  });
  return { source: options.source, by: `${options.source} export`, incidents, unread };
}
