/**
 * inc postmortem --refresh: rewrites the generated blocks of postmortem.md (between their
 * `<!-- inc:generated NAME -->` and `<!-- inc:end NAME -->` markers) from the incident files,
 * after a milestone or the timeline was corrected. Every byte outside the blocks is the
 * reviewers' and stays as it was. One commit on whatever branch is checked out (the review
 * branch, usually); nothing at all when the blocks are already up to date. A postmortem
 * without markers, or with broken ones, is not touched.
 */
import { IncError } from '../domain/errors.js';
import { BLOCK_NAMES, type BlockName, findBlocks, markerHelp, type PostmortemFacts, rewriteBlocks, staleBlocks } from '../domain/postmortem-blocks.js';
import { plural } from '../domain/words.js';
import { type Context, writeErr, writeOut } from '../io/context.js';
import { currentBranch } from '../store/git.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { incidentExists, incidentPath, parseFrontMatterFile, POSTMORTEM_FILE, readOptionalFile } from '../store/incidents.js';
import { loadPostmortemFacts } from '../store/postmortems.js';
import { openProject, type Project, requireInitialised } from '../store/project.js';
import { REVIEW_BRANCH_PREFIX, writeAndCommit } from '../store/write.js';

export interface RefreshOptions {
  commit: boolean;
}

/** The incident meant: the one named, else the review branch's, else as `inc postmortem` takes it. */
async function refreshedIncident(project: Project, explicit: string | undefined): Promise<string> {
  const options = { use: 'review', what: 'ID' } as const;
  if (explicit !== undefined) return resolveIncidentId(project, explicit, options);
  const branch = await currentBranch(project);
  const reviewed = branch?.startsWith(REVIEW_BRANCH_PREFIX) ? branch.slice(REVIEW_BRANCH_PREFIX.length) : undefined;
  if (reviewed !== undefined && incidentExists(project, reviewed)) return reviewed;
  return resolveIncidentId(project, undefined, options);
}

interface Refresh {
  text: string;
  refreshed: BlockName[];
  missing: BlockName[];
}

/** The postmortem with its out-of-date blocks rewritten; refused (nothing written) where its markers are missing or broken. */
async function planRefresh(project: Project, id: string, facts: PostmortemFacts): Promise<Refresh> {
  const path = incidentPath(id, POSTMORTEM_FILE);
  const text = readOptionalFile(project, path);
  if (text === undefined) {
    throw new IncError(`${path} does not exist here; nothing was written`, 1, `It may be on its review branch: git switch ${REVIEW_BRANCH_PREFIX}${id}. Or start it with \`inc postmortem ${id}\`.`);
  }
  const { bodyStartLine } = await parseFrontMatterFile(text, path);
  const { blocks, problems } = findBlocks(text, bodyStartLine);
  if (problems.length > 0) {
    throw new IncError(
      `the markers of the generated blocks in ${path} are not right; nothing was written`,
      1,
      `${problems.map((p) => `${path}:${p.line}: ${p.message}`).join('\n')}\nFix the markers (each block: a line <!-- inc:generated NAME -->, its content, a line <!-- inc:end NAME -->), then run \`inc postmortem --refresh ${id}\` again.`,
    );
  }
  const present = new Set(blocks.map((b) => b.name));
  const missing = BLOCK_NAMES.filter((name) => !present.has(name));
  if (blocks.length === 0) {
    throw new IncError(
      `${path} has no generated blocks (no <!-- inc:generated NAME --> markers), so inc does not rewrite it; nothing was written`,
      1,
      `Missing: ${missing.join(', ')}. It was written by hand or before inc kept postmortems up to date. To have inc keep a block up to date, put its two markers, each on a line of its own, where the block belongs (inc writes what goes between them):\n${markerHelp(missing)}\nthen run \`inc postmortem --refresh ${id}\` again.`,
    );
  }
  const stale = staleBlocks(text, blocks, facts, project.config.timezone).map((s) => s.block);
  return { text: rewriteBlocks(text, stale, facts, project.config.timezone), refreshed: stale.map((b) => b.name), missing };
}

export async function runRefresh(ctx: Context, explicitId: string | undefined, opts: RefreshOptions): Promise<string> {
  const project = await openProject(ctx);
  requireInitialised(project);
  const id = await refreshedIncident(project, explicitId);
  const path = incidentPath(id, POSTMORTEM_FILE);
  // Read once to say "nothing changed" without taking the lock; planned again under it.
  const first = await planRefresh(project, id, await loadPostmortemFacts(project, id));
  const notes = () => {
    for (const name of first.missing) writeErr(ctx, `note: ${path} has no ${name} block; add its markers to have it kept up to date:\n${markerHelp([name])}`);
  };
  if (first.refreshed.length === 0) {
    writeErr(ctx, `Nothing changed: the generated blocks of ${path} already match the incident files.`);
    notes();
    return path;
  }
  let refreshed: BlockName[] = [];
  const result = await writeAndCommit(project, { noCommit: !opts.commit }, async () => {
    const plan = await planRefresh(project, id, await loadPostmortemFacts(project, id));
    refreshed = plan.refreshed;
    return { files: [{ path, content: plan.text }], message: `inc(${id}): refresh the postmortem` };
  });
  // One line per change, as every write about an incident prints them.
  writeOut(ctx, refreshed.map((name) => `${id} refreshed ${name}\n`).join(''));
  const branch = await currentBranch(project);
  writeErr(
    ctx,
    `Refreshed ${plural(refreshed.length, 'block')} of ${path} (${refreshed.join(', ')})${result.committed ? `, committed${branch ? ` on branch ${branch}` : ''}` : ' (not committed)'}; the text outside the blocks is as it was.`,
  );
  notes();
  return path;
}
