/**
 * inc status: the current incident at a glance, for the commander who needs to know what is
 * due next: roles, time since detection, the next stakeholder update (the matrix's cadence,
 * counted from the last update sent) and whether to escalate. Read-only.
 */
import { UsageError } from '../domain/errors.js';
import { incidentJson, timelineEntryJson } from '../domain/incident-json.js';
import { describeStatus, type Incident } from '../domain/incident.js';
import {
  DRILL_MARK,
  escalationState,
  type EscalationState,
  formatClock,
  minutesUntil,
  nextUpdateDue,
  type UpdateClock,
} from '../domain/response.js';
import { findSeverity, severityRank, type SeverityLevel } from '../domain/severity.js';
import { dateInZone, formatDuration, formatInZone, minutesBetween, roundMinutes, toIsoUtc, zoneLabel } from '../domain/time.js';
import type { CorrectedEntry } from '../domain/corrections.js';
import { chalkFor, severityColour } from '../io/colour.js';
import type { Context } from '../io/context.js';
import { cut, visibleWidth } from '../io/table.js';
import { writeErr, writeOut } from '../io/context.js';
import { getCurrentIncident, isClosedStatus, NoOpenIncidentError, resolveIncidentId } from '../store/current-incident.js';
import { loadCorrectedTimeline, loadIncident } from '../store/incidents.js';
import { openProject, type Project } from '../store/project.js';
import { warnProblems } from '../store/read-all.js';
import { matrixFor } from './matrix.js';
import { currentMark, incidentOption, jsonOption, newCommand, printJson } from './shared.js';
import { oneLine } from '../domain/text.js';
import { visibleDeep } from '../domain/sanitise.js';

export interface StatusOptions {
  incident?: string;
  json?: boolean;
  last: string;
}

export function build(ctx: Context) {
  return newCommand('status', 'The current incident at a glance: roles, elapsed time, next update due, escalation', [
    'inc status',
    'inc status --last 10',
    'inc status --json | jq .next_update',
    'watch -n 30 inc status',
  ])
    .addOption(incidentOption())
    .option('-n, --last <count>', 'how many recent timeline entries to show', '5')
    .addOption(jsonOption())
    .action(async (opts: StatusOptions) => {
      await runStatus(ctx, opts);
    });
}

export interface StatusReport {
  incident: Incident;
  level: SeverityLevel | undefined;
  now: number;
  zone: string;
  elapsedMinutes: number | null;
  update: UpdateClock | null;
  escalation: EscalationState | null;
  /** The corrected timeline: a retracted update or escalation no longer counts. */
  timeline: CorrectedEntry[];
  recent: CorrectedEntry[];
  /** Whether it is this clone's current incident, in words. */
  currentMark: string;
  current: boolean;
}

async function which(ctx: Context, project: Project, explicit: string | undefined): Promise<string | undefined> {
  try {
    return await resolveIncidentId(project, explicit, { use: 'read', note: (text) => writeErr(ctx, text) });
  } catch (error) {
    // Nothing open is an answer, not a mistake; several open and none current still is one.
    if (!explicit && error instanceof NoOpenIncidentError) return undefined;
    throw error;
  }
}

export async function runStatus(ctx: Context, opts: StatusOptions): Promise<StatusReport | undefined> {
  const last = Number(opts.last);
  if (!Number.isInteger(last) || last < 0) throw new UsageError(`--last ${opts.last}: expected a whole number such as 5`);
  const project = await openProject(ctx);
  const matrix = matrixFor(ctx, project);
  const id = await which(ctx, project, opts.incident);
  if (id === undefined) {
    if (opts.json) printJson(ctx, null);
    writeErr(ctx, 'No incident is open. (`inc list --all` shows past ones; `inc open` declares one.)');
    return undefined;
  }
  const { incident } = await loadIncident(project, id);
  const timeline = loadCorrectedTimeline(project, incident);
  warnProblems(ctx.stderr, timeline.problems);
  const now = ctx.now().getTime();
  const level = findSeverity(matrix, incident.severity);
  const detected = incident.milestones.detected;
  const report: StatusReport = {
    incident,
    level,
    now,
    zone: project.config.timezone,
    elapsedMinutes: detected === undefined ? null : minutesBetween(detected, incident.milestones.resolved ?? now),
    update: nextUpdateDue(incident, level, timeline.entries),
    escalation: escalationState(incident, level, timeline.entries, now),
    timeline: timeline.entries,
    recent: last === 0 ? [] : timeline.entries.slice(-last),
    currentMark: currentMark(project, id, incident.status),
    current: getCurrentIncident(project) === id && !isClosedStatus(incident.status),
  };
  if (opts.json) printJson(ctx, statusJson(report));
  // Every value from the files shown visibly (domain/sanitise.ts) before colour is added.
  else writeOut(ctx, renderStatus(ctx, await chalkFor(ctx, ctx.stdout), visibleDeep(report), severityRank(matrix, incident.severity)));
  return report;
}

export function statusJson(r: StatusReport): Record<string, unknown> {
  const incident = incidentJson(r.incident, null);
  delete incident.postmortem;
  return {
    ...incident,
    now: toIsoUtc(r.now),
    timezone: r.zone,
    current: r.current,
    elapsed_minutes: r.elapsedMinutes === null ? null : roundMinutes(r.elapsedMinutes),
    next_update: r.update && {
      due_at: toIsoUtc(r.update.dueAt),
      every_minutes: r.update.everyMinutes,
      counted_from: r.update.countedFrom,
      last_update_at: r.update.lastUpdateAt === null ? null : toIsoUtc(r.update.lastUpdateAt),
      // Neither is ever negative: a due time is either ahead (left) or behind (past).
      minutes_left: roundMinutes(Math.max(0, minutesUntil(r.update.dueAt, r.now))),
      minutes_past: roundMinutes(Math.max(0, -minutesUntil(r.update.dueAt, r.now))),
      overdue: r.now > r.update.dueAt,
    },
    escalation: r.escalation && {
      after_minutes: r.escalation.afterMinutes,
      due_at: toIsoUtc(r.escalation.dueAt),
      due: r.escalation.due,
      minutes_left: roundMinutes(Math.max(0, -r.escalation.minutesPast)),
      minutes_past: roundMinutes(Math.max(0, r.escalation.minutesPast)),
      escalate_to: r.escalation.escalateTo,
      who_is_paged: r.escalation.whoIsPaged,
      escalated_at: r.escalation.escalatedAt === null ? null : toIsoUtc(r.escalation.escalatedAt),
    },
    recent_timeline: r.recent.map(timelineEntryJson),
  };
}

function renderStatus(ctx: Context, chalk: Chalk, r: StatusReport, rank: number): string {
  const { incident, zone, now } = r;
  const none = chalk.dim('-');
  const clock = (at: number) => formatClock(at, now, zone);
  const lines: string[] = [];
  const drill = incident.drill ? chalk.magenta(`  ${DRILL_MARK} this is an exercise`) : '';
  lines.push(`${chalk.bold(incident.title)}${drill}`);
  lines.push(chalk.dim(`${incident.id}  ${r.currentMark}`));
  lines.push(chalk.dim(`Times in ${zoneLabel(zone)}`));
  lines.push('');
  const field = (name: string, value: string) => lines.push(`${name.padEnd(14)}${value}`);
  const sev = severityColour(chalk, rank)(incident.severity);
  field('Severity', r.level ? `${sev} ${chalk.dim(`(${r.level.description})`)}` : `${sev} ${chalk.yellow('(not in the severity matrix)')}`);
  field('Status', describeStatus(incident, r.zone));
  field('Services', incident.services.join(', ') || none);
  field('Commander', incident.commander ?? chalk.yellow('nobody yet: inc assign --commander NAME'));
  field('Comms lead', incident.communications ?? none);
  field('SMEs', incident.smes.join(', ') || none);
  const detected = incident.milestones.detected;
  if (detected !== undefined) {
    const elapsed = r.elapsedMinutes === null ? '' : ` (${formatDuration(r.elapsedMinutes)} ${incident.status === 'resolved' ? 'to resolve' : 'ago'})`;
    field('Detected', `${formatInZone(detected, zone)} ${zoneLabel(zone)}${elapsed}`);
  }
  lines.push('');
  field('Next update', nextUpdateLine(chalk, r, clock));
  const escalation = escalationLine(chalk, r, clock);
  if (escalation) field('Escalation', escalation);
  lines.push('');
  lines.push(chalk.bold(`Recent timeline (${zoneLabel(zone)})`));
  const days = new Set(r.recent.map((e) => dateInZone(e.at, zone)));
  for (const e of r.recent) {
    const when = days.size > 1 || dateInZone(e.at, zone) !== dateInZone(now, zone) ? formatInZone(e.at, zone) : formatInZone(e.at, zone).slice(11);
    const kind = e.kind ? chalk.cyan(`[${e.kind}] `) : '';
    const author = `${e.author ? ` (${e.author})` : ''}${e.amended ? ' (amended)' : ''}${e.superseded ? ' (superseded)' : ''}`;
    // At a glance: on a terminal one entry is one line; piped, the whole text stays.
    const room = ctx.stdout.isTTY && ctx.stdout.columns ? ctx.stdout.columns - when.length - 4 - visibleWidth(kind) - author.length : Infinity;
    lines.push(`  ${when}  ${kind}${cut(oneLine(e.text), Math.max(10, room))}${chalk.dim(author)}`);
  }
  if (r.recent.length === 0) lines.push(`  ${none}`);
  return `${lines.join('\n')}\n`;
}

type Chalk = Awaited<ReturnType<typeof chalkFor>>;

function nextUpdateLine(chalk: Chalk, r: StatusReport, clock: (at: number) => string): string {
  if (isClosedStatus(r.incident.status)) return `none: the incident is ${r.incident.status}`;
  const u = r.update;
  if (!u) return r.level ? `none expected for ${r.incident.severity}` : 'unknown (severity not in the matrix)';
  const since = u.countedFrom === 'update' ? `last sent ${clock(u.from)}` : 'none sent since detection';
  const left = minutesUntil(u.dueAt, r.now);
  const when = left < 0 ? chalk.red.bold(`OVERDUE by ${formatDuration(-left)}`) : `in ${formatDuration(left)}`;
  return `due ${clock(u.dueAt)}, ${when} ${chalk.dim(`(every ${u.everyMinutes} min for ${r.incident.severity}; ${since})`)} ${chalk.dim('-> inc comms')}`;
}

function escalationLine(chalk: Chalk, r: StatusReport, clock: (at: number) => string): string | undefined {
  const e = r.escalation;
  if (!e) return undefined;
  const who = e.escalateTo ?? e.whoIsPaged;
  if (e.escalatedAt !== null) return `escalated at ${clock(e.escalatedAt)}`;
  if (!e.due) {
    return `if not mitigated by ${clock(e.dueAt)} (in ${formatDuration(-e.minutesPast)}), page ${who ?? 'the next level (escalate_to is not set)'}`;
  }
  const since = r.incident.relapses.length > 0 && e.dueAt - e.afterMinutes * 60_000 !== r.incident.milestones.detected ? 'after the relapse' : 'after detection';
  const warning = chalk.red.bold(`ESCALATE NOW: not mitigated ${formatDuration(e.afterMinutes + e.minutesPast)} ${since}`);
  return `${warning} (threshold ${e.afterMinutes} min, passed at ${clock(e.dueAt)}). Page ${who ?? 'the next level (escalate_to is not set)'}. ` +
    chalk.dim('Log it with: inc log --kind escalation "paged ..."');
}
