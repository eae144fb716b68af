/**
 * inc merge-driver: git's merge driver for incident.md (`.gitattributes`: merge=inc), run
 * by git during a merge, rebase or cherry-pick as `inc merge-driver %O %A %B %P`. It merges
 * the front matter field by field (domain/merge.ts) and the markdown body as text, writes
 * the result over %A and exits 0. It never writes conflict markers: a side it cannot parse
 * leaves this clone's version in place and exits 1, so git reports the conflict.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitError, IncError } from '../domain/errors.js';
import { splitFrontMatter } from '../domain/frontmatter.js';
import { mergeFields, mergeNoteText, type Side } from '../domain/merge.js';
import { parseTimeline, type TimelineEntry } from '../domain/timeline.js';
import { updateFrontMatter } from '../domain/yaml-document.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { type GitRepo, runGit } from '../store/git.js';
import { parseFrontMatterFile } from '../store/incidents.js';
import { addPendingNotes } from '../store/merge-notes.js';
import { findRepo } from '../store/project.js';
import { newCommand } from './shared.js';

export function build(ctx: Context) {
  return newCommand('merge-driver', 'git merge driver for incident.md: merges field by field (inc init registers it; git runs it)', [
    'git config merge.inc.driver "inc merge-driver %O %A %B %P"   # what inc init, every write and inc sync set',
  ])
    .argument('<base>', "the common ancestor's version (git's %O)")
    .argument('<ours>', "this side's version, replaced by the result (git's %A)")
    .argument('<theirs>', "the other side's version (git's %B)")
    .argument('[path]', "the file's path in the repository (git's %P)")
    .action(async (base: string, ours: string, theirs: string, path: string | undefined) => {
      await runMergeDriver(ctx, { base, ours, theirs, path: path ?? 'incident.md' });
    });
}

interface DriverFiles {
  base: string;
  ours: string;
  theirs: string;
  path: string;
}

/**
 * The commit whose version is "theirs": git names it in GITHEAD_<sha> for a merge; a rebase
 * or cherry-pick is replaying the last commit of rebase-merge/done or CHERRY_PICK_HEAD.
 */
function theirsCommit(ctx: Context, gitDir: string): string | undefined {
  const named = Object.keys(ctx.env).find((key) => /^GITHEAD_[0-9a-f]{40,64}$/.test(key));
  if (named) return named.slice('GITHEAD_'.length);
  const read = (file: string) => {
    try {
      return readFileSync(join(gitDir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const done = read('rebase-merge/done');
  if (done) {
    const last = done.split('\n').filter((line) => /^\s*[a-z]+\s+[0-9a-f]{7,}/.test(line)).pop();
    const sha = last ? /^\s*[a-z]+\s+([0-9a-f]{7,})/.exec(last)?.[1] : undefined;
    if (sha) return sha;
  }
  return read('CHERRY_PICK_HEAD')?.trim() || read('REVERT_HEAD')?.trim() || undefined;
}

async function timelineAt(repo: GitRepo, commit: string | undefined, folder: string): Promise<TimelineEntry[]> {
  if (commit === undefined) return [];
  const path = `${folder}/timeline.md`;
  const result = await runGit(repo, ['cat-file', '-p', `${commit}:${path}`]);
  return result.code === 0 ? parseTimeline(result.stdout, path).entries : [];
}

/** The bodies merged as text by `git merge-file`; where both changed the same lines, both are kept. */
async function mergeBodies(repo: GitRepo, base: string, ours: string, theirs: string): Promise<string> {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  const dir = mkdtempSync(join(tmpdir(), 'inc-merge-'));
  try {
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const result = await runGit(repo, ['merge-file', '-p', '--union', file('ours', ours), file('base', base), file('theirs', theirs)]);
    if (result.code < 0 || result.code > 127) throw new IncError(`git merge-file failed: ${result.stderr.trim()}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runMergeDriver(ctx: Context, files: DriverFiles): Promise<void> {
  const repo = findRepo(ctx);
  const at = (name: string) => resolve(ctx.cwd, name);
  const texts = { base: readFileSync(at(files.base), 'utf8'), ours: readFileSync(at(files.ours), 'utf8'), theirs: readFileSync(at(files.theirs), 'utf8') };
  let parsed;
  try {
    parsed = {
      base: texts.base.trim() === '' ? { data: {}, body: '' } : await parseFrontMatterFile(texts.base, files.path),
      ours: await parseFrontMatterFile(texts.ours, files.path),
      theirs: await parseFrontMatterFile(texts.theirs, files.path),
    };
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    // This clone's version stays in place, without markers; git reports the file as conflicted.
    writeErr(ctx, `inc merge-driver: ${error.message}; cannot merge ${files.path} field by field, kept this side's version: resolve it by hand`);
    throw new ExitError(1);
  }
  const folder = files.path.replace(/\/[^/]*$/, '');
  const timelines: Record<Side, TimelineEntry[]> = {
    ours: await timelineAt(repo, 'HEAD', folder),
    theirs: await timelineAt(repo, theirsCommit(ctx, repo.gitDir), folder),
  };
  const fields = mergeFields(parsed.base.data, parsed.ours.data, parsed.theirs.data, timelines);
  const body = await mergeBodies(repo, parsed.base.body, parsed.ours.body, parsed.theirs.body);
  const oursBody = splitFrontMatter(texts.ours, files.path).body;
  const head = updateFrontMatter(texts.ours, files.path, fields.changes);
  writeFileSync(at(files.ours), head.slice(0, head.length - oursBody.length) + body);

  const id = /^incidents\/([^/]+)\/incident\.md$/.exec(files.path)?.[1] ?? String(fields.merged.id ?? '');
  addPendingNotes(
    join(repo.gitDir, 'inc'),
    fields.notes.map((note) => ({ incident: id, at: note.droppedAt ?? note.keptAt ?? ctx.now().getTime(), text: mergeNoteText(note), key: note.key, kept: note.kept })),
  );
}
