/**
 * The flags of inc stats, read into what the report and the comparison need: the output
 * format, and the filter of one selection (dates checked in the configured zone).
 */
import { UsageError } from '../domain/errors.js';
import { resolveSeverity, type SeverityMatrix } from '../domain/severity.js';
import type { StatsFilter } from '../domain/stats.js';
import { startOfDateInZone } from '../domain/time.js';

export const STATS_FORMATS = ['table', 'json', 'csv', 'markdown', 'prometheus'] as const;
export type StatsFormat = (typeof STATS_FORMATS)[number];

export interface StatsFlags {
  /** Each given once, or twice with --compare (one pair per period). */
  since?: string[];
  until?: string[];
  /** Two periods, or true where they come as two --since/--until pairs. */
  compare?: string[] | boolean;
  sev?: string;
  service?: string;
  includeDrills?: boolean;
  format?: StatsFormat;
  json?: boolean;
  explain?: boolean;
}

export function chosenFormat(flags: StatsFlags): StatsFormat {
  if (flags.json && flags.format !== undefined && flags.format !== 'json') {
    throw new UsageError(`--json and --format ${flags.format} ask for different outputs`, 'Pass one of them (--json is --format json).');
  }
  return flags.json ? 'json' : (flags.format ?? 'table');
}

export function dateFlag(value: string | undefined, flag: string, zone: string): string | null {
  if (value === undefined) return null;
  const date = value.trim();
  if (startOfDateInZone(date, zone) === undefined) {
    throw new UsageError(`${flag} "${value}" is not a calendar date`, `Use YYYY-MM-DD, such as ${flag} 2026-03-01 (a date in ${zone}, included).`);
  }
  return date;
}

/** The filter of one selection: --since and --until as single dates. */
export function filterFromFlags(flags: Omit<StatsFlags, 'since' | 'until'> & { since?: string; until?: string }, matrix: SeverityMatrix, zone: string): StatsFilter {
  const since = dateFlag(flags.since, '--since', zone);
  const until = dateFlag(flags.until, '--until', zone);
  if (since !== null && until !== null && since > until) {
    throw new UsageError(`--since ${since} is after --until ${until}`, 'Both dates are included: --since 2026-03-01 --until 2026-03-31 is March.');
  }
  const service = flags.service?.trim();
  if (flags.service !== undefined && !service) throw new UsageError('--service needs a service name, such as --service payment-service');
  return {
    since,
    until,
    severity: flags.sev === undefined ? null : resolveSeverity(matrix, flags.sev).name,
    service: service ?? null,
    includeDrills: Boolean(flags.includeDrills),
  };
}

