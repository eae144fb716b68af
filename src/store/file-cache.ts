/**
 * Caches in this clone's .git/inc/ (never committed; deleting one is always safe) of what inc
 * made of a file the last time it read it, so that list and stats over 10,000 incidents do
 * not read and parse every file on every run (docs/decisions/0063-fast-reads-and-caches.md).
 *
 * An entry holds the file's size, mtime, ctime and inode at that read, and is used only while
 * the file still has them. It is kept only for a file whose times are older than the read by
 * more than any file system's time granularity (git's "racily clean" rule), so an edit made in
 * the same clock tick as the read cannot hide behind an unchanged stat; ctime cannot be set
 * back, so an entry that no longer matches never matches again. A cache belongs to one build
 * of the code that fills it: a rebuilt or upgraded parser starts afresh. Files that fail to
 * parse are never cached, and neither is anything JSON would not give back exactly.
 */
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeStaleTemporaryFiles, writeFileAtomic } from './atomic.js';

/** Files changed less than this before a read are not cached (FAT's 2 s is the coarsest tick). */
export const RACY_MS = 3_000;

/**
 * Identifies a build of `modules` by their names, sizes and times; undefined when none of
 * them is a file. Modules that are not files are left out: a bundle holds them all, and the
 * bundle itself, the module asking, is in the list.
 */
export function buildOf(modules: (URL | undefined)[]): string | undefined {
  const parts: string[] = [];
  for (const module of modules) {
    if (module?.protocol !== 'file:') continue;
    let stat;
    try {
      stat = statSync(fileURLToPath(module), { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (stat) parts.push(`${module.pathname.slice(module.pathname.lastIndexOf('/') + 1)}=${stat.size}:${stat.mtimeMs}`);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** The build of a cache whose entries `modules` decide, under the rules of this module. */
export function cacheBuild(modules: (URL | undefined)[]): string | undefined {
  return buildOf([...modules, new URL(import.meta.url)]);
}

/** Where a package's file is (such as 'yaml/package.json'), or undefined where it cannot be found. */
export function packageFile(specifier: string): URL | undefined {
  try {
    return new URL(import.meta.resolve(specifier));
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

/**
 * Replaces the cache file atomically, as inc writes every file, but without waiting for the
 * disk: a cache torn by a crash does not parse and is read as none. A read-only clone simply
 * goes without.
 */
export function writeCacheFile(path: string, data: unknown): void {
  try {
    removeStaleTemporaryFiles(dirname(path));
    writeFileAtomic(path, JSON.stringify(data), { durable: false });
  } catch {
    // Read-only or full: the next run reads the files themselves.
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

/** A file's identity: what must be unchanged for a cached entry to hold. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/**
 * The file's identity now, taken before reading it (so that a later change shows): its stat
 * when it is a regular file, null when nothing is there, undefined for anything else (a
 * link, a folder, a stat that failed), which the caller reads the uncached way.
 */
export function statOf(absolute: string): Stats | null | undefined {
  try {
    const stat = lstatSync(absolute, { throwIfNoEntry: false });
    if (stat === undefined) return null;
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an entry stored as [size, mtimeMs, ctimeMs, ino, ...] still holds for a file with `stat`. */
export function sameIdentity(entry: readonly unknown[], stat: FileIdentity): boolean {
  return entry[0] === stat.size && entry[1] === stat.mtimeMs && entry[2] === stat.ctimeMs && entry[3] === stat.ino;
}

/**
 * Whether what was made of a file read after `stat` may be kept by a run that started at
 * `startedAt` (the file system's clock, not inc's: INC_NOW pins that one): the file's times
 * are settled (RACY_MS) and JSON gives the value back exactly.
 */
export function cacheable(stat: FileIdentity, startedAt: number, value: unknown): boolean {
  const settled = startedAt - RACY_MS;
  return stat.mtimeMs < settled && stat.ctimeMs < settled && jsonExact(value);
}

/** On disk: [size, mtimeMs, ctimeMs, ino, value] per key. */
type StoredEntry<V> = [size: number, mtimeMs: number, ctimeMs: number, ino: number, value: V];

interface CacheFile<V> {
  build: string;
  entries: Record<string, StoredEntry<V>>;
}

/** What was made of each of many files, keyed by their repository paths. */
export class FileCache<V> {
  private readonly path: string;
  private readonly build: string | undefined;
  private readonly old: Record<string, StoredEntry<V>> = Object.create(null) as Record<string, StoredEntry<V>>;
  private readonly fresh: Record<string, StoredEntry<V>> = Object.create(null) as Record<string, StoredEntry<V>>;
  /** Keys asked for in this run: their old entries are kept only if they still held. */
  private readonly asked = new Set<string>();
  private stored = false;
  /** No entry at all (a first run, or CI): has() answers without a lookup. */
  private empty = true;
  /**
   * `modules`: the code that decides what a value holds; a rebuild of any of them starts afresh.
   * `startedAt`: when this run started, on the file system's clock (see cacheable).
   */
  constructor(
    stateDir: string,
    fileName: string,
    modules: (URL | undefined)[],
    private readonly startedAt: number,
  ) {
    this.path = join(stateDir, fileName);
    this.build = cacheBuild(modules);
    if (this.build === undefined) return;
    const file = readCacheFile(this.path) as Partial<CacheFile<V>> | undefined;
    if (file?.build !== this.build || typeof file.entries !== 'object' || file.entries === null) return;
    for (const key in file.entries) {
      const stored = file.entries[key];
      if (!Array.isArray(stored) || stored.length !== 5) continue;
      this.old[key] = stored;
      this.empty = false;
    }
  }

  /** Whether there is an entry for the file to check (see get); without one, read the file. */
  has(key: string): boolean {
    // A cold run (no cache) asks for 20,000 files: a lookup by a fresh string is not free.
    if (this.empty || !(key in this.old)) return false;
    this.asked.add(key);
    return true;
  }

  /** What was made of this file before, if it has not changed since `stat` (see statOf). */
  get(key: string, stat: FileIdentity): V | undefined {
    const entry = this.old[key];
    if (entry) this.asked.add(key); // only stored entries need telling apart at save()
    if (!entry || !sameIdentity(entry, stat)) return undefined;
    this.fresh[key] = entry;
    return entry[4];
  }

  /** Records what was made of the file, read after `stat` was taken (see readRepoFileAndStat). */
  set(key: string, stat: FileIdentity, value: V): void {
    if (key in this.old) this.asked.add(key);
    if (!cacheable(stat, this.startedAt, value)) return;
    this.fresh[key] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, value];
    this.stored = true;
  }

  /**
   * Writes the entries that still hold, if anything changed. Entries not asked for in this
   * run (stats with a filter reads a few incidents) are kept while `keep` says so.
   */
  save(keep: (key: string) => boolean): void {
    if (this.build === undefined) return;
    const holds = (key: string) => (this.asked.has(key) ? key in this.fresh : keep(key));
    let unchanged = !this.stored;
    for (const key in this.old) if (unchanged && !holds(key)) unchanged = false;
    if (unchanged) return; // the same entries as on disk
    const entries: Record<string, StoredEntry<V>> = {};
    for (const key in this.old) if (holds(key)) entries[key] = this.old[key]!;
    for (const key in this.fresh) entries[key] = this.fresh[key]!;
    writeCacheFile(this.path, { build: this.build, entries } satisfies CacheFile<V>);
  }
}
