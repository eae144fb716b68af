/** inc show: one incident in full (fields, milestones, metrics, postmortem, timeline), as text or JSON. */
import { IncError } from '../domain/errors.js';
import { incidentJson, type PostmortemSummaryJson } from '../domain/incident-json.js';
import { describeStatus, MILESTONES, milestoneKey } from '../domain/incident.js';
import { incidentMetrics, FIGURES } from '../domain/metrics.js';
import { findSeverity, severityRank } from '../domain/severity.js';
import { dateInZone, formatDuration, formatInZone, zoneLabel } from '../domain/time.js';
import { chalkFor, severityColour } from '../io/colour.js';
import { type Context, writeOut } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { loadCorrectedTimeline, loadIncident } from '../store/incidents.js';
import { writeErr } from '../io/context.js';
import { loadPostmortemSummary } from '../store/postmortems.js';
import { openProject } from '../store/project.js';
import { warnProblems } from '../store/read-all.js';
import { matrixFor } from './matrix.js';
import { currentMark, jsonOption, newCommand, printJson } from './shared.js';
import { visible, visibleDeep } from '../domain/sanitise.js';
import { plural } from '../domain/words.js';

export function build(ctx: Context) {
  return newCommand('show', 'Show one incident in full: fields, milestones, metrics, postmortem, timeline', [
    'inc show',
    'inc show 2026-03-15-payment-processing-outage',
    'inc show --json | jq .metrics',
  ])
    .argument('[id]', 'the incident: id, unique prefix or title word (default: this clone\'s current one)')
    .addOption(jsonOption())
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      const project = await openProject(ctx);
      const resolved = await resolveIncidentId(project, id, { use: 'read', what: 'ID', note: (text) => writeErr(ctx, text) });
      const { incident: read } = await loadIncident(project, resolved);
      const timeline = loadCorrectedTimeline(project, read);
      warnProblems(ctx.stderr, timeline.problems);
      let postmortem: PostmortemSummaryJson | null = null;
      try {
        postmortem = await loadPostmortemSummary(project, resolved);
      } catch (error) {
        if (!(error instanceof IncError)) throw error;
        warnProblems(ctx.stderr, [error]);
      }
      if (opts.json) {
        printJson(ctx, incidentJson(read, postmortem, timeline.entries));
        return;
      }
      // Every value from the files shown visibly (domain/sanitise.ts); timeline texts keep their lines.
      const incident = visibleDeep(read);
      const entries = visibleDeep(timeline.entries, { multiLine: true });

      const matrix = matrixFor(ctx, project);
      const chalk = await chalkFor(ctx, ctx.stdout);
      const zone = project.config.timezone;
      const level = visibleDeep(findSeverity(matrix, read.severity));
      const sev = severityColour(chalk, severityRank(matrix, read.severity))(incident.severity);
      const none = chalk.dim('-');
      const lines: string[] = [];
      lines.push(`${chalk.bold(incident.title)}${incident.drill ? chalk.magenta('  [drill]') : ''}`);
      lines.push(chalk.dim(`${incident.id}  ${currentMark(project, incident.id, incident.status)}`));
      lines.push(chalk.dim(`Times in ${zoneLabel(zone)}`));
      lines.push('');
      const field = (name: string, value: string) => lines.push(`${name.padEnd(15)}${value}`);
      field('Severity', level ? `${sev} ${chalk.dim(`(${level.description})`)}` : `${sev} ${chalk.yellow('(not in the severity matrix)')}`);
      field('Status', describeStatus(incident, zone));
      field('Services', incident.services.join(', ') || none);
      field('Commander', incident.commander ?? none);
      field('Communications', incident.communications ?? none);
      field('SMEs', incident.smes.join(', ') || none);
      if (incident.tags.length > 0) field('Tags', incident.tags.join(', '));
      field('Postmortem', postmortem ? `${visible(postmortem.status)}, ${postmortem.action_items.done}/${postmortem.action_items.total} action items done` : none);
      lines.push('');
      lines.push(chalk.bold(`Milestones (${zoneLabel(zone)})`));
      for (const milestone of MILESTONES) {
        const at = incident.milestones[milestone];
        if (milestone === 'triggered' && at === undefined) continue; // optional: shown when known
        const ref = milestone === 'triggered' && incident.triggerRef ? `  ${incident.triggerRef}` : '';
        lines.push(`  ${milestoneKey(milestone).padEnd(16)}${at === undefined ? none : formatInZone(at, zone, true)}${ref}`);
      }
      for (const [i, r] of incident.relapses.entries()) {
        lines.push(`  ${`relapse ${i + 1}`.padEnd(16)}mitigated ${formatInZone(r.ended, zone, true)}, impact back ${formatInZone(r.back, zone, true)}`);
      }
      for (const [i, r] of incident.reopens.entries()) {
        lines.push(`  ${`reopen ${i + 1}`.padEnd(16)}resolved ${formatInZone(r.ended, zone, true)}, reopened ${formatInZone(r.back, zone, true)}`);
      }
      const metrics = incidentMetrics(incident);
      lines.push('');
      lines.push(
        `${chalk.bold('Metrics')}  ` +
          FIGURES.map((f) => `${f.toUpperCase()} ${metrics[f] === null ? none : formatDuration(metrics[f]!)}`).join('   '),
      );
      lines.push('');
      lines.push(chalk.bold(`Timeline (${zoneLabel(zone)})`));
      // Each entry with its number and ref: what `inc amend` and `inc retract` take to name it.
      const days = new Set(entries.map((e) => dateInZone(e.at, zone)));
      const width = `#${entries.length}`.length;
      entries.forEach((e, index) => {
        const when = days.size > 1 ? formatInZone(e.at, zone) : formatInZone(e.at, zone).slice(11);
        const number = `#${index + 1}`.padStart(width);
        const who = e.author ? chalk.dim(` (${e.author})`) : '';
        const kind = e.kind ? chalk.cyan(`[${e.kind}] `) : '';
        const marks = `${e.amended ? `  ${chalk.yellow('(amended)')}` : ''}${e.superseded ? `  ${chalk.yellow('(superseded)')}` : ''}`;
        const indent = '\n' + ' '.repeat(width + when.length + 6);
        lines.push(`  ${number}  ${when}  ${kind}${e.text.replace(/\n/g, indent)}${who}${marks}  ${chalk.dim(e.ref)}`);
      });
      if (entries.length === 0) lines.push(`  ${none}`);
      if (timeline.retracted.length > 0) lines.push(chalk.dim(`  (${plural(timeline.retracted.length, 'entry', 'entries')} retracted, not shown)`));
      if (entries.length > 0) lines.push(chalk.dim('  Correct an entry by its #, time or ~ref: inc amend <entry> "<text>", inc retract <entry> [reason]'));
      writeOut(ctx, `${lines.join('\n')}\n`);
    });
}

