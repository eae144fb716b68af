/**
 * inc open: declare an incident. Writes incident.md and timeline.md in one commit, prints
 * `<id> opened <detected_at>` on stdout (`id=$(inc open ... | cut -d' ' -f1)` composes) and makes
 * it this clone's current incident.
 */
import { UsageError } from '../domain/errors.js';
import { makeIncidentId } from '../domain/ids.js';
import { type Incident, incidentFields, NO_HISTORY, milestoneConflicts, statusOf } from '../domain/incident.js';
import { resolveSeverity, type SeverityMatrix, severityNames } from '../domain/severity.js';
import { renderTemplate } from '../domain/template.js';
import { dateInZone, formatInZone, toIsoUtc, zoneLabel } from '../domain/time.js';
import { appendTimelineRows, renderTimelineHeader, type TimelineEntry, timelineTextProblem } from '../domain/timeline.js';
import { renderFrontMatter } from '../domain/yaml-document.js';
import type { Context } from '../io/context.js';
import { canPrompt, writeErr } from '../io/context.js';
import { setCurrentIncident } from '../store/current-incident.js';
import { incidentExists, incidentPath, INCIDENT_FILE, TIMELINE_FILE } from '../store/incidents.js';
import { openProject, type Project, requireInitialised } from '../store/project.js';
import { loadTemplate } from '../store/templates.js';
import { writeAndCommit } from '../store/write.js';
import { existingRunbook } from './runbook.js';
import { matrixFor } from './matrix.js';
import { atOption, cleanText, collect, excerpt, newCommand, noCommitOption, timeFromFlag, timeOption } from './shared.js';
import { oneLine } from '../domain/text.js';

export interface OpenOptions {
  sev?: string;
  service: string[];
  startedAt?: string;
  at?: string;
  commander?: string;
  drill?: boolean;
  tag: string[];
  commit: boolean;
}

export function build(ctx: Context) {
  return newCommand('open', 'Declare an incident; prints its id and makes it this clone\'s current incident', [
    'inc open "Checkout returns 500s" --sev 1 --service payment-service',
    'inc open "Search results stale" --sev SEV2 --at 14:05 --started-at 13:50',
    'inc open --drill "Game day: primary database failover" --sev 2',
    'inc open --sev 3 -- "-5% conversion on mobile"   # a title that starts with -',
    'id=$(inc open "Checkout returns 500s" --sev 1 | cut -d" " -f1)',
  ])
    .argument('[title...]', 'what is happening, in a few words')
    .option('-s, --sev <severity>', 'severity from incident-severity.yaml: 2, SEV2 and sev2 are the same')
    .option('--service <name>', 'an affected service (repeatable)', collect, [])
    .addOption(timeOption('--started-at <time>', 'when user impact began', 'empty until known: inc milestone started'))
    .addOption(atOption('it was detected'))
    .option('--commander <name>', 'the incident commander')
    .option('--drill', 'a game day or tabletop exercise: shown as a drill, left out of stats')
    .option('--tag <tag>', 'a tag (repeatable)', collect, [])
    .addOption(noCommitOption())
    .action(async (words: string[], opts: OpenOptions) => {
      await runOpen(ctx, words.join(' '), opts);
    });
}

const OPEN_EXAMPLE = 'inc open "Checkout returns 500s" --sev 2 --service payment-service';

/** Services named in past incidents and runbooks, the most used first: what the prompt offers. */
async function knownServices(project: Project): Promise<string[]> {
  const { loadAllIncidents } = await import('../store/read-all.js');
  const { listRunbooks } = await import('./runbook.js');
  const counts = new Map<string, number>();
  for (const { incident } of (await loadAllIncidents(project)).records) {
    for (const service of incident.services) counts.set(service, (counts.get(service) ?? 0) + 1);
  }
  for (const service of listRunbooks(project)) counts.set(service, counts.get(service) ?? 0);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([service]) => service);
}

/**
 * On a terminal, a missing title or severity is asked for; once inc is asking anyway it
 * also offers the services already seen and the commander role. Without a terminal the
 * checks in runOpen fail with exit 2 as before. Ctrl-C here leaves nothing written.
 */
async function askMissing(ctx: Context, project: Project, matrix: SeverityMatrix, rawTitle: string, opts: OpenOptions) {
  const needTitle = rawTitle.trim() === '';
  if ((!needTitle && opts.sev) || !canPrompt(ctx)) return { rawTitle, opts };
  if (opts.sev) resolveSeverity(matrix, opts.sev); // a typo in --sev is reported before any question
  const prompts = await import('../io/prompts.js');
  const title = needTitle
    ? await prompts.askText(ctx, { flag: '<title>', example: OPEN_EXAMPLE, message: 'What is happening? (a short title)', problem: timelineTextProblem })
    : rawTitle;
  const sev = opts.sev ?? (await prompts.askSeverity(ctx, matrix, { flag: '--sev', example: OPEN_EXAMPLE }));
  const service = opts.service.length > 0 ? opts.service : await prompts.askServices(ctx, await knownServices(project), { flag: '--service', example: OPEN_EXAMPLE });
  const commander =
    opts.commander ??
    ((await prompts.askText(ctx, { flag: '--commander', example: OPEN_EXAMPLE, message: 'Incident commander (Enter to assign later)', optional: true })) ||
      undefined);
  return { rawTitle: title, opts: { ...opts, sev, service, commander } };
}

export async function runOpen(ctx: Context, givenTitle: string, givenOpts: OpenOptions): Promise<string> {
  const project = await openProject(ctx);
  requireInitialised(project);
  const matrix = matrixFor(ctx, project);
  const { rawTitle, opts } = await askMissing(ctx, project, matrix, givenTitle, givenOpts);
  if (rawTitle.trim() === '') {
    throw new UsageError('missing the title', 'Give it as an argument: inc open "Checkout returns 500s" --sev 2');
  }
  const title = oneLine(cleanText(rawTitle, 'title'));
  if (!opts.sev) throw new UsageError('missing --sev', `Valid severities: ${severityNames(matrix)}.`);
  const level = resolveSeverity(matrix, opts.sev);
  const zone = project.config.timezone;
  const detected = timeFromFlag(ctx, project, opts.at, '--at');
  const started = opts.startedAt === undefined ? undefined : timeFromFlag(ctx, project, opts.startedAt, '--started-at');
  const conflicts = milestoneConflicts({ started, detected });
  if (conflicts.length > 0) {
    throw new UsageError(`--started-at is after the detection time: ${conflicts[0]!.message}`);
  }
  const services = opts.service.map((s) => cleanText(s, 'service name'));
  const commander = opts.commander === undefined ? null : cleanText(opts.commander, 'commander name');
  const incidentTemplate = loadTemplate(project.root, 'incident.md');

  let id = '';
  const result = await writeAndCommit(project, { noCommit: !opts.commit }, ({ author }) => {
    id = makeIncidentId(dateInZone(detected, zone), title, (candidate) => incidentExists(project, candidate));
    const milestones = started === undefined ? { detected } : { started, detected };
    const incident: Incident = {
      id,
      title,
      severity: level.name,
      status: statusOf(milestones),
      ...NO_HISTORY,
      drill: Boolean(opts.drill),
      services,
      commander,
      communications: null,
      smes: [],
      milestones,
      tags: opts.tag.map((t) => cleanText(t, 'tag')),
      extra: {},
    };
    const entries: TimelineEntry[] = [];
    if (started !== undefined) entries.push({ at: started, text: 'User impact started', author: author.name, kind: 'milestone' });
    const what = `${opts.drill ? 'Drill declared' : 'Incident declared'}: ${level.name} ${title}`;
    entries.push({ at: detected, text: what, author: author.name, kind: 'declared' });
    if (commander) entries.push({ at: detected, text: `Incident commander: ${commander}`, author: author.name, kind: 'role' });
    const body = `\n${renderTemplate(incidentTemplate.text, { title, id, severity: level.name })}`;
    return {
      files: [
        { path: incidentPath(id, INCIDENT_FILE), content: renderFrontMatter(incidentFields(incident), body) },
        { path: incidentPath(id, TIMELINE_FILE), content: appendTimelineRows(renderTimelineHeader(id), entries) },
      ],
      message: `inc(${id}): open ${level.name}${opts.drill ? ' drill' : ''} "${excerpt(title)}"`,
    };
  });
  setCurrentIncident(project, id);
  ctx.stdout.write(`${id} opened ${toIsoUtc(detected)}\n`);
  writeErr(
    ctx,
    `Declared ${opts.drill ? 'drill ' : ''}${level.name} ${id} at ${formatInZone(detected, zone)} ${zoneLabel(zone)}` +
      `${result.committed ? '' : ' (not committed)'}; it is this clone's current incident.`,
  );
  if (!commander) writeErr(ctx, 'No incident commander yet: name one now with `inc assign --commander NAME`.');
  for (const service of services) {
    const runbook = existingRunbook(project, service);
    const word = /^[\w.@%+=:,/-]+$/.test(service) ? service : `"${service.replace(/["\\$`]/g, '\\$&')}"`;
    if (runbook) writeErr(ctx, `Runbook for ${service}: ${runbook} (\`inc runbook show ${word}\`)`);
  }
  return id;
}
