/**
 * A cache of parsed incident.md files, so that list, stats, open's service prompt and the
 * search for the one open incident do not parse 10,000 front matters on every run (the budget:
 * `inc list` under 0.5 s at that size). It keeps, per incident, the incident and its key
 * lines as read by loadAllIncidents, under the rules of every file cache (file-cache.ts): an
 * entry holds while the file keeps its size, times and inode.
 */
import { join } from 'node:path';
import type { Incident } from '../domain/incident.js';
import { cacheable, cacheBuild, type FileIdentity, packageFile, readCacheFile, sameIdentity, writeCacheFile } from './file-cache.js';

const CACHE_FILE = 'incidents-cache.json';
/** The modules whose code decides what an entry holds: a rebuild of any of them starts afresh. */
const PARSER_MODULES = [
  ...['../domain/incident.js', '../domain/frontmatter.js', '../domain/simple-yaml.js', '../domain/yaml-document.js', '../domain/time.js', '../domain/text.js', '../domain/years.js', './incidents.js', './project.js'].map(
    (module) => new URL(module, import.meta.url),
  ),
  // Files the fast reader declines are read by the `yaml` package: another release may read them differently.
  packageFile('yaml/package.json'),
  new URL(import.meta.url),
];

export interface CachedIncident {
  incident: Incident;
  keyLines: Record<string, number>;
}

/**
 * On disk an entry is a tuple, and its key lines point into a table of layouts (files inc
 * wrote share a handful): a third smaller, and as much faster to read back. Entries stay
 * tuples in memory too: 10,000 objects fewer to build on every run.
 */
type StoredEntry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, layout: number, incident: Incident];

interface CacheFile {
  build: string;
  layouts: Record<string, number>[];
  entries: Record<string, StoredEntry>;
}

/** An entry of this run (a stored one that still holds, or a fresh read), with its key lines. */
type Fresh = [size: number, mtimeMs: number, ctimeMs: number, ino: number, keyLines: Record<string, number>, incident: Incident];

export class IncidentCache {
  private readonly path: string;
  private readonly build: string | undefined;
  private layouts: Readonly<Record<string, number>>[] = [];
  private old: Record<string, StoredEntry> = Object.create(null) as Record<string, StoredEntry>;
  private oldCount = 0;
  private readonly fresh: Record<string, Fresh> = Object.create(null) as Record<string, Fresh>;
  private freshCount = 0;
  private stored = false;
  private readonly shared = new LayoutTable();

  /** `startedAt`: when this run started, on the file system's clock (see cacheable). */
  constructor(
    stateDir: string,
    private readonly startedAt: number,
  ) {
    this.path = join(stateDir, CACHE_FILE);
    this.build = cacheBuild(PARSER_MODULES);
    if (this.build === undefined) return;
    const file = readCacheFile(this.path) as CacheFile | undefined;
    if (file?.build !== this.build || !Array.isArray(file.layouts) || typeof file.entries !== 'object' || file.entries === null) {
      this.stored = file !== undefined; // one that cannot be used: replace it
      return;
    }
    // Records share these: frozen, so that no reader can change another record's lines.
    this.layouts = file.layouts.map((layout) => Object.freeze(layout));
    for (const layout of this.layouts) this.shared.indexOf(layout);
    this.old = file.entries;
    for (const id in this.old) this.oldCount += 1;
  }

  /**
   * The same key lines as one object shared by every incident with that layout: 10,000
   * copies of a handful of layouts would otherwise live as long as the listing.
   */
  intern(keyLines: Record<string, number>): Readonly<Record<string, number>> {
    return this.shared.list[this.shared.indexOf(keyLines, true)]!;
  }

  /** Whether there is an entry for the incident to check (see get). */
  has(id: string): boolean {
    // A cold run (no cache) asks 10,000 times: a lookup by a fresh string is not free.
    return this.oldCount !== 0 && Object.hasOwn(this.old, id);
  }

  /** What was read from this file before, if it has not changed since `stat` (see statOf). */
  get(id: string, stat: FileIdentity): CachedIncident | undefined {
    const entry = this.old[id];
    if (!Array.isArray(entry) || entry.length !== 6 || !sameIdentity(entry, stat)) return undefined;
    // Indexed rather than destructured: destructuring steps an iterator until optimised.
    const incident = entry[5];
    const keyLines = this.layouts[entry[4]];
    if (!keyLines || typeof incident !== 'object' || incident === null) return undefined;
    this.keep(id, [entry[0], entry[1], entry[2], entry[3], keyLines, incident]);
    return { incident, keyLines };
  }

  /** Records a fresh read of a file with `stat` (taken before reading it). */
  set(id: string, stat: FileIdentity, value: CachedIncident): void {
    if (!cacheable(stat, this.startedAt, value)) return;
    this.keep(id, [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, value.keyLines, value.incident]);
    this.stored = true;
  }

  private keep(id: string, entry: Fresh): void {
    if (!(id in this.fresh)) this.freshCount += 1;
    this.fresh[id] = entry;
  }

  /** Writes the entries seen in this run (so deleted incidents drop out), if anything changed. */
  save(): void {
    if (this.build === undefined) return;
    if (!this.stored && this.freshCount === this.oldCount) return; // every stored entry held
    const layouts = new LayoutTable();
    const entries: Record<string, StoredEntry> = {};
    for (const id in this.fresh) {
      const [size, mtimeMs, ctimeMs, ino, keyLines, incident] = this.fresh[id]!;
      entries[id] = [size, mtimeMs, ctimeMs, ino, layouts.indexOf(keyLines), incident];
    }
    writeCacheFile(this.path, { build: this.build, layouts: layouts.list, entries } satisfies CacheFile);
  }
}

/** How many layouts are compared key by key before their JSON text is used instead. */
const COMPARED_LAYOUTS = 8;

/** The distinct key-line layouts of the entries, each stored once. */
class LayoutTable {
  readonly list: Readonly<Record<string, number>>[] = [];
  private readonly keys: string[][] = [];
  private readonly byText = new Map<string, number>();

  /**
   * The layout's index, added when new. The first few layouts cover nearly every file inc
   * wrote and are compared key by key: a JSON text for each of 10,000 entries showed in a
   * cold `inc list`.
   */
  indexOf(keyLines: Readonly<Record<string, number>>, freeze = false): number {
    for (let index = 0; index < Math.min(this.list.length, COMPARED_LAYOUTS); index += 1) {
      if (this.list[index] === keyLines || this.sameAs(index, keyLines)) return index;
    }
    const text = JSON.stringify(keyLines);
    let index = this.byText.get(text);
    if (index === undefined) {
      index = this.list.length;
      this.byText.set(text, index);
      this.list.push(freeze ? Object.freeze(keyLines) : keyLines);
      this.keys.push(Object.keys(keyLines));
    }
    return index;
  }

  /** The same keys in the same order with the same lines: what the same JSON text means. */
  private sameAs(index: number, keyLines: Readonly<Record<string, number>>): boolean {
    const keys = this.keys[index]!;
    const lines = this.list[index]!;
    let count = 0;
    for (const key in keyLines) {
      if (key !== keys[count] || keyLines[key] !== lines[key]) return false;
      count += 1;
    }
    return count === keys.length;
  }
}
