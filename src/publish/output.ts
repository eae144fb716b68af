/**
 * Writes a built site into its folder. A new site goes to a staging folder beside it that
 * then takes the folder's place, so nobody sees it half-written. A site inc wrote before (its
 * folder holds MARKER) is brought up to date file by file (see updateSite). Any other folder
 * that is not empty is refused: an --out that names someone's folder is never touched.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { IncError } from '../domain/errors.js';

export const MARKER = '.inc-publish';
const MARKER_TEXT = 'This folder is written by `inc publish` and brought up to date on every run: edit the incident files, not these.\n';

/** Why `dir` cannot take a site, or undefined when it can (missing, empty, or ours). */
export function outputProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
  const names = readdirSync(dir);
  if (names.length === 0 || names.includes(MARKER)) return undefined;
  return `${dir} is not empty and was not written by inc publish (it has no ${MARKER} file)`;
}

/**
 * A page rendered only when needed: `key` names everything it is made from (the incident's
 * values, the settings, the build of the code), so that an unchanged key and an untouched
 * file mean the page on disk is already this one.
 */
export interface LazyPage {
  key: string;
  render(): string;
}

export type SiteFile = string | LazyPage;

const contentOf = (file: SiteFile) => (typeof file === 'string' ? file : file.render());

/** Refuses a folder that cannot take a site (see outputProblem), saying what to pass instead. */
export function assertOutputFolder(dir: string): void {
  const problem = outputProblem(dir);
  if (problem) throw new IncError(problem, 1, 'Pass an empty or new folder with --out (inc replaces that folder whole on every run).');
}

export function writeSite(dir: string, files: Map<string, SiteFile>): { written: number; removed: number } {
  assertOutputFolder(dir);
  if (existsSync(dir) && readdirSync(dir).includes(MARKER)) return updateSite(dir, files);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.inc-publish-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const made = new Set<string>();
    const manifest: Manifest = { note: MARKER_TEXT.trim(), files: {} };
    for (const [path, file] of files) {
      const target = join(staging, ...path.split('/'));
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const content = contentOf(file);
      writeFileSync(target, content);
      manifest.files[path] = entryOf(target, content, file);
    }
    writeFileSync(join(staging, MARKER), `${JSON.stringify(manifest)}\n`);
    // An empty folder (or none): the staging folder takes its place in one step.
    if (existsSync(dir)) rmSync(dir, { recursive: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { written: files.size, removed: 0 };
}

/**
 * A site inc wrote before: only the files whose content changed are written, each through a
 * temporary file and a rename (a reader sees the old page or the new one), and files the site
 * no longer has are removed. Creating a file costs far more than reading one, so a site of
 * 1,000 incidents in which one changed is rewritten in a few files, and pages keep their
 * modification times for whatever syncs them.
 */
function updateSite(dir: string, files: Map<string, SiteFile>): { written: number; removed: number } {
  let written = 0;
  let removed = 0;
  const made = new Set<string>();
  const manifest = readManifest(dir);
  const next: Manifest = { note: MARKER_TEXT.trim(), files: {} };
  for (const [path, file] of files) {
    const target = join(dir, ...path.split('/'));
    const entry = manifest[path];
    // A page made from the same values by the same code, whose file nobody touched: kept unrendered.
    if (typeof file !== 'string' && Array.isArray(entry) && entry[3] === file.key && untouched(entry, target)) {
      next.files[path] = entry;
      continue;
    }
    const content = contentOf(file);
    const hash = hashOf(content);
    if (Array.isArray(entry) && entry[0] === hash && untouched(entry, target)) {
      next.files[path] = typeof file === 'string' ? entry : [entry[0], entry[1], entry[2], file.key];
      continue;
    }
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    const temp = join(folder, `.${basename(target)}.inc-${process.pid}.tmp`);
    writeFileSync(temp, content);
    renameSync(temp, target);
    next.files[path] = entryOf(target, content, file, hash);
    written += 1;
  }
  writeFileSync(join(dir, MARKER), `${JSON.stringify(next)}\n`);
  const wanted = new Set([...files.keys(), MARKER]);
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().reverse()) {
    const path = name.split(sep).join('/');
    if (wanted.has(path)) continue;
    const absolute = join(dir, name);
    const stat = lstatSync(absolute);
    if (stat.isDirectory()) {
      if (readdirSync(absolute).length === 0) rmSync(absolute, { recursive: true });
      continue;
    }
    rmSync(absolute, { force: true });
    removed += 1;
  }
  return { written, removed };
}

/**
 * The marker file: a note for people, and what inc wrote into each file last time: its hash,
 * the size and modification time it had then, and for a lazy page its key. A file that still
 * has that size and time was not edited since.
 */
interface Manifest {
  note: string;
  files: Record<string, [hash: string, size: number, mtimeMs: number, key?: string]>;
}

const hashOf = (content: string) => createHash('sha1').update(content).digest('base64');

function entryOf(path: string, content: string, file: SiteFile, hash = hashOf(content)): Manifest['files'][string] {
  const stat = statSync(path);
  return typeof file === 'string' ? [hash, stat.size, stat.mtimeMs] : [hash, stat.size, stat.mtimeMs, file.key];
}

function readManifest(dir: string): Manifest['files'] {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<Manifest>;
    return parsed.files && typeof parsed.files === 'object' ? parsed.files : {};
  } catch {
    return {};
  }
}

function untouched(entry: Manifest['files'][string], path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size === entry[1] && stat.mtimeMs === entry[2];
}
