/**
 * What real incidents do besides the textbook milestones:
 * - inc relapse: impact came back after a mitigation. The mitigation that did not hold moves
 *   to relapse_history (`<mitigated>/<relapsed>`), mitigated_at is empty again until the next
 *   `inc mitigate`, and the impact windows are summed.
 * - inc reopen: a resolved incident (or a declined/duplicate one) is open again; a resolution
 *   moves to reopen_history and the last resolution counts.
 * - inc decline / inc duplicate: closing without a response (a false alarm; a page for an
 *   incident already open). Left out of every figure and of the postmortem requirement.
 * Each is one commit of incident.md and a timeline row, like every milestone.
 */
import { IncError, UsageError } from '../domain/errors.js';
import { formatInterruption, type Incident, isClosedWithoutResponse, type Interruption, milestoneKey, statusOf } from '../domain/incident.js';
import { formatInZone, toIsoUtc, zoneLabel } from '../domain/time.js';
import { updateFrontMatter } from '../domain/yaml-document.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { findIncidentId, resolveIncidentId } from '../store/current-incident.js';
import { openProject, type Project } from '../store/project.js';
import type { CommandModule } from './command.js';
import { changeIncident } from './incident-change.js';
import { atOption, cleanText, excerpt, incidentOption, newCommand, noCommitOption, timeFromFlag } from './shared.js';

interface LifecycleOptions {
  at?: string;
  incident?: string;
  commit: boolean;
}

/** What one lifecycle command changes: front-matter keys, the timeline row, the sentence. */
interface LifecycleChange {
  fields: Record<string, unknown>;
  /** The timeline row's text, before the person's note. */
  row: string;
  /** stdout's `<id> <event> <value>`: the event and value. */
  event: string;
  value: string;
  /** The sentence for people, on stderr. */
  sentence: string;
}

/** One lifecycle command: its help, and the change it makes to the incident it acts on. */
interface LifecycleCommand {
  name: string;
  description: string;
  examples: string[];
  /** The positional argument before the note, if any (duplicate's <other>). */
  target?: { flags: string; description: string };
  note: { flags: string; description: string; what: string };
  /** The --at help: "when <this>". */
  atWhat: string;
  /** `review`: this clone's current incident is taken even when closed (reopen). */
  use?: 'review';
  /** The commit message's action. */
  action: (target: string | undefined) => string;
  plan: (run: { project: Project; id: string; at: number; target: string | undefined; opts: LifecycleOptions }, incident: Incident) => LifecycleChange;
}

function lifecycleCommand(command: LifecycleCommand): CommandModule {
  return {
    build(ctx: Context) {
      const cmd = newCommand(command.name, command.description, command.examples);
      if (command.target) cmd.argument(command.target.flags, command.target.description);
      return cmd
        .argument(command.note.flags, command.note.description)
        .addOption(atOption(command.atWhat))
        .addOption(incidentOption())
        .addOption(noCommitOption())
        .action(async (...args: unknown[]) => {
          const [target, words, opts] = (command.target ? args : [undefined, ...args]) as [string | undefined, string[], LifecycleOptions];
          const project = await openProject(ctx);
          const note = noteOf(words, command.note.what);
          const at = timeFromFlag(ctx, project, opts.at);
          const id = await resolveIncidentId(project, opts.incident, command.use ? { use: command.use } : {});
          const resolved = command.target && target !== undefined ? resolveTarget(project, id, target) : undefined;
          let change: LifecycleChange | undefined;
          const result = await changeIncident(project, id, !opts.commit, (loaded, author) => {
            change = command.plan({ project, id, at, target: resolved, opts }, loaded.incident);
            return {
              incidentText: updateFrontMatter(loaded.text, loaded.path, change.fields),
              rows: [{ at, text: note ? `${change.row}: ${note}` : change.row, author: author.name, kind: 'milestone' }],
              message: `inc(${id}): ${command.action(resolved)}${note ? ` "${excerpt(note)}"` : ''}`,
            };
          });
          ctx.stdout.write(`${id} ${change!.event} ${change!.value}\n`);
          writeErr(ctx, `${change!.sentence}${result.committed ? '' : ' (not committed)'}.`);
        });
    },
  };
}

/** duplicate's <other>: another incident, by id, prefix or title word. */
function resolveTarget(project: Project, id: string, query: string): string {
  const other = findIncidentId(project, query, '<other>');
  if (other === id) {
    throw new UsageError(`${id} cannot duplicate itself`, 'Name the other incident, the one that stays open: inc duplicate <other-id>');
  }
  return other;
}

function when(project: Project, at: number): string {
  const zone = project.config.timezone;
  return `${formatInZone(at, zone)} ${zoneLabel(zone)}`;
}

function noteOf(words: string[], what: string): string | undefined {
  return words.length > 0 ? cleanText(words.join(' '), what) : undefined;
}

function closedWithoutResponse(incident: Incident): boolean {
  return isClosedWithoutResponse(incident.status);
}

function refuseClosed(incident: Incident, doing: string): void {
  if (!closedWithoutResponse(incident)) return;
  throw new IncError(
    `${incident.id} is ${incident.status}${incident.duplicateOf ? ` (of ${incident.duplicateOf})` : ''}; it cannot ${doing}`,
    1,
    `If it is an incident after all: inc reopen --incident ${incident.id}`,
  );
}

// ---------------------------------------------------------------------------------------
// inc relapse

export const relapse = lifecycleCommand({
  name: 'relapse',
  description: 'Impact is back after a mitigation: not mitigated until the next `inc mitigate`; impact windows are summed',
  examples: ['inc relapse "error rate up again after the cache warmed"', 'inc relapse --at 14:40'],
  note: { flags: '[text...]', description: 'what came back, for the timeline', what: 'note' },
  atWhat: 'impact came back',
  action: () => 'relapse',
  plan: ({ project, id, at, opts }, incident) => {
    refuseClosed(incident, 'relapse');
    const { mitigated, resolved } = incident.milestones;
    if (resolved !== undefined) {
      throw new IncError(
        `${id} is resolved (resolved_at ${toIsoUtc(resolved)}); impact cannot come back to a resolved incident`,
        1,
        `Reopen it first, then record the relapse: inc reopen --incident ${id} "…" && inc relapse --incident ${id}${opts.at ? ` --at "${opts.at}"` : ''}`,
      );
    }
    if (mitigated === undefined) {
      throw new IncError(`${id} is not mitigated: impact has not ended, so it cannot come back`, 1, 'Log what happened instead: inc log "…"');
    }
    if (at < mitigated) {
      throw new IncError(
        `refused: a relapse at ${toIsoUtc(at)} would come before the mitigation it ends (mitigated_at ${toIsoUtc(mitigated)})`,
        1,
        `If the mitigation time is wrong, correct it first: inc milestone mitigated --at <time> --incident ${id}`,
      );
    }
    const relapses: Interruption[] = [...incident.relapses, { ended: mitigated, back: at }];
    const milestones = { ...incident.milestones };
    delete milestones.mitigated;
    return {
      fields: { mitigated_at: null, relapse_history: relapses.map(formatInterruption), status: statusOf(milestones) },
      row: `Relapsed: impact is back (relapse ${relapses.length}; the mitigation at ${toIsoUtc(mitigated)} did not hold)`,
      event: 'relapsed',
      value: toIsoUtc(at),
      sentence: `Impact is back at ${when(project, at)} (relapse ${relapses.length}): ${id} is not mitigated until the next \`inc mitigate\`; the escalation clock runs again`,
    };
  },
});

// ---------------------------------------------------------------------------------------
// inc reopen

export const reopen = lifecycleCommand({
  name: 'reopen',
  description: 'Reopen a resolved, declined or duplicate incident; the last resolution counts',
  examples: [
    'inc reopen --incident 2026-03-15-payment-processing-outage "errors are back after the weekend"',
    'inc reopen "the false alarm was real after all"   # the current incident of this clone',
  ],
  note: { flags: '[text...]', description: 'why, for the timeline', what: 'note' },
  atWhat: 'it was reopened',
  // A closed incident is the point: this clone's current one is taken even when closed.
  use: 'review',
  action: () => 'reopen',
  plan: ({ project, id, at }, incident) => {
    const { resolved } = incident.milestones;
    if (closedWithoutResponse(incident)) {
      return {
        fields: { status: statusOf(incident.milestones), closed_at: null, duplicate_of: null },
        row: `Reopened (was ${incident.status}${incident.duplicateOf ? ` of ${incident.duplicateOf}` : ''})`,
        event: 'reopened',
        value: toIsoUtc(at),
        sentence: `${id} is open again at ${when(project, at)} (it was ${incident.status}): it counts in the figures again`,
      };
    }
    if (resolved === undefined) {
      throw new IncError(`${id} is ${incident.status}, not closed: there is nothing to reopen`, 1, 'Record impact that came back after a mitigation with `inc relapse`.');
    }
    if (at < resolved) {
      throw new IncError(`refused: a reopen at ${toIsoUtc(at)} would come before the resolution it ends (resolved_at ${toIsoUtc(resolved)})`, 1);
    }
    const reopens: Interruption[] = [...incident.reopens, { ended: resolved, back: at }];
    const milestones = { ...incident.milestones };
    delete milestones.resolved;
    return {
      fields: { resolved_at: null, reopen_history: reopens.map(formatInterruption), status: statusOf(milestones) },
      row: `Reopened (the resolution at ${toIsoUtc(resolved)} did not hold)`,
      event: 'reopened',
      value: toIsoUtc(at),
      sentence: `${id} is open again at ${when(project, at)}; \`inc resolve\` when it is over (the last resolution counts). If users are affected again, \`inc relapse\` says so`,
    };
  },
});

// ---------------------------------------------------------------------------------------
// inc decline, inc duplicate

const CLOSING_NOTE = 'left out of every figure and of the postmortem requirement; `inc reopen` undoes it';

export const decline = lifecycleCommand({
  name: 'decline',
  description: 'Close as a false alarm (not an incident): left out of every figure and needs no postmortem',
  examples: ['inc decline "synthetic check flapped; no user impact"', 'inc decline --incident 2026-03-15-login-alert "the alert threshold was wrong"'],
  note: { flags: '[reason...]', description: 'why it is not an incident, for the timeline', what: 'reason' },
  atWhat: 'it was declined',
  action: () => 'decline',
  plan: ({ project, id, at }, incident) => {
    refuseClosed(incident, 'be declined');
    refuseBeforeDetection(incident, at, 'declined');
    return {
      fields: { status: 'declined', closed_at: toIsoUtc(at) },
      row: 'Declined (not an incident)',
      event: 'declined',
      value: toIsoUtc(at),
      sentence: `${id} is declined (not an incident) at ${when(project, at)}: ${CLOSING_NOTE}`,
    };
  },
});

export const duplicate = lifecycleCommand({
  name: 'duplicate',
  description: 'Close as a duplicate of another incident: left out of every figure and needs no postmortem',
  examples: ['inc duplicate 2026-03-15-payment-processing-outage', 'inc duplicate payment --incident 2026-03-15-checkout-errors "same outage, paged twice"'],
  target: { flags: '<other>', description: 'the incident this one duplicates: its id, a unique prefix or a word of its title' },
  note: { flags: '[reason...]', description: 'a note for the timeline', what: 'note' },
  atWhat: 'it was closed',
  action: (other) => `duplicate of ${other}`,
  plan: ({ project, id, at, target: other }, incident) => {
    refuseClosed(incident, 'be closed as a duplicate');
    refuseBeforeDetection(incident, at, 'closed');
    return {
      fields: { status: 'duplicate', duplicate_of: other, closed_at: toIsoUtc(at) },
      row: `Closed as a duplicate of ${other}`,
      event: 'duplicate',
      value: other!,
      sentence: `${id} is closed as a duplicate of ${other} at ${when(project, at)}: ${CLOSING_NOTE}`,
    };
  },
});

function refuseBeforeDetection(incident: Incident, at: number, done: string): void {
  const detected = incident.milestones.detected;
  if (detected !== undefined && at < detected) {
    throw new IncError(`refused: it cannot be ${done} at ${toIsoUtc(at)}, before it was detected (${milestoneKey('detected')} ${toIsoUtc(detected)})`, 1);
  }
}
