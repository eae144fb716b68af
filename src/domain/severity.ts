/**
 * The severity matrix (incident-severity.yaml): the human columns of the classic SEV table
 * and the machine-readable keys inc acts on. Teams rename and add levels freely; the order
 * in the file is the order of severity, most severe first.
 */
import { FileError, UsageError } from './errors.js';

export interface SeverityLevel {
  name: string;
  /** Other names of this level (`aliases: [SEV1]`): incidents written under an old name still match. */
  aliases: string[];
  description: string;
  responseTime?: string;
  communication?: string;
  whoIsPaged?: string;
  examples: string[];
  /** Minutes between stakeholder updates; null when none are expected. */
  updateEveryMinutes: number | null;
  /** Minutes after detection without mitigation before escalating; null for never. */
  escalateAfterMinutes: number | null;
  /** Who to page when escalating. */
  escalateTo?: string;
  postmortemRequired: boolean;
  /** Business days after resolution by which the postmortem is due. */
  postmortemDueBusinessDays: number | null;
  /** What an open incident of this level does to its services on a status page; absent: not said. */
  serviceStatus?: ServiceStatus;
}

/**
 * A service's state on a status page, worst first, in Atlassian Statuspage's four levels
 * (major_outage, partial_outage, degraded_performance, operational) so that its widgets read them.
 */
export const SERVICE_STATUSES = ['down', 'partial', 'degraded', 'operational'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/**
 * The status a level gives its services: the matrix's `service_status`, else the most severe
 * level takes a service down and every other one degrades it.
 */
export function serviceStatusOf(matrix: SeverityMatrix, level: SeverityLevel | undefined): ServiceStatus {
  if (level?.serviceStatus) return level.serviceStatus;
  return level !== undefined && matrix.levels[0] === level ? 'down' : 'degraded';
}

export interface SeverityMatrix {
  file: string;
  levels: SeverityLevel[];
  /**
   * Values that could not be read (`update_every_minutes: fifteen`). The level's field then
   * throws this error when read, so the commands that need it stop with the file and line and
   * every other command works (and warns once).
   */
  problems: FileError[];
}

type LineOf = (path: (string | number)[]) => number;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function fail(file: string, line: number, message: string): never {
  throw new FileError(file, line, message, 'See the default with `inc init --print-matrix`, and docs/file-formats.md.');
}

function optionalString(value: unknown, file: string, line: number, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(file, line, `${key} must be text`);
}

/**
 * The largest values the matrix may hold: a month of minutes, a year of business days. Beyond
 * them a number is a mistake or an attack (`1e300` minutes is no date; `3e7` business days is
 * a loop of 30 million days), so each is refused with its line.
 */
export const MAX_MINUTES = 43_200;
export const MAX_BUSINESS_DAYS = 260;

function optionalMinutes(value: unknown, file: string, line: number, key: string, max = MAX_MINUTES, unit = 'minutes'): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return fail(file, line, `${key} must be a positive number of ${unit}, found ${JSON.stringify(value)}`);
  }
  if (value > max) return fail(file, line, `${key} is ${value}; inc accepts at most ${max} ${unit}`);
  return value;
}

/**
 * A field whose value is bad: reading it throws the error (with file and line) instead of
 * handing out a stand-in value that a command could act on silently. Not enumerable, so that
 * copying or printing the level does not trip over it.
 */
function poison(level: SeverityLevel, key: keyof SeverityLevel, error: FileError): void {
  Object.defineProperty(level, key, {
    enumerable: false,
    get: () => {
      throw error;
    },
  });
}

/** The error of a field whose value is bad (see poison), or undefined when it can be read. */
export function valueProblem(level: SeverityLevel, key: keyof SeverityLevel): FileError | undefined {
  try {
    void level[key];
    return undefined;
  } catch (error) {
    if (error instanceof FileError) return error;
    throw error;
  }
}

/** How each field is read: a bad value is recorded and the field poisoned instead of failing the matrix. */
type FieldReaders = { [K in keyof SeverityLevel]?: () => SeverityLevel[K] };

export function parseSeverityMatrix(data: unknown, file: string, lineOf: LineOf = () => 1): SeverityMatrix {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail(file, 1, 'expected a mapping with a "severities:" key');
  }
  const severities = (data as Record<string, unknown>).severities;
  if (typeof severities !== 'object' || severities === null || Array.isArray(severities)) {
    fail(file, lineOf(['severities']), '"severities" must be a mapping of level names (SEV1: ...) to their definitions');
  }
  const levels: SeverityLevel[] = [];
  const problems: FileError[] = [];
  for (const [name, raw] of Object.entries(severities as Record<string, unknown>)) {
    const line = lineOf(['severities', name]);
    if (!NAME.test(name)) fail(file, line, `severity name "${name}" must be a letter followed by letters, digits, - or _`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      fail(file, line, `severity ${name} must be a mapping with at least a description`);
    }
    const level = raw as Record<string, unknown>;
    const at = (key: string) => lineOf(['severities', name, key]);
    const required = () => {
      const value = level.postmortem_required ?? false;
      if (typeof value !== 'boolean') fail(file, at('postmortem_required'), `postmortem_required of ${name} must be true or false, found ${JSON.stringify(value)}`);
      return value;
    };
    const readers: FieldReaders = {
      description: () => {
        const description = optionalString(level.description, file, at('description'), 'description');
        if (!description) fail(file, line, `severity ${name} needs a description`);
        return description;
      },
      responseTime: () => optionalString(level.response_time, file, at('response_time'), 'response_time'),
      communication: () => optionalString(level.communication, file, at('communication'), 'communication'),
      whoIsPaged: () => optionalString(level.who_is_paged, file, at('who_is_paged'), 'who_is_paged'),
      examples: () => {
        const examples = level.examples ?? [];
        if (!Array.isArray(examples) || examples.some((e) => typeof e !== 'string')) fail(file, at('examples'), `examples of ${name} must be a list of texts`);
        return examples as string[];
      },
      updateEveryMinutes: () => optionalMinutes(level.update_every_minutes, file, at('update_every_minutes'), `update_every_minutes of ${name}`),
      escalateAfterMinutes: () => optionalMinutes(level.escalate_after_minutes, file, at('escalate_after_minutes'), `escalate_after_minutes of ${name}`),
      escalateTo: () => optionalString(level.escalate_to, file, at('escalate_to'), 'escalate_to'),
      serviceStatus: () => {
        const serviceStatus = level.service_status ?? undefined;
        if (serviceStatus !== undefined && !(SERVICE_STATUSES as readonly unknown[]).includes(serviceStatus)) {
          fail(file, at('service_status'), `service_status of ${name} must be one of ${SERVICE_STATUSES.join(', ')}, found ${JSON.stringify(serviceStatus)}`);
        }
        return serviceStatus as ServiceStatus | undefined;
      },
      postmortemRequired: required,
      postmortemDueBusinessDays: () => {
        const due = optionalMinutes(level.postmortem_due_business_days, file, at('postmortem_due_business_days'), `postmortem_due_business_days of ${name}`, MAX_BUSINESS_DAYS, 'business days');
        if (due !== null && !Number.isInteger(due)) fail(file, at('postmortem_due_business_days'), `postmortem_due_business_days of ${name} must be a whole number`);
        // Required without a due date: five business days, the classic default.
        let isRequired = false;
        try {
          isRequired = required();
        } catch {
          // reported with postmortem_required itself
        }
        return isRequired ? (due ?? 5) : due;
      },
    };
    const parsed = { name, aliases: aliasesOf(level.aliases, name, file, at('aliases')) } as SeverityLevel;
    for (const [key, read] of Object.entries(readers) as [keyof SeverityLevel, () => never][]) {
      try {
        (parsed as unknown as Record<string, unknown>)[key] = read();
      } catch (error) {
        if (!(error instanceof FileError)) throw error;
        problems.push(error);
        poison(parsed, key, error);
      }
    }
    levels.push(parsed);
  }
  if (levels.length === 0) fail(file, lineOf(['severities']), 'the matrix defines no severity levels');
  // A name or alias that two levels share would make a severity mean two things.
  const seen = new Map<string, string>();
  for (const level of levels) {
    for (const name of [level.name, ...level.aliases]) {
      const key = name.toLowerCase();
      const owner = seen.get(key);
      if (owner !== undefined) {
        const what = name === level.name ? `severity ${level.name} is defined twice (also as ${owner})` : `alias ${name} of ${level.name} is also ${owner === name ? 'a level' : `a name of ${owner}`}`;
        fail(file, lineOf(['severities', level.name, ...(name === level.name ? [] : ['aliases'])]), what);
      }
      seen.set(key, level.name);
    }
  }
  return { file, levels, problems };
}

function aliasesOf(value: unknown, level: string, file: string, line: number): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const alias of list) {
    if (typeof alias !== 'string' || !NAME.test(alias)) {
      fail(file, line, `aliases of ${level} must be a list of level names such as [SEV1] (letters, digits, - or _), found ${JSON.stringify(alias)}`);
    }
  }
  return list as string[];
}

function trailingNumber(name: string): string | undefined {
  return /(\d+)$/.exec(name)?.[1];
}

/** Finds a level by what a person typed or a file holds: `2`, `SEV2`, `sev2`, `P2`, or an alias. Undefined if none matches. */
export function findSeverity(matrix: SeverityMatrix, input: string): SeverityLevel | undefined {
  const text = input.trim().toLowerCase();
  const index = levelIndex(matrix);
  const exact = index.byName.get(text) ?? index.byAlias.get(text);
  if (exact) return exact;
  if (/^\d+$/.test(text)) {
    const matches = index.byNumber.get(Number(text));
    if (matches?.length === 1) return matches[0];
  }
  return undefined;
}

interface LevelIndex {
  byName: Map<string, SeverityLevel>;
  byAlias: Map<string, SeverityLevel>;
  byNumber: Map<number, SeverityLevel[]>;
  rank: Map<SeverityLevel, number>;
}

/**
 * Lookups of a matrix's levels, built once per matrix: a report asks for the level of every
 * row, and a matrix may hold thousands of levels (a linear search per row was quadratic).
 * The first level of a name or alias wins, as a search in order would find it.
 */
const levelIndexes = new WeakMap<SeverityMatrix, LevelIndex>();

function levelIndex(matrix: SeverityMatrix): LevelIndex {
  let index = levelIndexes.get(matrix);
  if (index) return index;
  index = { byName: new Map(), byAlias: new Map(), byNumber: new Map(), rank: new Map() };
  matrix.levels.forEach((level, rank) => {
    const name = level.name.toLowerCase();
    if (!index!.byName.has(name)) index!.byName.set(name, level);
    for (const alias of level.aliases) if (!index!.byAlias.has(alias.toLowerCase())) index!.byAlias.set(alias.toLowerCase(), level);
    const number = Number(trailingNumber(level.name));
    const same = index!.byNumber.get(number);
    if (same) same.push(level);
    else index!.byNumber.set(number, [level]);
    if (!index!.rank.has(level)) index!.rank.set(level, rank);
  });
  levelIndexes.set(matrix, index);
  return index;
}

export function severityNames(matrix: SeverityMatrix): string {
  return matrix.levels.map((l) => (l.aliases.length > 0 ? `${l.name} (also ${l.aliases.join(', ')})` : l.name)).join(', ');
}

/**
 * Why a severity written in an incident matches no level, and how to mend it: for `inc check`.
 * Undefined when it matches.
 */
export function unknownSeverityExplained(matrix: SeverityMatrix, severity: string): { problem: string; hint: string } | undefined {
  if (findSeverity(matrix, severity)) return undefined;
  const number = trailingNumber(severity.trim());
  const sameNumber = number === undefined ? undefined : matrix.levels.find((l) => Number(trailingNumber(l.name)) === Number(number));
  return {
    problem: `severity ${JSON.stringify(severity)} matches no level or alias of ${matrix.file} (levels: ${severityNames(matrix)})`,
    hint: sameNumber
      ? `If the levels were renamed, keep the old name as an alias: \`aliases: [${severity.trim()}]\` under ${sameNumber.name}; or set this incident's severity to a level.`
      : `Set the incident's severity to one of the levels, or add ${JSON.stringify(severity.trim())} to the aliases of the level it now is (\`aliases: [${severity.trim()}]\`).`,
  };
}

/** Like findSeverity, but a miss is a usage error that lists the valid levels. */
export function resolveSeverity(matrix: SeverityMatrix, input: string, flag = '--sev'): SeverityLevel {
  const level = findSeverity(matrix, input);
  if (!level) {
    throw new UsageError(
      `${flag} ${input}: no such severity in ${matrix.file}`,
      `Valid severities: ${severityNames(matrix)} (a number such as 2 picks the level ending in 2).`,
    );
  }
  return level;
}

/** Position in the matrix, 0 = most severe; used to sort and colour. */
export function severityRank(matrix: SeverityMatrix, name: string): number {
  const level = findSeverity(matrix, name);
  return level === undefined ? matrix.levels.length : levelIndex(matrix).rank.get(level)!;
}
