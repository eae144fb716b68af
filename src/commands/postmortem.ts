/**
 * inc postmortem: scaffold incidents/<id>/postmortem.md from the template, pre-filled from the
 * incident (metadata, impact window, timeline, figures), on its own branch `postmortem/<id>`
 * so that it is finished and approved in a pull request. The branch is made with git
 * plumbing, so the responder stays on their branch (an incident may still be running) unless
 * they ask to switch. It never overwrites a postmortem, and it refuses before touching
 * anything when git would get in the way. `--refresh` (postmortem-refresh.ts) later rewrites
 * the blocks it generated, and nothing else.
 */
import { existsSync } from 'node:fs';
import { IncError, UsageError } from '../domain/errors.js';
import { postmortemDueDate, postmortemFrontMatter, postmortemTemplateValues } from '../domain/postmortem.js';
import { findSeverity } from '../domain/severity.js';
import { renderTemplate } from '../domain/template.js';
import { renderFrontMatter } from '../domain/yaml-document.js';
import { canPrompt, type Context, writeErr } from '../io/context.js';
import { askConfirm } from '../io/prompts.js';
import { branchExists, currentBranch, gitIdentity, gitWords, operationInProgress, switchBranch, uncommittedChanges } from '../store/git.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { absolutePath, incidentPath, POSTMORTEM_FILE } from '../store/incidents.js';
import { loadPostmortemFacts } from '../store/postmortems.js';
import { openProject, type Project, requireInitialised } from '../store/project.js';
import { loadTemplate } from '../store/templates.js';
import { REVIEW_BRANCH_PREFIX, writeAndCommit, type WritePlan, type WriteSession, writeToNewBranch } from '../store/write.js';
import { matrixFor } from './matrix.js';
import { runRefresh } from './postmortem-refresh.js';
import { approveCommand, publishCommand } from './postmortem-review.js';
import { newCommand, noCommitOption } from './shared.js';

export interface PostmortemOptions {
  force?: boolean;
  branch: boolean;
  commit: boolean;
  /** Switch to the new branch after committing to it, to edit the postmortem there. */
  switch?: boolean;
  /** Rewrite the generated blocks of the existing postmortem instead of scaffolding one. */
  refresh?: boolean;
}

/** --refresh rewrites the postmortem where it is: the scaffold's flags mean nothing to it. */
function refuseScaffoldFlags(opts: PostmortemOptions): void {
  const given = [opts.force && '--force', opts.switch && '--switch', !opts.branch && '--no-branch'].filter((flag): flag is string => typeof flag === 'string');
  if (given.length > 0) {
    throw new UsageError(`--refresh cannot be combined with ${given.join(', ')}: those are for starting a postmortem`, 'Refresh on the branch you are on: inc postmortem --refresh [ID] (with --no-commit or --dry-run if you like).');
  }
}

export function build(ctx: Context) {
  return newCommand('postmortem', 'Scaffold the blameless postmortem, pre-filled from the incident, on a branch for review; --refresh rewrites its generated blocks after a correction', [
    'inc postmortem',
    'inc postmortem 2026-03-15-payment-processing-outage',
    'inc postmortem --switch             # and switch to its branch to edit it now',
    'inc postmortem --no-branch          # commit on the current branch instead',
    'inc postmortem --force              # the incident is not resolved yet (no terminal to ask on)',
    'inc postmortem --refresh            # after a correction: rewrite the generated blocks, keep your text',
    'inc postmortem --refresh 2026-03-15-payment-processing-outage --dry-run   # the diff it would commit',
    'inc postmortem approve              # review: record your approval (see inc postmortem approve --help)',
    'inc postmortem publish              # review: mark it published, once inc check passes',
  ])
    .argument('[id]', 'the incident (default: the resolved incident that still needs one, else the current one)')
    .option('-f, --force', 'scaffold it although the incident is not resolved, without asking')
    .option('--switch', 'switch to the postmortem/<id> branch once it is made (default: stay where you are)')
    .option('--no-branch', 'commit on the current branch instead of a new postmortem/<id> branch')
    .option('--refresh', 'rewrite the generated blocks of an existing postmortem (metadata, impact, timeline, metrics) from the incident files, keeping every other line; one commit on the current branch')
    .addOption(noCommitOption())
    .action(async (id: string | undefined, opts: PostmortemOptions) => {
      if (opts.refresh) {
        refuseScaffoldFlags(opts);
        await runRefresh(ctx, id, { commit: opts.commit });
        return;
      }
      await runPostmortem(ctx, id, opts);
    })
    // Options after `approve`/`publish` are theirs (their --no-commit), not the scaffold's.
    .enablePositionalOptions()
    .addCommand(approveCommand(ctx))
    .addCommand(publishCommand(ctx));
}

/**
 * With no id, the postmortem meant is the one owed: a resolved incident whose severity
 * requires one and that has none yet (here or on its review branch). One such incident is
 * taken; several are listed (asked on a terminal); none falls back to the current incident.
 */
async function owedPostmortem(ctx: Context, project: Project): Promise<string | undefined> {
  const { loadAllIncidents } = await import('../store/read-all.js');
  const matrix = matrixFor(ctx, project);
  const { records } = await loadAllIncidents(project);
  const owed: { id: string; resolved: number }[] = [];
  for (const { incident } of records) {
    const resolved = incident.milestones.resolved;
    if (incident.status !== 'resolved' || resolved === undefined || incident.drill) continue;
    if (!findSeverity(matrix, incident.severity)?.postmortemRequired) continue;
    if (existsSync(absolutePath(project, incidentPath(incident.id, POSTMORTEM_FILE)))) continue;
    if (await branchExists(project, postmortemBranch(incident.id))) continue;
    owed.push({ id: incident.id, resolved });
  }
  owed.sort((a, b) => b.resolved - a.resolved);
  if (owed.length <= 1) return owed[0]?.id;
  const ids = owed.map((o) => o.id);
  if (!canPrompt(ctx)) {
    throw new UsageError(`${owed.length} resolved incidents still need a postmortem: ${ids.join(', ')}`, `Name one: inc postmortem ${ids[0]}`);
  }
  const { askSelect } = await import('../io/prompts.js');
  return askSelect(ctx, {
    flag: '<id>',
    example: `inc postmortem ${ids[0]}`,
    message: 'Which incident\'s postmortem? (resolved, none written yet; latest first)',
    choices: ids.map((id) => ({ value: id, name: id })),
  });
}

export function postmortemBranch(id: string): string {
  return `${REVIEW_BRANCH_PREFIX}${id}`;
}

/**
 * --switch, after the branch is made: when local changes are in the way git refuses before
 * changing anything, and the error says the branch is there.
 */
async function switchTo(project: Project, branch: string): Promise<void> {
  const result = await switchBranch(project, branch);
  if (result.code === 0) return;
  throw new IncError(
    `the postmortem is committed on branch ${branch}, but git could not switch to it: ${gitWords(result)}`,
    1,
    `Commit or stash the changes git names, then: git switch ${branch}`,
  );
}

async function confirmUnresolved(ctx: Context, id: string, status: string, force: boolean | undefined): Promise<void> {
  if (force) return;
  const question = `${id} is not resolved (status: ${status}). Scaffold its postmortem anyway?`;
  if (!canPrompt(ctx)) {
    throw new UsageError(`${id} is not resolved yet (status: ${status}); nothing was written`, 'Resolve it first (`inc resolve`), or pass --force to scaffold the postmortem now.');
  }
  const answer = await askConfirm(ctx, { message: question, default: false, flag: '--force', example: `inc postmortem ${id} --force` });
  if (!answer) throw new IncError('nothing written: the incident is not resolved', 1, 'Run `inc postmortem` again once it is resolved.');
}

/** Everything that would make the branch or the commit fail, checked before anything changes. */
async function refuseWhenGitIsInTheWay(project: Project, id: string, branch: string | undefined, commit: boolean): Promise<void> {
  const folder = incidentPath(id);
  const operation = operationInProgress(project.gitDir);
  if (operation) {
    throw new IncError(`${operation} is in progress; nothing was written`, 1, 'Finish or abort it, then run `inc postmortem` again.');
  }
  if (!commit) return;
  await gitIdentity(project);
  const changes = await uncommittedChanges(project, [folder]);
  if (changes.length > 0) {
    throw new IncError(
      `${folder} has changes that are not committed; nothing was written`,
      1,
      `Commit them first (git add ${folder} && git commit), so that the postmortem branch starts from them:\n${changes.map((c) => `  ${c}`).join('\n')}`,
    );
  }
  if (branch === undefined) return;
  if (await branchExists(project, branch)) {
    throw new IncError(
      `branch ${branch} already exists; nothing was written`,
      1,
      `The postmortem may be on it already: git switch ${branch}. To start over: git branch -D ${branch}`,
    );
  }
}

export async function runPostmortem(ctx: Context, explicitId: string | undefined, opts: PostmortemOptions): Promise<string> {
  const project = await openProject(ctx);
  requireInitialised(project);
  const reviewOpts = { use: 'review', what: 'ID' } as const;
  const id = explicitId === undefined ? ((await owedPostmortem(ctx, project)) ?? (await resolveIncidentId(project, undefined, reviewOpts))) : await resolveIncidentId(project, explicitId, reviewOpts);
  const path = incidentPath(id, POSTMORTEM_FILE);
  if (existsSync(absolutePath(project, path))) {
    throw new IncError(
      `${path} already exists; inc never overwrites a postmortem`,
      1,
      `Edit it by hand; to bring its generated blocks up to date with the incident files: inc postmortem --refresh ${id}. Or delete it first to start over.`,
    );
  }
  const facts = await loadPostmortemFacts(project, id);
  const { incident } = facts;
  const matrix = matrixFor(ctx, project);
  const level = findSeverity(matrix, incident.severity);
  if (!level) writeErr(ctx, `inc: warning: severity ${incident.severity} is not in ${matrix.file}; the postmortem gets no due date`);
  const template = loadTemplate(project.root, 'postmortem.md');
  if (incident.status !== 'resolved') await confirmUnresolved(ctx, id, incident.status, opts.force);

  const commit = opts.commit && project.config.commit;
  // Already on the review branch (made by hand, say): commit there.
  const onBranch = (await currentBranch(project)) === postmortemBranch(id);
  const branch = commit && opts.branch && !onBranch ? postmortemBranch(id) : undefined;
  await refuseWhenGitIsInTheWay(project, id, branch, commit);

  const zone = project.config.timezone;
  const dueDate = postmortemDueDate(incident.milestones.resolved, ctx.now().getTime(), zone, level);
  const scaffold = ({ author }: WriteSession): WritePlan => {
    const authors = [author.name];
    const values = postmortemTemplateValues({ ...facts, level, zone, authors });
    const body = `\n${renderTemplate(template.text, values)}`;
    return {
      files: [{ path, content: renderFrontMatter(postmortemFrontMatter(id, authors, dueDate), body) }],
      message: `inc(${id}): start the postmortem`,
    };
  };
  const due = dueDate ? `; due ${dueDate}` : '';
  if (branch) {
    await writeToNewBranch(project, branch, scaffold);
    ctx.stdout.write(`${id} postmortem ${path}\n`);
    writeErr(ctx, `Started the postmortem of ${id} on branch ${branch} (committed)${due}.`);
    if (opts.switch) {
      await switchTo(project, branch);
      writeErr(ctx, `Switched to branch ${branch}. Next: fill in every section and the action items (\`inc check\` says what is missing), then`);
    } else {
      const here = await currentBranch(project);
      writeErr(ctx, `You are still on ${here ? `branch ${here}` : 'the commit you were on'}; your files and staged changes are as they were.`);
      writeErr(ctx, `Next: edit it on its branch (git switch ${branch}), fill in every section and the action items (\`inc check\` says what is missing), then`);
    }
    writeErr(ctx, `  git push -u origin ${branch}\nand open a pull request for review.`);
    return path;
  }
  const result = await writeAndCommit(project, { noCommit: !commit }, scaffold);
  ctx.stdout.write(`${id} postmortem ${path}\n`);
  const where = onBranch ? ` on branch ${postmortemBranch(id)}` : '';
  writeErr(ctx, `Started the postmortem of ${id}${where}${result.committed ? ' (committed)' : ' (not committed)'}${due}.`);
  writeErr(ctx, 'Next: fill in every section and the action items (`inc check` says what is missing), then');
  if (onBranch && result.committed) writeErr(ctx, `  git push -u origin ${postmortemBranch(id)}\nand open a pull request for review.`);
  else writeErr(ctx, '  commit it, push it and open a pull request for review.');
  return path;
}
