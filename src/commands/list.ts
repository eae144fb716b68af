/** inc list: the open incidents (or all of them), newest first, as a table or JSON. */
import { IncError } from '../domain/errors.js';
import type { PostmortemSummaryJson } from '../domain/incident-json.js';
import { severityRank } from '../domain/severity.js';
import { formatInZone, zoneLabel } from '../domain/time.js';
import { chalkFor, severityColour } from '../io/colour.js';
import type { Context } from '../io/context.js';
import { writeErr, writeOut } from '../io/context.js';
import { renderTable } from '../io/table.js';
import { getCurrentIncident, isClosedStatus } from '../store/current-incident.js';
import { openProject, requireInitialised } from '../store/project.js';
import { loadAllIncidents, warnProblems } from '../store/read-all.js';
import { matrixFor } from './matrix.js';
import { jsonOption, newCommand, printJson } from './shared.js';
import { visibleDeep } from '../domain/sanitise.js';

export function build(ctx: Context) {
  return newCommand('list', 'List incidents: the open ones, or --all', ['inc list', 'inc list --all', 'inc list --all --json | jq -r \'.[].id\''])
    .option('-a, --all', 'every incident, resolved ones included')
    .addOption(jsonOption())
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const project = await openProject(ctx);
      requireInitialised(project);
      const { records, problems } = await loadAllIncidents(project);
      const currentId = getCurrentIncident(project);
      // Current only while open (a closed one takes writes only by its id).
      const current = records.find((r) => r.incident.id === currentId && !isClosedStatus(r.incident.status))?.incident.id;
      warnProblems(ctx.stderr, problems);
      const shown = records
        .filter((r) => opts.all || !isClosedStatus(r.incident.status))
        .sort((a, b) => (b.incident.milestones.detected ?? 0) - (a.incident.milestones.detected ?? 0) || b.incident.id.localeCompare(a.incident.id));

      if (opts.json) {
        // Only JSON shows postmortems: their parser is not loaded for the table.
        const [{ incidentJson }, { loadPostmortemSummary }] = await Promise.all([import('../domain/incident-json.js'), import('../store/postmortems.js')]);
        const items = [];
        for (const r of shown) {
          let postmortem: PostmortemSummaryJson | null = null;
          try {
            postmortem = await loadPostmortemSummary(project, r.incident.id);
          } catch (error) {
            if (!(error instanceof IncError)) throw error;
            warnProblems(ctx.stderr, [error]);
          }
          items.push({ ...incidentJson(r.incident, postmortem), current: r.incident.id === current });
        }
        printJson(ctx, items);
        return;
      }
      if (shown.length === 0) {
        writeErr(ctx, opts.all ? 'No incidents yet.' : 'No open incidents. (`inc list --all` shows resolved ones.)');
        return;
      }
      const matrix = matrixFor(ctx, project);
      const chalk = await chalkFor(ctx, ctx.stdout);
      const zone = project.config.timezone;
      const rows = shown.map(({ incident: read }) => visibleDeep(read)).map((incident) => [
        incident.id === current ? chalk.bold(`* ${incident.id}`) : `  ${incident.id}`,
        severityColour(chalk, severityRank(matrix, incident.severity))(incident.severity),
        incident.status,
        incident.milestones.detected === undefined ? '-' : formatInZone(incident.milestones.detected, zone),
        `${incident.drill ? chalk.magenta('[drill] ') : ''}${incident.title}`,
      ]);
      writeOut(
        ctx,
        renderTable(
          [{ header: '  ID' }, { header: 'SEV' }, { header: 'STATUS' }, { header: `DETECTED (${zoneLabel(zone)})` }, { header: 'TITLE', max: 60 }],
          rows,
          (h) => chalk.bold(h),
        ),
      );
      writeErr(
        ctx,
        current
          ? `* ${current} is the current incident of this clone. Times in ${zoneLabel(zone)}.`
          : `No current incident (\`inc use ID\` sets one). Times in ${zoneLabel(zone)}.`,
      );
    });
}
