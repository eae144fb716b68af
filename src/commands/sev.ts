/**
 * inc sev: change the incident's severity (validated against the matrix). Updates incident.md
 * and logs "Severity changed from SEV2 to SEV1" in the timeline, in one commit; then says what
 * the new level asks of the responders (update cadence, escalation).
 */
import { IncError } from '../domain/errors.js';
import { cadenceSummary, KIND, severityChangeText } from '../domain/response.js';
import { resolveSeverity, severityNames, severityRank } from '../domain/severity.js';
import { updateFrontMatter } from '../domain/yaml-document.js';
import { type Context, writeOut } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { loadIncident } from '../store/incidents.js';
import { openProject } from '../store/project.js';
import { changeIncident } from './incident-change.js';
import { visible } from '../domain/sanitise.js';
import { matrixFor } from './matrix.js';
import { atOption, cleanText, excerpt, incidentOption, newCommand, noCommitOption, timeFromFlag } from './shared.js';

export interface SevOptions {
  at?: string;
  incident?: string;
  commit: boolean;
}

export function build(ctx: Context) {
  return newCommand('sev', 'Change the incident\'s severity (levels from incident-severity.yaml); logged in the timeline', [
    'inc sev 1',
    'inc sev SEV1 "checkout down for every region, not just EU"',
    'inc sev 3 --at 15:10 "only internal dashboards still affected"',
    'inc sev            # on a terminal: pick from the matrix',
  ])
    .argument('[level]', 'the new severity: 1, SEV1 and sev1 are the same')
    .argument('[reason...]', 'why, for the timeline')
    .addOption(atOption('the severity changed'))
    .addOption(incidentOption())
    .addOption(noCommitOption())
    .action(async (level: string | undefined, reason: string[], opts: SevOptions) => {
      await runSev(ctx, level, reason.join(' '), opts);
    });
}

export async function runSev(ctx: Context, input: string | undefined, rawReason: string, opts: SevOptions): Promise<string> {
  const project = await openProject(ctx);
  const matrix = matrixFor(ctx, project);
  const id = await resolveIncidentId(project, opts.incident);
  const reason = rawReason.trim() === '' ? undefined : cleanText(rawReason, 'reason');
  const before = await loadIncident(project, id);
  const levelInput =
    input ??
    (await (await import('../io/prompts.js')).askSeverity(
      ctx,
      matrix,
      { flag: '<level>', example: `inc sev <level>  (one of ${severityNames(matrix)})` },
      before.incident.severity,
    ));
  const level = resolveSeverity(matrix, levelInput, 'severity');
  const at = timeFromFlag(ctx, project, opts.at);

  if (before.incident.severity === level.name) {
    writeErr(ctx, `Nothing changed: ${id} is already ${level.name}.`);
    return level.name;
  }
  let from = before.incident.severity;
  const result = await changeIncident(project, id, !opts.commit, (loaded, author) => {
    from = loaded.incident.severity;
    if (from === level.name) throw new IncError(`${id} was changed to ${level.name} meanwhile by someone else`);
    return {
      incidentText: updateFrontMatter(loaded.text, loaded.path, { severity: level.name }),
      rows: [{ at, text: severityChangeText(from, level.name, reason), author: author.name, kind: KIND.severity }],
      message: `inc(${id}): severity ${from} -> ${level.name}${reason ? ` "${excerpt(reason)}"` : ''}`,
    };
  });
  writeOut(ctx, `${id} severity ${visible(level.name)}\n`);
  writeErr(ctx, `${severityChangeText(from, level.name, reason)}${result.committed ? '' : ' (not committed)'}.`);
  writeErr(ctx, `${cadenceSummary(level)}.`);
  if (level.whoIsPaged) {
    // Raising the severity is when someone new must be woken up: say who, now, not in the matrix.
    const raised = severityRank(matrix, level.name) < severityRank(matrix, from);
    writeErr(ctx, raised ? `Page now: ${level.whoIsPaged} (who ${level.name} pages).` : `${level.name} pages: ${level.whoIsPaged}.`);
  }
  return level.name;
}
