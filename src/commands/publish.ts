/**
 * inc publish: a static site of the incidents (status page, history, one page per incident,
 * reports with SVG charts, Atom feed, Statuspage-shaped JSON) built from the files alone.
 * This file reads the repository; src/publish/ turns what it read into pages (no disk, no
 * git there), and writes the folder whole.
 */
import { join, resolve, sep } from 'node:path';
import { IncError, UsageError } from '../domain/errors.js';
import { splitFrontMatter } from '../domain/frontmatter.js';
import { parseActionItems, postmortemStatus } from '../domain/postmortem.js';
import { parseTimeline } from '../domain/timeline.js';
import { incidentTimeline } from '../domain/corrections.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { parsePublishConfig } from '../publish/config.js';
import type { RenderCache } from '../publish/markdown.js';
import type { PostmortemSource, SourceIncident } from '../publish/model.js';
import { buildSite } from '../publish/site.js';
import { assertOutputFolder, writeSite } from '../publish/output.js';
import { readConfigSection } from '../store/config-section.js';
import { cacheBuild, FileCache, packageFile, readCacheFile, statOf, writeCacheFile } from '../store/file-cache.js';
import { absolutePath, ifPresent, incidentPath, parseFrontMatterFile, POSTMORTEM_FILE, TIMELINE_FILE } from '../store/incidents.js';
import { loadMatrix } from '../store/matrix.js';
import { INCIDENTS_DIR, openProject, type Project, readRepoFileAndStat, repoPath, requireInitialised } from '../store/project.js';
import { loadAllIncidents, type IncidentRecord, warnProblems } from '../store/read-all.js';
import { dryRunOption, newCommand } from './shared.js';

export const DEFAULT_OUT = '_site';
const FILE_CACHE = 'publish-cache.json';
const RENDER_CACHE = 'publish-render-cache.json';

const NOTES = `
What a site holds:
  index.html            status of each service, open incidents with their latest update,
                        planned maintenance (publish.maintenance in .inc/config.yaml)
  history.html          every incident by month, filterable by service and severity
  incidents/<id>.html   milestones, metrics, timeline and postmortem of one incident
  reports.html          SVG charts (MTTx per month, severities, action items, coverage)
  feed.xml              Atom feed of incidents and their updates
  api/v2/summary.json   Statuspage API v2 shapes (also status, components, incidents)

Without --public the site is the internal edition: every incident, names, notes and draft
postmortems. --public keeps incidents marked \`public: true\` (or taken in by publish.public
in the config), published postmortems only, and redacts names, tickets and internal notes.
The folder is replaced whole on every run; inc refuses a folder it did not write.
`;

interface PublishFlags {
  out?: string;
  public?: boolean;
}

export function build(ctx: Context) {
  return newCommand('publish', 'Build a static status site: status, history, incident pages, reports, Atom and Statuspage JSON', [
    'inc publish                      # the internal edition, into _site/ at the repository root',
    'inc publish --public --out public',
    'python3 -m http.server -d _site  # or open _site/index.html: the site works from file://',
  ])
    .option('--out <dir>', `folder to write the site to (default: ${DEFAULT_OUT} at the repository root)`)
    .option('--public', 'only public incidents and published postmortems, with internal fields redacted')
    .addOption(dryRunOption())
    .addHelpText('after', NOTES)
    .action(async (flags: PublishFlags) => {
      await runPublish(ctx, flags);
    });
}

export async function runPublish(ctx: Context, flags: PublishFlags): Promise<void> {
  const project = await openProject(ctx);
  requireInitialised(project);
  const out = outputFolder(ctx, project, flags.out);
  const matrix = loadMatrix(project);
  const section = readConfigSection(project, 'publish');
  const config = parsePublishConfig(section.value, section.lineOf, section.file);
  const { records, problems } = await loadAllIncidents(project);
  warnProblems(ctx.stderr, problems);
  const incidents: SourceIncident[] = [];
  const fileCache = openFileCache(project);
  for (const record of records) {
    const source = await readSource(ctx, project, fileCache, record);
    if (source) incidents.push(source);
  }
  const listed = new Set(records.map((record) => record.incident.id));
  if (project.saveCaches) fileCache.save((path) => listed.has(path.split('/')[1]!));
  const renders = openRenderCache(project);
  const site = buildSite({ incidents, matrix, zone: project.config.timezone, now: ctx.now().getTime(), config, publicOnly: Boolean(flags.public), renderCache: renders.cache, codeBuild: pagesBuild() });
  if (project.saveCaches) renders.save();
  for (const id of site.skipped) writeErr(ctx, `inc: warning: ${incidentPath(id)}: the folder name cannot name a web page (letters, digits, ".", "_" and "-" only): left out`);
  if (ctx.dryRun) {
    assertOutputFolder(out);
    ctx.stdout.write(`# inc publish --dry-run: nothing was written.\n# Would write ${site.files.size} files to ${out}:\n${[...site.files.keys()].sort().join('\n')}\n`);
    return;
  }
  const { written, removed } = writeSite(out, site.files);
  ctx.stdout.write(`${out}\n`);
  const edition = flags.public ? 'public' : 'internal';
  const left = flags.public ? `; ${site.withheld} not public, ${site.postmortemsWithheld} unpublished postmortem${site.postmortemsWithheld === 1 ? '' : 's'} left out` : '';
  writeErr(ctx, `Published ${site.incidents} incident${site.incidents === 1 ? '' : 's'} (${edition} edition${left}); open ${out}${sep}index.html in a browser.`);
  writeErr(ctx, `${written} file${written === 1 ? '' : 's'} written${removed ? `, ${removed} removed` : ''}, ${site.files.size - written} unchanged.`);
}

/** The build of the code that renders pages (src/publish/ and the domain modules it formats with). */
function pagesBuild(): string | undefined {
  const modules = ['pages', 'html', 'markdown', 'charts', 'status', 'feeds', 'model', 'redact', 'site', 'assets'].map((m) => new URL(`../publish/${m}.js`, import.meta.url));
  return cacheBuild([...modules, new URL('../domain/time.js', import.meta.url), new URL('../domain/metrics.js', import.meta.url), packageFile('markdown-it/package.json')]);
}

function outputFolder(ctx: Context, project: Project, flag: string | undefined): string {
  if (flag !== undefined && flag.trim() === '') throw new UsageError('--out needs a folder, such as --out public');
  const out = flag === undefined ? resolve(project.root, DEFAULT_OUT) : resolve(ctx.cwd, flag);
  const inRepo = repoPath(project, out);
  // A folder under incidents/ would read as an incident next time; .git is git's.
  const inside = (folder: string) => inRepo === folder || inRepo.startsWith(`${folder}/`);
  if (inside(INCIDENTS_DIR) || inside('.git') || out === resolve(project.gitDir)) {
    throw new UsageError(`--out ${flag}: inc does not write a site into ${inRepo}`, 'Use a folder of its own, such as --out _site.');
  }
  return out;
}

/** What publish makes of each file of an incident, cached per file (store/file-cache.ts). */
type FileFacts = { timeline: SourceIncident['timeline'] } | { body: string } | { postmortem: PostmortemSource | null };

/**
 * Timelines, incident bodies and postmortems are cached like stats caches its facts: an
 * unchanged file gives back what was made of it without being read or parsed. Rendered
 * markdown is cached too, by its text (see renderCache).
 */
function openFileCache(project: Project): FileCache<FileFacts> {
  const modules = ['../domain/timeline.js', '../domain/frontmatter.js', '../domain/postmortem.js', '../domain/simple-yaml.js', '../domain/yaml-document.js', '../store/incidents.js'];
  return new FileCache<FileFacts>(project.stateDir, FILE_CACHE, [...modules.map((m) => new URL(m, import.meta.url)), new URL(import.meta.url), packageFile('yaml/package.json')], project.fileClock());
}

/**
 * Reads a file through the cache; `make` turns its text (undefined: no such file) into what
 * is kept, and says whether it may be kept (not when it warned: the warning must come again).
 */
async function cached<T extends FileFacts>(
  project: Project,
  cache: FileCache<FileFacts>,
  path: string,
  make: (text: string | undefined) => { value: T; keep: boolean } | Promise<{ value: T; keep: boolean }>,
): Promise<T> {
  const absolute = absolutePath(project, path);
  const stat = statOf(absolute);
  // Most incidents have no postmortem: asking costs less than the exception of a failed open.
  if (stat === null) return (await make(undefined)).value;
  const hit = stat && cache.has(path) ? cache.get(path, stat) : undefined;
  if (hit) return hit as T;
  const read = ifPresent(() => readRepoFileAndStat(absolute, path));
  const { value, keep } = await make(read?.text);
  if (read?.stat && keep) cache.set(path, read.stat, value);
  return value;
}

/** The three files of an incident; what cannot be read is a warning, and the rest is kept. */
async function readSource(ctx: Context, project: Project, cache: FileCache<FileFacts>, record: IncidentRecord): Promise<SourceIncident | undefined> {
  const { incident } = record;
  try {
    const timelinePath = incidentPath(incident.id, TIMELINE_FILE);
    const { timeline } = await cached(project, cache, timelinePath, (text) => {
      const parsed = parseTimeline(text ?? '', timelinePath);
      warnProblems(ctx.stderr, parsed.problems);
      const entries = parsed.entries.map(({ at, text: entryText, author, kind }) => ({ at, text: entryText, author, kind }));
      return { value: { timeline: entries }, keep: parsed.problems.length === 0 };
    });
    const { body } = await cached(project, cache, record.path, (text) => ({ value: { body: text === undefined ? '' : splitFrontMatter(text, record.path).body }, keep: true }));
    const postmortemPath = incidentPath(incident.id, POSTMORTEM_FILE);
    const { postmortem } = await cached(project, cache, postmortemPath, async (text) => {
      const read = text === undefined ? null : await readPostmortem(ctx, text, postmortemPath);
      return { value: { postmortem: read }, keep: text === undefined || read !== null };
    });
    // The published record is the corrected timeline, without the milestone rows a correction replaced.
    const corrected = incidentTimeline(incident, timeline).entries.filter((e) => !e.superseded);
    return { incident, timeline: corrected, body, postmortem };
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    warnProblems(ctx.stderr, [error]);
    return undefined;
  }
}

async function readPostmortem(ctx: Context, text: string, path: string): Promise<PostmortemSource | null> {
  try {
    const fm = await parseFrontMatterFile(text, path);
    // Plain objects, as JSON gives them back: what the cache can keep.
    const data = JSON.parse(JSON.stringify(fm.data)) as Record<string, unknown>;
    return { status: postmortemStatus(fm), data, body: fm.body, actionItems: parseActionItems(fm.body, fm.bodyStartLine) };
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    warnProblems(ctx.stderr, [error]);
    return null;
  }
}

/**
 * Markdown rendered in earlier runs, by a hash of its text and options: a site of 1,000
 * incidents is rebuilt without parsing a postmortem that did not change. Only the entries
 * this run used are kept, so the file does not grow.
 */
function openRenderCache(project: Project): { cache: RenderCache; save: () => void } {
  const path = join(project.stateDir, RENDER_CACHE);
  const build = cacheBuild([new URL('../publish/markdown.js', import.meta.url), packageFile('markdown-it/package.json')]);
  const stored = readCacheFile(path) as { build?: string; entries?: Record<string, string> } | undefined;
  const old = build !== undefined && stored?.build === build && stored.entries && typeof stored.entries === 'object' ? stored.entries : {};
  const used: Record<string, string> = {};
  let added = false;
  const cache: RenderCache = {
    get(key) {
      const html = Object.hasOwn(old, key) ? old[key] : undefined;
      if (typeof html === 'string') used[key] = html;
      return typeof html === 'string' ? html : undefined;
    },
    set(key, html) {
      used[key] = html;
      added = true;
    },
  };
  const save = () => {
    if (build !== undefined && (added || Object.keys(used).length !== Object.keys(old).length)) writeCacheFile(path, { build, entries: used });
  };
  return { cache, save };
}
