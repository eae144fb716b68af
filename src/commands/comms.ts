/**
 * inc comms: status-page text for a phase of the incident, from templates/comms/<phase>.md
 * (a repository's own templates win), filled from the incident. Printed on stdout for
 * copy-paste and logged as an update sent, which restarts the clock `inc status` counts the
 * next stakeholder update from. A drill's text is marked [DRILL] on every paragraph.
 */
import { UsageError } from '../domain/errors.js';
import { STATUSES } from '../domain/incident.js';
import {
  appendStatusUpdate,
  COMMS_PHASES,
  type CommsPhase,
  commsValues,
  formatClock,
  isCommsPhase,
  KIND,
  markDrill,
  nextUpdateAfter,
  renderCommsText,
  updateTimelineText,
} from '../domain/response.js';
import { findSeverity } from '../domain/severity.js';
import { toIsoUtc } from '../domain/time.js';
import { updateFrontMatter } from '../domain/yaml-document.js';
import { type Context, writeOut } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { loadIncident } from '../store/incidents.js';
import { openProject } from '../store/project.js';
import { loadTemplate } from '../store/templates.js';
import { changeIncident } from './incident-change.js';
import { matrixFor } from './matrix.js';
import { atOption, cleanText, incidentOption, jsonOption, newCommand, noCommitOption, printJson, timeFromFlag } from './shared.js';
import { visible } from '../domain/sanitise.js';

export interface CommsOptions {
  message?: string;
  symptom?: string;
  json?: boolean;
  log: boolean;
  at?: string;
  incident?: string;
  commit: boolean;
}

const PHASE_HELP: Record<CommsPhase, string> = {
  investigating: 'we know something is wrong and are looking into it',
  identified: 'we know the cause and are working on a fix',
  mitigated: 'users are no longer affected; we are watching',
  resolved: 'over; the last notice',
};

export function build(ctx: Context) {
  return newCommand('comms', 'Status-page text for the incident, from templates/comms/; logged as an update sent', [
    'inc comms investigating --symptom "failed card payments"',
    'inc comms mitigated --message "We rolled back the release that caused it."',
    'inc comms resolved | pbcopy',
    'inc comms identified --no-log      # preview without logging it',
    'inc comms investigating --json | jq -r .text',
  ])
    .argument('[phase]', `one of ${COMMS_PHASES.join(', ')}`)
    .option('-m, --message <text>', 'a sentence to add: what changed, what was done')
    .option('--symptom <text>', 'what users see, e.g. "failed card payments"; remembered for the next updates (default: the last one given, else "errors or slow responses")')
    .addOption(jsonOption())
    .option('--no-log', 'print the text only: do not log it as an update sent')
    .addOption(atOption('the update was posted'))
    .addOption(incidentOption())
    .addOption(noCommitOption())
    .action(async (phase: string | undefined, opts: CommsOptions) => {
      await runComms(ctx, phase, opts);
    });
}

async function askPhase(ctx: Context, status: string): Promise<CommsPhase> {
  const { askSelect } = await import('../io/prompts.js');
  return askSelect(ctx, {
    flag: '<phase>',
    example: `inc comms <${COMMS_PHASES.join('|')}>`,
    message: 'Which update?',
    choices: COMMS_PHASES.map((phase) => ({ value: phase, name: `${phase.padEnd(14)}${PHASE_HELP[phase]}`, short: phase })),
    default: isCommsPhase(status) ? status : undefined,
  });
}

export async function runComms(ctx: Context, rawPhase: string | undefined, opts: CommsOptions): Promise<string> {
  if (rawPhase !== undefined && !isCommsPhase(rawPhase.toLowerCase())) {
    throw new UsageError(`phase "${rawPhase}" is not one inc knows`, `Use one of: ${COMMS_PHASES.join(', ')}.`);
  }
  const project = await openProject(ctx);
  const matrix = matrixFor(ctx, project);
  // The "resolved" update is sent after the resolution: to the incident just resolved.
  const id = await resolveIncidentId(project, opts.incident, { use: rawPhase?.toLowerCase() === 'resolved' ? 'review' : 'write' });
  const { incident } = await loadIncident(project, id);
  const phase = rawPhase === undefined ? await askPhase(ctx, incident.status) : (rawPhase.toLowerCase() as CommsPhase);
  const sentAt = timeFromFlag(ctx, project, opts.at);
  const zone = project.config.timezone;
  const level = findSeverity(matrix, incident.severity);
  const template = loadTemplate(project.root, `comms/${phase}.md`);
  const newSymptom = opts.symptom === undefined ? undefined : cleanText(opts.symptom, 'symptom');
  const values = commsValues({
    incident,
    publicServices: project.config.publicServices,
    level,
    phase,
    sentAt,
    zone,
    symptom: newSymptom ?? rememberedSymptom(incident.extra),
    message: opts.message === undefined ? undefined : cleanText(opts.message, 'message'),
  });
  const rendered = renderCommsText(template.text, values);
  if (rendered === '') throw new UsageError(`${template.source} renders to no text at all`);
  const text = incident.drill ? markDrill(rendered) : rendered;
  const next = nextUpdateAfter({ level, phase, sentAt });

  let committed = false;
  if (opts.log) {
    const result = await changeIncident(project, id, !opts.commit, (loaded, author) => ({
      // The symptom is kept in incident.md so that the next update describes the same thing.
      incidentText: appendStatusUpdate(
        newSymptom === undefined || newSymptom === rememberedSymptom(loaded.incident.extra)
          ? loaded.text
          : updateFrontMatter(loaded.text, loaded.path, { symptom: newSymptom }),
        sentAt,
        phase,
        text,
      ),
      rows: [{ at: sentAt, text: updateTimelineText(phase, text), author: author.name, kind: KIND.update }],
      message: `inc(${id}): ${incident.drill ? 'drill ' : ''}status update (${phase})`,
    }));
    committed = result.committed;
  }

  if (opts.json) {
    printJson(ctx, {
      incident: id,
      phase,
      drill: incident.drill,
      severity: incident.severity,
      text,
      sent_at: toIsoUtc(sentAt),
      next_update_at: next === null ? null : toIsoUtc(next),
      logged: opts.log,
      template: template.source,
    });
  } else {
    // Filled from the incident's files and a template: shown visibly, lines kept.
    writeOut(ctx, `${visible(text, { multiLine: true })}\n`);
  }
  reportAfter(ctx, { id, phase, status: incident.status, logged: opts.log, committed, next, sentAt, zone, drill: incident.drill });
  return text;
}

/** The symptom the last update described (`symptom` in incident.md), if any. */
function rememberedSymptom(fields: Record<string, unknown>): string | undefined {
  const symptom = fields.symptom;
  return typeof symptom === 'string' && symptom.trim() !== '' ? symptom : undefined;
}

function reportAfter(
  ctx: Context,
  r: { id: string; phase: CommsPhase; status: string; logged: boolean; committed: boolean; next: number | null; sentAt: number; zone: string; drill: boolean },
): void {
  // What happened first, as every write says it; then what to watch out for.
  const nextText = r.next === null ? 'no further update is due' : `next update due ${formatClock(r.next, r.sentAt, r.zone)}`;
  if (!r.logged) writeErr(ctx, 'Not logged (--no-log): the update clock keeps running from the last update sent.');
  else writeErr(ctx, `Logged as an update sent${r.committed ? '' : ' (not committed)'}; ${nextText}.`);
  if (r.drill) writeErr(ctx, `${r.id} is a drill: the text is marked [DRILL]; do not post it on the public status page.`);
  const phaseRank = COMMS_PHASES.indexOf(r.phase);
  const statusRank = (STATUSES as readonly string[]).indexOf(r.status);
  if (phaseRank > statusRank) {
    const verb = { investigating: 'log', identified: 'identify', mitigated: 'mitigate', resolved: 'resolve' }[r.phase];
    writeErr(ctx, `Note: ${r.id} is still ${r.status} in its files; record the milestone with \`inc ${verb}\`.`);
  }
}
