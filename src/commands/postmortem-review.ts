/**
 * inc postmortem approve | publish: the review step of a postmortem, recorded in its front
 * matter in one commit, so that "published on time" in stats rests on a recorded date and a
 * draft cannot pass for a finished review. approve adds the reviewer (status in-review);
 * publish sets status published and published_at, and refuses while `inc check` finds an
 * error in the postmortem.
 */
import { checkIncident, type Finding } from '../domain/check.js';
import { IncError, UsageError } from '../domain/errors.js';
import { isIncidentId } from '../domain/ids.js';
import { templatePrompts } from '../domain/postmortem.js';
import { dateInZone } from '../domain/time.js';
import { readYamlFile, updateFrontMatter } from '../domain/yaml-document.js';
import { splitFrontMatter } from '../domain/frontmatter.js';
import { type Context, writeErr, writeOut } from '../io/context.js';
import { visible } from '../domain/sanitise.js';
import { currentBranch } from '../store/git.js';
import { INCIDENT_FILE, incidentPath, POSTMORTEM_FILE, readOptionalFile, TIMELINE_FILE } from '../store/incidents.js';
import { loadMatrix } from '../store/matrix.js';
import { openProject, type Project, requireInitialised } from '../store/project.js';
import { loadTemplate, shippedTemplate } from '../store/templates.js';
import { REVIEW_BRANCH_PREFIX, writeAndCommit } from '../store/write.js';
import { cleanText, newCommand, noCommitOption } from './shared.js';

type ReviewStep = 'approve' | 'publish';

interface ReviewOptions {
  reviewer?: string;
  commit: boolean;
}

export function approveCommand(ctx: Context) {
  return newCommand('approve', 'Record a reviewer\'s approval of the postmortem (status in-review); one commit', [
    'inc postmortem approve                      # on branch postmortem/<id>: you approve it',
    'inc postmortem approve --reviewer "Dana Lee"',
    'inc postmortem approve 2026-03-15-payment-processing-outage',
  ])
    .argument('[id]', 'the incident (default: the one of the postmortem/<id> branch you are on)')
    .option('--reviewer <name>', 'who approves it (default: your git identity)')
    .addOption(noCommitOption())
    .action(async (id: string | undefined, opts: ReviewOptions) => {
      await runReview(ctx, 'approve', id, opts);
    });
}

export function publishCommand(ctx: Context) {
  return newCommand('publish', 'Mark the postmortem published (status, reviewers, published_at); refused while `inc check` finds an error in it', [
    'inc postmortem publish',
    'inc postmortem publish --reviewer "Dana Lee"   # approve and publish in one step',
  ])
    .argument('[id]', 'the incident (default: the one of the postmortem/<id> branch you are on)')
    .option('--reviewer <name>', 'add this reviewer too')
    .addOption(noCommitOption())
    .action(async (id: string | undefined, opts: ReviewOptions) => {
      await runReview(ctx, 'publish', id, opts);
    });
}

/** The incident whose postmortem is meant: the one named, else the review branch's. */
async function reviewedIncident(project: Project, explicit: string | undefined, step: ReviewStep): Promise<string> {
  if (explicit !== undefined) {
    if (!isIncidentId(explicit)) throw new UsageError(`"${explicit}" is not an incident id (YYYY-MM-DD-slug)`, 'List incidents with `inc list --all`.');
    return explicit;
  }
  const branch = await currentBranch(project);
  if (branch?.startsWith(REVIEW_BRANCH_PREFIX)) return branch.slice(REVIEW_BRANCH_PREFIX.length);
  throw new UsageError(
    `which postmortem? You are not on a ${REVIEW_BRANCH_PREFIX}<id> branch`,
    `Name the incident: inc postmortem ${step} <id>, or switch to its branch first (git switch ${REVIEW_BRANCH_PREFIX}<id>).`,
  );
}

function listValue(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  return typeof value === 'string' && value.trim() !== '' ? [value] : [];
}

/** The errors `inc check` would report for this incident with the postmortem as it would be published. */
function publishErrors(project: Project, id: string, postmortem: string, now: number): Finding[] {
  const zone = project.config.timezone;
  const prompts = new Set([...templatePrompts(loadTemplate(project.root, 'postmortem.md').text), ...templatePrompts(shippedTemplate('postmortem.md'))]);
  const files = {
    id,
    folder: incidentPath(id),
    incident: readOptionalFile(project, incidentPath(id, INCIDENT_FILE)),
    timeline: readOptionalFile(project, incidentPath(id, TIMELINE_FILE)),
    postmortem,
  };
  const findings = checkIncident(files, { matrix: loadMatrix(project), today: dateInZone(now, zone), now, zone, prompts });
  return findings.filter((f) => f.level === 'error' && f.file.endsWith(POSTMORTEM_FILE));
}

export async function runReview(ctx: Context, step: ReviewStep, explicit: string | undefined, opts: ReviewOptions): Promise<void> {
  const project = await openProject(ctx);
  requireInitialised(project);
  const id = await reviewedIncident(project, explicit, step);
  const path = incidentPath(id, POSTMORTEM_FILE);
  const named = opts.reviewer === undefined ? undefined : cleanText(opts.reviewer, 'reviewer name');
  const now = ctx.now().getTime();
  const today = dateInZone(now, project.config.timezone);
  let summary = '';
  // The line for scripts: `<id> approved <reviewer>` or `<id> published <date>`.
  let outcome = '';

  const result = await writeAndCommit(project, { noCommit: !opts.commit }, ({ author }) => {
    const text = readOptionalFile(project, path);
    if (text === undefined) {
      throw new IncError(
        `${path} does not exist here`,
        1,
        `It may be on its review branch: git switch ${REVIEW_BRANCH_PREFIX}${id}. Or start it with \`inc postmortem ${id}\`.`,
      );
    }
    const data = readYamlFile(splitFrontMatter(text, path).yaml, path).data as Record<string, unknown> | null;
    const status = typeof data?.status === 'string' ? data.status : 'draft';
    const reviewers = listValue(data?.reviewers);
    // Names match case aside: "dana lee" approving again is Dana Lee, already listed.
    const reviewer = step === 'approve' ? (named ?? author.name) : named;
    if (reviewer !== undefined && !reviewers.some((r) => r.toLowerCase() === reviewer.toLowerCase())) reviewers.push(reviewer);

    if (step === 'approve') {
      if (status === 'published') throw new IncError(`the postmortem of ${id} is already published`, 1, 'Nothing to approve; edit it and keep it published, or set status by hand.');
      const changes: Record<string, unknown> = { status: 'in-review', reviewers };
      summary = `Approved by ${reviewer}; reviewers: ${reviewers.join(', ')}.`;
      outcome = `approved ${visible(reviewer!)}`;
      return { files: [{ path, content: updateFrontMatter(text, path, changes) }], message: `inc(${id}): postmortem approved by ${reviewer}` };
    }

    if (status === 'published') throw new IncError(`the postmortem of ${id} is already published`, 1);
    if (reviewers.length === 0) {
      throw new UsageError(`the postmortem of ${id} has no reviewer; a postmortem is published once someone has approved it`, `Approve it first (inc postmortem approve), or name the reviewer: inc postmortem publish --reviewer NAME`);
    }
    const published = updateFrontMatter(text, path, { status: 'published', reviewers, published_at: today });
    const errors = publishErrors(project, id, published, now);
    if (errors.length > 0) {
      throw new IncError(
        `the postmortem of ${id} is not ready to publish: inc check finds ${errors.length === 1 ? 'an error' : `${errors.length} errors`}`,
        1,
        errors.map((f) => `${f.file}:${f.line}: ${f.message}`).join('\n'),
      );
    }
    summary = `Published on ${today}; reviewers: ${reviewers.join(', ')}.`;
    outcome = `published ${today}`;
    return { files: [{ path, content: published }], message: `inc(${id}): publish the postmortem` };
  });
  writeOut(ctx, `${id} ${outcome}\n`);
  writeErr(ctx, `${summary}${result.committed ? '' : ' (not committed)'}`);
}
