/**
 * inc use: make an incident this clone's current one (kept in .git/inc, never committed), so
 * that log, ack, mitigate, resolve, show and status need no id. Only an open incident can be
 * current: writes to a closed one name it.
 */
import { UsageError } from '../domain/errors.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { findIncidentId, getCurrentIncident, isClosedStatus, openIncidentIds, setCurrentIncident } from '../store/current-incident.js';
import { incidentExists, loadIncident } from '../store/incidents.js';
import { openProject, requireInitialised } from '../store/project.js';
import { newCommand } from './shared.js';

export function build(ctx: Context) {
  return newCommand('use', 'Make an incident the current one of this clone (by id, unique prefix or a word of its title)', [
    'inc use 2026-03-15-payment-processing-outage',
    'inc use payment            # a word of the title, if only one incident has it',
    'inc use                    # print the current incident',
    'inc use --clear',
  ])
    .argument('[id]', 'the incident: its id, a unique prefix of it, or a word of its title')
    .option('--clear', 'no current incident: commands then need --incident unless only one is open')
    .action(async (query: string | undefined, opts: { clear?: boolean }) => {
      const project = await openProject(ctx);
      requireInitialised(project);
      if (opts.clear) {
        if (query !== undefined) throw new UsageError('give an id or --clear, not both');
        setCurrentIncident(project, undefined);
        writeErr(ctx, 'No current incident.');
        return;
      }
      if (query === undefined) {
        const current = getCurrentIncident(project);
        const status = current && incidentExists(project, current) ? (await loadIncident(project, current)).incident.status : undefined;
        if (current && status && !isClosedStatus(status)) {
          ctx.stdout.write(`${current}\n`);
          return;
        }
        const open = await openIncidentIds(project);
        writeErr(ctx, `No current incident${current && status ? ` (${current} is ${status})` : ''}. Open: ${open.join(', ') || 'none'}.`);
        return;
      }
      const id = findIncidentId(project, query, 'ID');
      const { incident } = await loadIncident(project, id);
      if (isClosedStatus(incident.status)) {
        throw new UsageError(
          `${id} is ${incident.status}: only an open incident can be current`,
          `To write to it anyway, name it: inc log --incident ${id} "..."`,
        );
      }
      setCurrentIncident(project, id);
      ctx.stdout.write(`${id} current\n`);
      writeErr(ctx, `${id} is now this clone's current incident (${incident.severity}, ${incident.status}: ${incident.title}).`);
    });
}
