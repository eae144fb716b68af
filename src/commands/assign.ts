/**
 * inc assign: name the incident commander, the communications lead and the subject-matter
 * experts ("someone should update the status page" means nobody will). Updates the roles in
 * incident.md and logs each change in the timeline, a handoff as a handoff, in one commit.
 */
import { IncError, UsageError } from '../domain/errors.js';
import { KIND, planRoleChange, type RoleRequest, type Roles } from '../domain/response.js';
import { updateFrontMatter } from '../domain/yaml-document.js';
import { type Context, writeOut } from '../io/context.js';
import { canPrompt, writeErr } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { loadIncident } from '../store/incidents.js';
import { openProject } from '../store/project.js';
import { changeIncident } from './incident-change.js';
import { atOption, cleanText, collect, excerpt, incidentOption, newCommand, noCommitOption, timeFromFlag } from './shared.js';
import { visible } from '../domain/sanitise.js';

export interface AssignOptions {
  commander?: string;
  comms?: string;
  sme: string[];
  removeSme: string[];
  at?: string;
  incident?: string;
  commit: boolean;
}

const USAGE_EXAMPLE = 'inc assign --commander Alice --comms Bob --sme Carol';

export function build(ctx: Context) {
  return newCommand('assign', 'Assign the incident commander, communications lead and subject-matter experts', [
    'inc assign --commander Alice',
    'inc assign --commander Bob            # a handoff: logged as "handed over from Alice"',
    'inc assign --comms Dana --sme Carol --sme Erin',
    'inc assign --remove-sme Erin --at 14:40',
  ])
    .option('--commander <name>', 'the incident commander: coordinates, delegates, decides')
    .option('--comms <name>', 'the communications lead: status page and stakeholder updates')
    .option('--sme <name>', 'add a subject-matter expert (repeatable)', collect, [])
    .option('--remove-sme <name>', 'release a subject-matter expert (repeatable)', collect, [])
    .addOption(atOption('the change happened'))
    .addOption(incidentOption())
    .addOption(noCommitOption())
    .action(async (opts: AssignOptions) => {
      await runAssign(ctx, opts);
    });
}

function requestFrom(opts: AssignOptions): RoleRequest {
  return {
    commander: opts.commander === undefined ? undefined : cleanText(opts.commander, 'commander name'),
    communications: opts.comms === undefined ? undefined : cleanText(opts.comms, 'communications lead name'),
    addSmes: opts.sme.map((name) => cleanText(name, 'SME name')),
    removeSmes: opts.removeSme.map((name) => cleanText(name, 'SME name')),
  };
}

function isEmpty(opts: AssignOptions): boolean {
  return opts.commander === undefined && opts.comms === undefined && opts.sme.length === 0 && opts.removeSme.length === 0;
}

/** On a terminal, `inc assign` alone asks for each role, offering the current holder. */
async function askRoles(ctx: Context, current: { commander: string | null; communications: string | null }): Promise<AssignOptions> {
  const { askText } = await import('../io/prompts.js');
  const missing = { flag: '--commander, --comms or --sme', example: USAGE_EXAMPLE };
  const commander = await askText(ctx, { ...missing, message: 'Incident commander', default: current.commander ?? undefined, optional: true });
  const comms = await askText(ctx, { ...missing, message: 'Communications lead', default: current.communications ?? undefined, optional: true });
  const smes = await askText(ctx, { ...missing, message: 'Add subject-matter experts (comma-separated; Enter for none)', optional: true });
  return {
    commander: commander || undefined,
    comms: comms || undefined,
    sme: smes.split(',').map((s) => s.trim()).filter(Boolean),
    removeSme: [],
    commit: true,
  };
}

function rolesSummary(roles: Roles): string {
  return `commander ${roles.commander ?? '-'}, comms ${roles.communications ?? '-'}, SMEs ${roles.smes.join(', ') || '-'}`;
}

function refuseUnknownSmes(id: string, smes: string[], unknown: string[]): void {
  if (unknown.length === 0) return;
  throw new IncError(
    `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an SME of ${id} (SMEs: ${smes.join(', ') || 'none'})`,
  );
}

export async function runAssign(ctx: Context, given: AssignOptions): Promise<string[]> {
  const project = await openProject(ctx);
  const id = await resolveIncidentId(project, given.incident);
  // Loaded once before the lock: the prompt's defaults and the "nothing to change" check.
  const before = await loadIncident(project, id);
  let opts = given;
  if (isEmpty(opts)) {
    if (!canPrompt(ctx)) {
      throw new UsageError('nothing to assign: give --commander, --comms or --sme', `For example: ${USAGE_EXAMPLE}`);
    }
    opts = { ...(await askRoles(ctx, before.incident)), at: given.at, incident: given.incident, commit: given.commit };
  }
  const request = requestFrom(opts);
  const at = timeFromFlag(ctx, project, opts.at);

  // Asking for what is already so writes nothing (and makes no empty commit).
  const preview = planRoleChange(before.incident, request);
  refuseUnknownSmes(id, before.incident.smes, preview.notSmes);
  if (preview.events.length === 0) {
    writeErr(ctx, `Nothing changed: ${id} already has ${rolesSummary(preview.roles)}.`);
    return [];
  }

  let change = preview;
  const result = await changeIncident(project, id, !opts.commit, (loaded, author) => {
    // Planned again under the lock: another responder may have changed the roles meanwhile.
    change = planRoleChange(loaded.incident, request);
    refuseUnknownSmes(id, loaded.incident.smes, change.notSmes);
    if (change.events.length === 0) throw new IncError(`the roles of ${id} changed meanwhile and already are ${rolesSummary(change.roles)}`);
    return {
      incidentText: updateFrontMatter(loaded.text, loaded.path, {
        commander: change.roles.commander,
        communications: change.roles.communications,
        smes: change.roles.smes,
      }),
      rows: change.events.map((text) => ({ at, text, author: author.name, kind: KIND.role })),
      message: `inc(${id}): assign ${excerpt(change.events.join('; '), 120)}`,
    };
  });
  // For scripts, one line per change: `<id> commander Alice`; for people, what changed.
  for (const { role, name } of change.changes) writeOut(ctx, `${id} ${role} ${visible(name)}\n`);
  writeErr(ctx, `${change.events.join('; ')}${result.committed ? '' : ' (not committed)'}.`);
  return change.events;
}
