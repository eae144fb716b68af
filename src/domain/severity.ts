/**
 * The severity matrix (incident-severity.yaml): the human columns of the classic SEV table
 * and the machine-readable keys inc acts on. Teams rename and add levels freely; the order
 * in the file is the order of severity, most severe first.
 */
import { FileError, UsageError } from './errors.js';

export interface SeverityLevel {
  name: string;
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
}

type LineOf = (path: (string | number)[]) => number;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function fail(file: string, line: number, message: string): never {
  throw new FileError(file, line, message, 'See the default with `inc init --print-matrix`, or SPEC.md.');
}

function optionalString(value: unknown, file: string, line: number, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(file, line, `${key} must be text`);
}

function optionalMinutes(value: unknown, file: string, line: number, key: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return fail(file, line, `${key} must be a positive number of minutes, found ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseSeverityMatrix(data: unknown, file: string, lineOf: LineOf = () => 1): SeverityMatrix {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail(file, 1, 'expected a mapping with a "severities:" key');
  }
  const severities = (data as Record<string, unknown>).severities;
  if (typeof severities !== 'object' || severities === null || Array.isArray(severities)) {
    fail(file, lineOf(['severities']), '"severities" must be a mapping of level names (SEV1: ...) to their definitions');
  }
  const levels: SeverityLevel[] = [];
  for (const [name, raw] of Object.entries(severities as Record<string, unknown>)) {
    const line = lineOf(['severities', name]);
    if (!NAME.test(name)) fail(file, line, `severity name "${name}" must be a letter followed by letters, digits, - or _`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      fail(file, line, `severity ${name} must be a mapping with at least a description`);
    }
    const level = raw as Record<string, unknown>;
    const at = (key: string) => lineOf(['severities', name, key]);
    const description = optionalString(level.description, file, at('description'), 'description');
    if (!description) fail(file, line, `severity ${name} needs a description`);
    const examples = level.examples ?? [];
    if (!Array.isArray(examples) || examples.some((e) => typeof e !== 'string')) {
      fail(file, at('examples'), `examples of ${name} must be a list of texts`);
    }
    const required = level.postmortem_required ?? false;
    if (typeof required !== 'boolean') fail(file, at('postmortem_required'), 'postmortem_required must be true or false');
    const due = optionalMinutes(level.postmortem_due_business_days, file, at('postmortem_due_business_days'), 'postmortem_due_business_days');
    if (due !== null && !Number.isInteger(due)) fail(file, at('postmortem_due_business_days'), 'postmortem_due_business_days must be a whole number');
    const serviceStatus = level.service_status ?? null;
    if (serviceStatus !== null && !(SERVICE_STATUSES as readonly unknown[]).includes(serviceStatus)) {
      fail(file, at('service_status'), `service_status of ${name} must be one of ${SERVICE_STATUSES.join(', ')}, found ${JSON.stringify(serviceStatus)}`);
    }
    levels.push({
      name,
      description,
      responseTime: optionalString(level.response_time, file, at('response_time'), 'response_time'),
      communication: optionalString(level.communication, file, at('communication'), 'communication'),
      whoIsPaged: optionalString(level.who_is_paged, file, at('who_is_paged'), 'who_is_paged'),
      examples: examples as string[],
      updateEveryMinutes: optionalMinutes(level.update_every_minutes, file, at('update_every_minutes'), 'update_every_minutes'),
      escalateAfterMinutes: optionalMinutes(level.escalate_after_minutes, file, at('escalate_after_minutes'), 'escalate_after_minutes'),
      escalateTo: optionalString(level.escalate_to, file, at('escalate_to'), 'escalate_to'),
      postmortemRequired: required,
      postmortemDueBusinessDays: required ? (due ?? 5) : due,
      ...(serviceStatus === null ? {} : { serviceStatus: serviceStatus as ServiceStatus }),
    });
  }
  if (levels.length === 0) fail(file, lineOf(['severities']), 'the matrix defines no severity levels');
  const seen = new Map<string, string>();
  for (const level of levels) {
    const key = level.name.toLowerCase();
    if (seen.has(key)) fail(file, lineOf(['severities', level.name]), `severity ${level.name} is defined twice (also as ${seen.get(key)})`);
    seen.set(key, level.name);
  }
  return { file, levels };
}

function trailingNumber(name: string): string | undefined {
  return /(\d+)$/.exec(name)?.[1];
}

/** Finds a level by what a person typed: `2`, `SEV2`, `sev2`, `P2`. Undefined if none matches. */
export function findSeverity(matrix: SeverityMatrix, input: string): SeverityLevel | undefined {
  const text = input.trim().toLowerCase();
  const exact = matrix.levels.find((l) => l.name.toLowerCase() === text);
  if (exact) return exact;
  if (/^\d+$/.test(text)) {
    const matches = matrix.levels.filter((l) => Number(trailingNumber(l.name)) === Number(text));
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

export function severityNames(matrix: SeverityMatrix): string {
  return matrix.levels.map((l) => l.name).join(', ');
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
  const index = matrix.levels.findIndex((l) => l.name === name);
  return index === -1 ? matrix.levels.length : index;
}
