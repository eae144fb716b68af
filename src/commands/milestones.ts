/**
 * inc ack | identify | mitigate | resolve: set a milestone in incident.md and log it in the
 * timeline, in one commit. Only the order that must hold in reality is enforced (see
 * ORDER_RULES): whatever order people type the milestones in, the same facts give the same
 * file. A milestone set to the value it already has writes nothing.
 */
import { IncError } from '../domain/errors.js';
import { closingOf, type Milestone, milestoneConflicts, milestoneKey, ORDER_RULES, recoveredBeforeDetection, statusOf } from '../domain/incident.js';
import { computeMetrics } from '../domain/metrics.js';
import { formatDuration, formatInZone, toIsoUtc, zoneLabel } from '../domain/time.js';
import { updateFrontMatter } from '../domain/yaml-document.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { openProject, type Project } from '../store/project.js';
import type { CommandModule } from './command.js';
import { changeIncident } from './incident-change.js';
import { MILESTONE_ROW_LABELS } from '../domain/corrections.js';
import { atOption, cleanText, excerpt, incidentOption, newCommand, noCommitOption, timeFromFlag } from './shared.js';

/**
 * How a milestone's timeline row begins: the first label the readers know it by
 * (domain/corrections.ts finds a milestone's rows, and marks the superseded ones, by it).
 */
const LABEL = Object.fromEntries(Object.entries(MILESTONE_ROW_LABELS).map(([milestone, labels]) => [milestone, labels[0]!])) as Record<Milestone, string>;

export interface MilestoneChange {
  milestone: Milestone;
  at: number;
  text?: string;
  /** inc milestone corrects a time already set; ack/mitigate/resolve refuse to. */
  allowOverwrite: boolean;
  incident?: string;
  noCommit: boolean;
  /** For `triggered`: the change or event that set it off. */
  ref?: string;
}

export async function recordMilestone(ctx: Context, project: Project, change: MilestoneChange): Promise<void> {
  const id = await resolveIncidentId(project, change.incident);
  const zone = project.config.timezone;
  let figures = '';
  let unchanged = false;
  const result = await changeIncident(project, id, change.noCommit, (loaded, author) => {
    const previous = loaded.incident.milestones[change.milestone];
    if (previous === change.at && (change.ref === undefined || change.ref === loaded.incident.triggerRef)) {
      unchanged = true;
      return null;
    }
    if (previous !== undefined && !change.allowOverwrite) {
      throw new IncError(
        `${id} is already ${change.milestone} (${milestoneKey(change.milestone)} ${toIsoUtc(previous)})`,
        1,
        `To correct it: inc milestone ${change.milestone} --at <time> --incident ${id}`,
      );
    }
    const milestones = { ...loaded.incident.milestones, [change.milestone]: change.at };
    const conflicts = milestoneConflicts(milestones).filter(
      (c) => c.earlier === change.milestone || c.later === change.milestone,
    );
    if (conflicts.length > 0) {
      throw new IncError(
        `refused: ${milestoneKey(change.milestone)} ${toIsoUtc(change.at)} would put the milestones out of order: ` +
          conflicts.map((c) => c.message).join('; '),
        1,
        `The order that must hold: ${ORDER_RULES} Correct the other one with \`inc milestone\`.`,
      );
    }
    const status = statusOf(milestones, closingOf(loaded.incident.status));
    const incidentText = updateFrontMatter(loaded.text, loaded.path, {
      [milestoneKey(change.milestone)]: toIsoUtc(change.at),
      ...(change.ref !== undefined ? { trigger_ref: change.ref } : {}),
      status,
    });
    const verb = previous === undefined ? LABEL[change.milestone] : `${LABEL[change.milestone]} (corrected from ${toIsoUtc(previous)})`;
    const note = [change.ref === undefined ? '' : change.ref, change.text ?? ''].filter((part) => part !== '').join(' — ');
    const text = note ? `${verb}: ${note}` : verb;
    const metrics = computeMetrics(milestones, loaded.incident.relapses);
    const figure = change.milestone === 'mitigated' ? metrics.ttm : change.milestone === 'resolved' ? metrics.ttr : change.milestone === 'acknowledged' ? metrics.tta : null;
    figures =
      figure !== null
        ? ` (${formatDuration(figure)} after detection)`
        : (change.milestone === 'mitigated' || change.milestone === 'resolved') && recoveredBeforeDetection(milestones)
          ? ' (before detection: recovered before anyone noticed, so there is no time to mitigate)'
          : '';
    return {
      incidentText,
      rows: [{ at: change.at, text, author: author.name, kind: 'milestone' }],
      message: `inc(${id}): ${previous === undefined ? change.milestone : `correct ${change.milestone}`}${change.text ? ` "${excerpt(change.text)}"` : ''}`,
    };
  });
  if (unchanged) {
    ctx.stdout.write(`${id} ${change.milestone} ${toIsoUtc(change.at)}\n`);
    writeErr(ctx, `${id} is already ${change.milestone} at ${formatInZone(change.at, zone)} ${zoneLabel(zone)}: nothing to change.`);
    return;
  }
  ctx.stdout.write(`${id} ${change.milestone} ${toIsoUtc(change.at)}\n`);
  writeErr(
    ctx,
    `${LABEL[change.milestone]} at ${formatInZone(change.at, zone)} ${zoneLabel(zone)}${figures}${result.committed ? '' : ' (not committed)'}.`,
  );
}

function milestoneCommand(name: string, milestone: Milestone, description: string, examples: string[]): CommandModule {
  return {
    build(ctx: Context) {
      return newCommand(name, description, examples)
        .argument('[text...]', 'a note for the timeline')
        .addOption(atOption('it happened'))
        .addOption(incidentOption())
        .addOption(noCommitOption())
        .action(async (words: string[], opts: { at?: string; incident?: string; commit: boolean }) => {
          const project = await openProject(ctx);
          const text = words.length > 0 ? cleanText(words.join(' '), 'note') : undefined;
          const at = timeFromFlag(ctx, project, opts.at);
          await recordMilestone(ctx, project, { milestone, at, text, allowOverwrite: false, incident: opts.incident, noCommit: !opts.commit });
        });
    },
  };
}

export const ack = milestoneCommand('ack', 'acknowledged', 'Mark the incident acknowledged (someone is on it)', [
  'inc ack',
  'inc ack --at 14:06 "Alice acknowledges the page"',
]);
export const identify = milestoneCommand('identify', 'identified', 'Mark the cause identified', [
  'inc identify "NPE in the new payment validation path"',
]);
export const mitigate = milestoneCommand('mitigate', 'mitigated', 'Mark user impact mitigated (service restored, cause may remain)', [
  'inc mitigate "error rate back to baseline"',
  'inc mitigate --at 14:22',
]);
export const resolve = milestoneCommand('resolve', 'resolved', 'Mark the incident resolved', [
  'inc resolve "root cause fixed, monitoring clean"',
  'inc resolve --at "2026-03-15 15:00"',
]);
