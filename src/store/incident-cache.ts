/**
 * A cache of parsed incident.md files, so that list, stats and open's prompt do not parse
 * 10,000 front matters on every run (issue 7: `inc list` under 0.5 s at that size). It lives
 * in this clone's .git/inc/ (never committed; deleting it is always safe) and keeps, per
 * incident, what loadIncident returned and the file's size, times and inode at that read.
 *
 * An entry is used only while the file still has that size, mtime, ctime and inode. It is
 * kept only for a file whose times are older than the read by more than any file system's
 * time granularity (git's "racily clean" rule), so an edit made in the same clock tick as the
 * read cannot hide behind an unchanged stat. The cache belongs to one build of inc: a rebuilt
 * or upgraded parser starts afresh. Files that fail to parse are never cached, and neither is
 * anything JSON would not give back exactly.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, type Stats, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../domain/incident.js';

const CACHE_FILE = 'incidents-cache.json';
/** Files changed less than this before a read are not cached (FAT's 2 s is the coarsest tick). */
const RACY_MS = 3_000;
/** The modules whose code decides what an entry holds: a rebuild of any of them starts afresh. */
const PARSER_MODULES = ['../domain/incident.js', '../domain/frontmatter.js', '../domain/simple-yaml.js', '../domain/time.js', './incidents.js', './incident-cache.js'].map(
  (module) => new URL(module, import.meta.url),
);

export interface CachedIncident {
  incident: Incident;
  keyLines: Record<string, number>;
}

interface Entry extends CachedIncident {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/**
 * On disk an entry is a tuple, and its key lines point into a table of layouts (files inc
 * wrote share a handful): a third smaller, and as much faster to read back.
 */
type StoredEntry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, layout: number, incident: Incident];

interface CacheFile {
  build: string;
  layouts: Record<string, number>[];
  entries: Record<string, StoredEntry>;
}

/** Identifies a build of `modules` by their sizes and times; undefined when unknown. */
export function buildOf(modules: URL[]): string | undefined {
  try {
    return modules
      .map((module) => {
        const stat = statSync(fileURLToPath(module));
        return `${stat.size}:${stat.mtimeMs}`;
      })
      .join(',');
  } catch {
    return undefined;
  }
}

/** The parsed cache file, or undefined when there is none or it cannot be read. */
export function readCacheFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Replaces the cache file in one rename; a read-only clone simply goes without. */
export function writeCacheFile(path: string, data: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, JSON.stringify(data));
    renameSync(temp, path);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** Only what JSON gives back exactly: no undefined, -0, NaN, Date, Map, class or null-prototype object. */
export function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (key === '__proto__' || !jsonExact((value as Record<string, unknown>)[key])) return false;
  return true;
}

export class IncidentCache {
  private readonly path: string;
  private readonly build: string | undefined;
  private readonly old: Record<string, Entry>;
  private readonly fresh: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
  /** The file system's clock, not inc's (INC_NOW pins that one): it is compared with file times. */
  private readonly startedAt = Date.now();
  private changed = false;

  constructor(stateDir: string) {
    this.path = join(stateDir, CACHE_FILE);
    this.build = buildOf(PARSER_MODULES);
    this.old = this.read();
  }

  private read(): Record<string, Entry> {
    const none = Object.create(null) as Record<string, Entry>;
    if (this.build === undefined) return none;
    const file = readCacheFile(this.path) as CacheFile | undefined;
    if (file?.build !== this.build || !Array.isArray(file.layouts) || typeof file.entries !== 'object' || file.entries === null) {
      this.changed = file !== undefined; // none yet, or one that cannot be used: start afresh
      return none;
    }
    // Records share these: frozen, so that no reader can change another record's lines.
    const layouts = file.layouts.map((layout) => Object.freeze(layout));
    for (const id in file.entries) {
      const stored = file.entries[id];
      if (!Array.isArray(stored) || stored.length !== 6) continue;
      const [size, mtimeMs, ctimeMs, ino, layout, incident] = stored;
      const keyLines = layouts[layout];
      if (keyLines && typeof incident === 'object' && incident !== null) none[id] = { size, mtimeMs, ctimeMs, ino, incident, keyLines };
    }
    return none;
  }

  /** The file's identity now: a regular file's stat, or undefined (missing, a link, a folder). */
  stat(absolute: string): Stats | undefined {
    const stat = lstatSync(absolute, { throwIfNoEntry: false });
    return stat?.isFile() ? stat : undefined;
  }

  /** What was read from this file before, if it has not changed since. */
  get(id: string, stat: Stats): CachedIncident | undefined {
    const entry = this.old[id];
    if (!entry || entry.size !== stat.size || entry.mtimeMs !== stat.mtimeMs || entry.ctimeMs !== stat.ctimeMs || entry.ino !== stat.ino) {
      return undefined;
    }
    this.fresh[id] = entry;
    return { incident: entry.incident, keyLines: entry.keyLines };
  }

  /** Records a fresh read of a file with `stat` (taken before reading it). */
  set(id: string, stat: Stats, value: CachedIncident): void {
    this.changed = true;
    const settled = this.startedAt - RACY_MS;
    if (stat.mtimeMs >= settled || stat.ctimeMs >= settled || !jsonExact(value)) return;
    this.fresh[id] = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, incident: value.incident, keyLines: value.keyLines };
  }

  /** Writes the entries seen in this run (so deleted incidents drop out), if anything changed. */
  save(): void {
    if (this.build === undefined) return;
    if (!this.changed && Object.keys(this.fresh).length === Object.keys(this.old).length) return;
    const layouts = new Map<string, number>();
    const entries: Record<string, StoredEntry> = {};
    for (const id in this.fresh) {
      const entry = this.fresh[id]!;
      const key = JSON.stringify(entry.keyLines);
      if (!layouts.has(key)) layouts.set(key, layouts.size);
      entries[id] = [entry.size, entry.mtimeMs, entry.ctimeMs, entry.ino, layouts.get(key)!, entry.incident];
    }
    const layoutList = [...layouts.keys()].map((key) => JSON.parse(key) as Record<string, number>);
    writeCacheFile(this.path, { build: this.build, layouts: layoutList, entries } satisfies CacheFile);
  }
}
