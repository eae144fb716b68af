/**
 * The ops repository on disk: where its root is, its config, and where each file lives.
 * Found by walking up from the working directory, like git, without spawning git.
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BlameRules } from '../domain/blame.js';
import { isCiEnvironment } from '../domain/ci.js';
import { FileError, IncError, UsageError } from '../domain/errors.js';
import { quoteForMessage } from '../domain/frontmatter.js';
import { readSimpleMapping } from '../domain/simple-yaml.js';
import { firstLongLine, longLineProblem } from '../domain/text.js';
import { isValidZone } from '../domain/time.js';
import { configuredZoneProblem, etcGmtNote } from '../domain/zones.js';
import type { GitRepo } from './git.js';

export const MATRIX_FILE = 'incident-severity.yaml';
export const CONFIG_FILE = '.inc/config.yaml';
export const INCIDENTS_DIR = 'incidents';
export const RUNBOOKS_DIR = 'runbooks';
/** Largest file inc will read: hostile pull requests must not exhaust memory. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface Config {
  /** IANA zone for reading typed times and for display. */
  timezone: string;
  /** Commit every write (false: write only, as --no-commit). */
  commit: boolean;
  /** Seconds to wait for another inc process that is writing. */
  lockTimeoutSeconds: number;
  /** `blameless: {add: [...], silence: [...]}`: the repository's own blaming phrases, and built-in ones it silences. */
  blame: BlameRules;
  /**
   * `push: auto`: after each committed write, push in the background (store/background-push.ts);
   * `off` (the default, also `false`): share with `inc sync` or `git push`.
   */
  push: 'auto' | 'off';
  /**
   * The names customers know services by (`payment-service: Payments`), for status-page text:
   * internal names never reach it unless mapped here.
   */
  publicServices: Record<string, string>;
}

const DEFAULT_CONFIG: Config = { timezone: 'UTC', commit: true, lockTimeoutSeconds: 15, blame: { add: [], silence: [] }, push: 'off', publicServices: {} };

export interface Project extends GitRepo {
  config: Config;
  /** Folder for this clone's own state, never committed: the current incident, the lock. */
  stateDir: string;
  /**
   * The file system's clock in milliseconds (not inc's clock: INC_NOW pins that one), which
   * the caches compare file times with to tell a settled file from one still being written.
   */
  fileClock: () => number;
  /** The working directory the command runs in (inside incidents/<id>/, that incident is the default). */
  cwd?: string;
  /** --dry-run: every write (store/write.ts) shows what it would do instead of doing it. */
  dryRun: boolean;
  /**
   * Whether this run writes the caches of .git/inc (docs/decisions/0065-*): not under CI,
   * where a clone is fresh and thrown away with the job, so a cache would never be read, and
   * writing it was a tenth of a cold run. Caches there are still read.
   */
  saveCaches: boolean;
}

/** Where a command runs: what the store needs of the outside world to find the repository. */
export interface Whereabouts {
  cwd: string;
  env: Record<string, string | undefined>;
  /** The file system's clock (Project.fileClock); the real one when not given. */
  fileClock?: () => number;
  /** Where notes go (INC_TZ=Etc/GMT+2 is said to be UTC−02:00). */
  stderr?: { write(text: string): unknown };
  dryRun?: boolean;
}

function findGitDir(start: string): { root: string; gitDir: string } | undefined {
  let dir = resolve(start);
  for (;;) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return { root: dir, gitDir: dotGit };
      // A worktree or submodule: `.git` is a file that points at the real folder.
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (m) {
        const target = m[1]!.trim();
        return { root: dir, gitDir: isAbsolute(target) ? target : resolve(dir, target) };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function findRepo(ctx: Whereabouts): GitRepo {
  const found = findGitDir(ctx.cwd);
  if (!found) {
    throw new IncError(
      `not inside a git repository (${ctx.cwd})`,
      1,
      'inc keeps incidents in a git repository: run `git init` (or cd into your ops repository), then `inc init`.',
    );
  }
  return { ...found, env: ctx.env };
}

/** One buffer for every small read: list and stats read thousands of files (docs/decisions/0063-*). */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Folders known to be real folders of the repository, not links out of it: not checked again
 * within one command. openProject() forgets them, so a process that runs several commands
 * (the tests run them in-process) checks again a folder that may since have become a link.
 */
const checkedFolders = new Set<string>();

/** Records a folder that a directory listing showed to be a real folder (no link): no check needed. */
export function trustFolder(absolute: string): void {
  checkedFolders.add(absolute);
}

/**
 * How to mend a link inc refuses, where it is the file itself or a folder on the way to it:
 * the first words of every hint about one, reads and writes alike.
 */
export function replaceLink(what: 'file' | 'folder'): string {
  return what === 'file' ? 'Replace the link with the file itself (or delete it)' : 'Replace the link with a real folder (or delete it)';
}

/**
 * Refuses a link that leads out of the repository (or into .git): files from a pull request
 * are untrusted, and one can commit `incident.md -> ~/.ssh/id_rsa`, `timeline.md -> /dev/zero`
 * or a linked folder. A link to another file of the repository is followed.
 */
function assertLinkInside(root: string, link: string, displayPath: string): void {
  let target: string;
  try {
    target = realpathSync.native(link);
  } catch {
    throw new FileError(displayPath, 1, 'is a symbolic link to nothing (its target does not exist)');
  }
  const realRoot = realpathSync.native(root);
  const inside = target.startsWith(realRoot + sep) && !target.startsWith(join(realRoot, '.git') + sep) && target !== join(realRoot, '.git');
  if (!inside) {
    const isTheFile = link === join(root, ...displayPath.split('/'));
    throw new FileError(
      displayPath,
      1,
      `${isTheFile ? 'is' : `is in ${repoPath({ root }, link)}, which is`} a symbolic link leading outside the repository (to ${target}); inc does not follow it`,
      `${replaceLink(isTheFile ? 'file' : 'folder')}.`,
    );
  }
}

/**
 * Checks the folders between the repository root and `path` (the root is what precedes
 * `displayPath`, the repository-relative path). Folders a listing already saw are skipped.
 */
function repositoryRoot(path: string, displayPath: string): string | undefined {
  if (isAbsolute(displayPath)) return undefined;
  const parts = displayPath.split('/');
  if (parts.includes('..')) throw new FileError(displayPath, 1, 'is not a path inside the repository (it contains "..")');
  const suffix = join(...parts);
  if (!path.endsWith(sep + suffix)) return undefined;
  const root = path.slice(0, path.length - suffix.length - 1);
  let folder = root;
  for (const part of parts.slice(0, -1)) {
    folder = join(folder, part);
    if (checkedFolders.has(folder)) continue;
    let isLink: boolean;
    try {
      isLink = lstatSync(folder).isSymbolicLink();
    } catch {
      return root; // missing: opening the file reports it
    }
    if (isLink) assertLinkInside(root, folder, displayPath);
    checkedFolders.add(folder);
  }
  return root;
}

/** An open repository file; `linked` when a link (to another file of the repository) was followed. */
interface OpenFile {
  fd: number;
  linked: boolean;
}

/**
 * Opens a repository file without following a link out of the repository. A file whose own
 * folder a listing already vouched for needs no folder checks: list and stats open 20,000
 * such files, and the checks' path splitting and joining showed in their profiles.
 */
function openInside(path: string, displayPath: string): OpenFile {
  const vouched = checkedFolders.has(path.slice(0, path.lastIndexOf(sep))) && !displayPath.includes('..');
  let root = vouched ? undefined : repositoryRoot(path, displayPath);
  try {
    // O_NOFOLLOW: a plain file opens at no extra cost; a link fails with ELOOP and is checked.
    return { fd: openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)), linked: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    if (vouched) root = repositoryRoot(path, displayPath);
    if (root === undefined) throw error;
  }
  assertLinkInside(root, path, displayPath);
  const fd = openSync(path, 'r');
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new FileError(displayPath, 1, 'is not a regular file; inc reads only files');
  }
  return { fd, linked: true };
}

/**
 * Reads a small text file of the repository, refusing what is too large to be ours and
 * links that lead out of the repository.
 */
export function readRepoFile(path: string, displayPath: string): string {
  // Most files fit the buffer: one open and one read, no stat. Only a larger one is measured.
  const { fd } = openInside(path, displayPath);
  try {
    return readOpenFile(fd, displayPath);
  } finally {
    closeSync(fd);
  }
}

/**
 * readRepoFile, and the file's identity taken from the open file before reading it: a
 * regular file's stat, or undefined for a link followed or anything but a regular file. For
 * a cache of what was read, this costs less than asking by path first (no path to resolve).
 */
export function readRepoFileAndStat(path: string, displayPath: string, withStat = true): { text: string; stat: Stats | undefined } {
  const { fd, linked } = openInside(path, displayPath);
  try {
    // Without a cache to keep, no stat: a run under CI reads 20,000 files it will not cache.
    const stat = linked || !withStat ? undefined : fstatSync(fd);
    return { text: readOpenFile(fd, displayPath), stat: stat?.isFile() ? stat : undefined };
  } finally {
    closeSync(fd);
  }
}

/**
 * What `read` returns, or undefined when the file it reads (or its folder) is not there.
 * Reading and catching the miss costs one system call less than asking first, for each of
 * the thousands of files list and stats read.
 */
export function ifPresent<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function readOpenFile(fd: number, displayPath: string): string {
  let length: number;
  try {
    length = readSync(fd, readBuffer, 0, readBuffer.length, 0);
  } catch (error) {
    // A folder named like one of our files (incidents/<id>/postmortem.md/) opens but cannot be read.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new FileError(displayPath, 1, 'is a folder where inc expects a file');
    throw error;
  }
  if (length < readBuffer.length) return withinLineLimit(readBuffer.toString('utf8', 0, length), displayPath);
  const size = fstatSync(fd).size;
  if (size > MAX_FILE_BYTES) {
    throw new FileError(displayPath, 1, `${Math.round(size / 1024)} KiB is larger than inc reads (${MAX_FILE_BYTES / 1024 / 1024} MiB)`);
  }
  return withinLineLimit(readFileSync(fd, 'utf8'), displayPath); // from the start: the read above did not move the offset
}

/**
 * Refuses a file with a line past LINE_LIMIT before anything parses it: with lines bounded,
 * no reader's cost on a hostile file can grow with the square of the file's size.
 */
export function withinLineLimit(text: string, displayPath: string): string {
  const long = firstLongLine(text);
  if (long) throw new FileError(displayPath, long.line, longLineProblem(long.length));
  return text;
}

async function readConfig(root: string, zoneLenient = false): Promise<Config> {
  return configFromText(ifPresent(() => readRepoFile(join(root, CONFIG_FILE), CONFIG_FILE)), CONFIG_FILE, zoneLenient);
}

/** The config that `text` (the content of .inc/config.yaml, undefined where there is none) sets. */
export async function configFromText(text: string | undefined, file = CONFIG_FILE, zoneLenient = false): Promise<Config> {
  if (text === undefined) return { ...DEFAULT_CONFIG };
  const { data, lineOf } = await readConfigData(text, file);
  const config = { ...DEFAULT_CONFIG };
  const invalid = (key: string, what: string, hint?: string) => new FileError(file, lineOf(key), `${key} ${describeValue(data[key])} ${what}`, hint);
  if (data.timezone !== undefined && data.timezone !== null) {
    const problem =
      typeof data.timezone === 'string'
        ? configuredZoneProblem(data.timezone, isValidZone)
        : { problem: `${describeValue(data.timezone)} is not a time zone name`, hint: 'Use an IANA name such as UTC, Europe/Berlin or America/Los_Angeles.' };
    // `inc init --timezone` is how a bad zone is mended: it must be able to open the repository.
    if (problem && !zoneLenient) {
      throw new FileError(file, lineOf('timezone'), `timezone: ${problem.problem}`, `${problem.hint} Change it with \`inc init --timezone ZONE\`.`);
    }
    if (!problem) config.timezone = data.timezone as string;
  }
  if (data.commit !== undefined && data.commit !== null) {
    if (typeof data.commit !== 'boolean') throw invalid('commit', 'must be true or false');
    config.commit = data.commit;
  }
  if (data.lock_timeout_seconds !== undefined && data.lock_timeout_seconds !== null) {
    const seconds = data.lock_timeout_seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) throw invalid('lock_timeout_seconds', 'must be a positive number of seconds');
    config.lockTimeoutSeconds = seconds;
  }
  if (data.blameless !== undefined && data.blameless !== null) {
    config.blame = blameRules(data.blameless, () => invalid('blameless', 'must be a mapping of add: and silence: lists of phrases', 'For example:\nblameless:\n  add: [cowboy deploy]\n  silence: [blame]'));
  }
  // push: auto | off (false is off too). Anything else is refused rather than guessed.
  if (data.push !== undefined && data.push !== null) {
    if (data.push === 'auto') config.push = 'auto';
    else if (data.push === 'off' || data.push === false) config.push = 'off';
    else throw invalid('push', 'must be auto (push after each write, in the background) or off');
  }
  if (data.public_services !== undefined && data.public_services !== null) {
    const names = data.public_services;
    const valid =
      typeof names === 'object' && !Array.isArray(names) && Object.values(names as Record<string, unknown>).every((name) => typeof name === 'string' && name.trim() !== '');
    if (!valid) throw invalid('public_services', 'must map service names to the names customers know them by', 'Such as:\npublic_services:\n  payment-service: Payments');
    config.publicServices = { ...(names as Record<string, string>) };
  }
  return config;
}

/** `blameless:` as rules: lists of phrases of one line each; anything else is refused with its line. */
function blameRules(value: unknown, invalid: () => FileError): BlameRules {
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid();
  const record = value as Record<string, unknown>;
  const phrases = (key: string): string[] => {
    const list = record[key];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.trim() === '' || p.length > 200 || /[\n\r]/.test(p))) throw invalid();
    return list as string[];
  };
  if (Object.keys(record).some((key) => key !== 'add' && key !== 'silence')) throw invalid();
  return { add: phrases('add'), silence: phrases('silence') };
}

/** The config's keys and the line of each: the fast reader first, `yaml` for what it declines. */
async function readConfigData(text: string, file: string): Promise<{ data: Record<string, unknown>; lineOf: (key: string) => number }> {
  const simple = readSimpleMapping(text);
  if (simple) return { data: simple.data, lineOf: (key) => simple.keyLines[key] ?? 1 };
  const { readYamlFile } = await import('../domain/yaml-document.js');
  const parsed = readYamlFile(text, file);
  const data = parsed.data && typeof parsed.data === 'object' ? (parsed.data as Record<string, unknown>) : {};
  return { data, lineOf: (key) => parsed.lineOf([key]) };
}

/** A config value as a message shows it: `"Mars/Base"`, `yes`, a list. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return '(a list)';
  if (typeof value === 'object') return '(a mapping)';
  return typeof value === 'string' ? quoteForMessage(value) : String(value);
}

/** `zoneLenient`: a bad configured zone is read as UTC instead of refused (for `inc init --timezone`). */
export async function openProject(ctx: Whereabouts, options: { zoneLenient?: boolean } = {}): Promise<Project> {
  checkedFolders.clear();
  const repo = findRepo(ctx);
  const config = await readConfig(repo.root, options.zoneLenient);
  const override = ctx.env.INC_TZ;
  if (override) {
    const problem = configuredZoneProblem(override, isValidZone);
    if (problem) throw new UsageError(`INC_TZ=${override} ${problem.problem.slice(override.length + 1)}`, problem.hint);
    const note = etcGmtNote(override);
    if (note) ctx.stderr?.write(`note: INC_TZ: ${note}\n`);
    config.timezone = override;
  }
  return { ...repo, config, stateDir: join(repo.gitDir, 'inc'), fileClock: ctx.fileClock ?? Date.now, cwd: ctx.cwd, dryRun: ctx.dryRun === true, saveCaches: !isCiEnvironment(ctx.env) };
}

/** Path relative to the repository root with forward slashes: what git and messages show. */
export function repoPath(project: Pick<GitRepo, 'root'>, absolute: string): string {
  return relative(project.root, absolute).split(sep).join('/');
}

/** The absolute path of a repository path (forward slashes): repoPath's inverse. */
export function absolutePath(project: Pick<GitRepo, 'root'>, relativePath: string): string {
  return join(project.root, ...relativePath.split('/'));
}

/** The error for a repository without a severity matrix: `inc init` has not been run. */
export function noMatrix(root: string): IncError {
  return new IncError(`this repository has no ${MATRIX_FILE} (${root})`, 1, 'Run `inc init` first to set it up.');
}

export function requireInitialised(project: Project): void {
  if (!existsSync(join(project.root, MATRIX_FILE))) throw noMatrix(project.root);
}
