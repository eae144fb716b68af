/**
 * The `publish:` section of .inc/config.yaml: the site's name and address, which incidents a
 * public site shows, what it redacts, and planned maintenance. Pure: from parsed YAML data
 * and a line finder to a checked value; every mistake names the config file's line.
 */
import { FileError } from '../domain/errors.js';
import { parseStoredTimestamp } from '../domain/time.js';

export interface Maintenance {
  title: string;
  services: string[];
  startsAt: number;
  endsAt: number;
  description: string;
}

export interface PublicRule {
  /** Severities (as the matrix names them) whose incidents are public without `public: true`. */
  severities: string[];
  /** Services whose incidents are public; with severities too, an incident must match both. */
  services: string[];
}

export interface Redaction {
  /** Extra words and phrases never to publish (internal host names, code names). */
  terms: string[];
  /** Ticket keys such as `ENG-`: `ENG-4521` anywhere in a text is redacted. */
  ticketPrefixes: string[];
  /** Markdown sections (by heading) left out of a public site, with everything under them. */
  sections: string[];
  /** Table columns (by header) left out of a public site: owners, tickets, who logged a row. */
  columns: string[];
  /** Timeline kinds left out of a public site. */
  kinds: string[];
}

export interface PublishConfig {
  title: string;
  /** The site's public address, for absolute links in the feed and the Statuspage JSON. */
  url: string | null;
  /** Where files of the repository can be read (a blob URL): relative links in postmortems point there. */
  repositoryUrl: string | null;
  /** Services always listed on the status page, in this order (others follow, by name). */
  services: string[];
  public: PublicRule;
  redact: Redaction;
  maintenance: Maintenance[];
}

export const DEFAULT_REDACTION: Redaction = {
  terms: [],
  ticketPrefixes: [],
  sections: ['Internal notes', 'Internal'],
  columns: ['Owner', 'Ticket', 'By', 'Author', 'Reviewer'],
  kinds: ['internal', 'note', 'role'],
};

export const DEFAULT_PUBLISH_CONFIG: PublishConfig = {
  title: 'Status',
  url: null,
  repositoryUrl: null,
  services: [],
  public: { severities: [], services: [] },
  redact: DEFAULT_REDACTION,
  maintenance: [],
};

type LineOf = (path: (string | number)[]) => number;

/** Reads the `publish` value of the config file (undefined when the section is absent). */
export function parsePublishConfig(section: unknown, lineOf: LineOf, file: string): PublishConfig {
  if (section === undefined || section === null) return DEFAULT_PUBLISH_CONFIG;
  const at = (...path: (string | number)[]) => lineOf(['publish', ...path]);
  const fail = (path: (string | number)[], message: string): never => {
    throw new FileError(file, at(...path), `publish.${path.join('.')}: ${message}`, 'See "Publishing a status site" in the README for the keys of `publish:`.');
  };
  if (!isMapping(section)) return fail([], 'must be a mapping of keys such as title, url, public, redact');

  const text = (path: (string | number)[], value: unknown, fallback: string | null): string | null => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || value.trim() === '') return fail(path, 'must be a text');
    return value.trim();
  };
  const texts = (path: (string | number)[], value: unknown, fallback: string[]): string[] => {
    if (value === undefined || value === null) return fallback;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list)) return fail(path, 'must be a list of texts, such as [payment-service]');
    return list.map((item, index) => {
      if (typeof item !== 'string' && typeof item !== 'number') return fail([...path, index], 'must be a text');
      const trimmed = String(item).trim();
      return trimmed === '' ? fail([...path, index], 'is empty') : trimmed;
    });
  };
  const address = (key: string): string | null => {
    const value = text([key], section[key], null);
    if (value !== null && !/^https?:\/\/[^\s/]+/i.test(value)) fail([key], `"${value}" is not an http(s) address`);
    return value === null || value.endsWith('/') ? value : `${value}/`;
  };

  const rule = section.public ?? {};
  if (!isMapping(rule)) fail(['public'], 'must be a mapping with severities and/or services');
  const redact = section.redact ?? {};
  if (!isMapping(redact)) fail(['redact'], 'must be a mapping (terms, ticket_prefixes, sections, columns, kinds)');
  const r = redact as Record<string, unknown>;
  const p = rule as Record<string, unknown>;
  const prefixes = texts(['redact', 'ticket_prefixes'], r.ticket_prefixes, []);
  prefixes.forEach((prefix, index) => {
    if (!/^[A-Za-z][A-Za-z0-9_]*-?$/.test(prefix)) fail(['redact', 'ticket_prefixes', index], `"${prefix}" is not a ticket key prefix such as ENG- or OPS-`);
  });

  return {
    title: text(['title'], section.title, DEFAULT_PUBLISH_CONFIG.title)!,
    url: address('url'),
    repositoryUrl: address('repository_url'),
    services: texts(['services'], section.services, []),
    public: { severities: texts(['public', 'severities'], p.severities, []), services: texts(['public', 'services'], p.services, []) },
    redact: {
      terms: texts(['redact', 'terms'], r.terms, DEFAULT_REDACTION.terms),
      ticketPrefixes: prefixes,
      sections: texts(['redact', 'sections'], r.sections, DEFAULT_REDACTION.sections),
      columns: texts(['redact', 'columns'], r.columns, DEFAULT_REDACTION.columns),
      kinds: texts(['redact', 'kinds'], r.kinds, DEFAULT_REDACTION.kinds),
    },
    maintenance: maintenanceList(section.maintenance, fail, text, texts),
  };
}

function maintenanceList(
  value: unknown,
  fail: (path: (string | number)[], message: string) => never,
  text: (path: (string | number)[], value: unknown, fallback: string | null) => string | null,
  texts: (path: (string | number)[], value: unknown, fallback: string[]) => string[],
): Maintenance[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(['maintenance'], 'must be a list of windows (title, services, starts_at, ends_at)');
  return value.map((item, index) => {
    const path = ['maintenance', index];
    if (!isMapping(item)) return fail(path, 'must be a mapping with title, services, starts_at and ends_at');
    const time = (key: string): number => {
      const raw = item[key];
      const at = typeof raw === 'string' ? parseStoredTimestamp(raw) : undefined;
      return at ?? fail([...path, key], `must be an ISO 8601 time with an offset, such as 2026-03-20T22:00:00Z`);
    };
    const startsAt = time('starts_at');
    const endsAt = time('ends_at');
    if (endsAt <= startsAt) fail([...path, 'ends_at'], 'must be after starts_at');
    const title = text([...path, 'title'], item.title, null) ?? fail([...path, 'title'], 'is missing');
    return { title, services: texts([...path, 'services'], item.services, []), startsAt, endsAt, description: text([...path, 'description'], item.description, '') ?? '' };
  });
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
