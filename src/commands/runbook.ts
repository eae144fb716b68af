/**
 * inc runbook new|show|list: one runbook per service in runbooks/<service>.md, scaffolded
 * from templates/runbook.md (a repository's own template wins) so that someone who has
 * never touched the service can follow it. Any service name may have one: the file is named
 * after its slug ("Payment Service" -> runbooks/payment-service.md); names that look like
 * paths are refused.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { IncError, UsageError } from '../domain/errors.js';
import { serviceNameProblem, serviceSlug } from '../domain/response.js';
import { renderTemplate } from '../domain/template.js';
import { dateInZone } from '../domain/time.js';
import { type Context, writeOut } from '../io/context.js';
import { canPrompt, writeErr } from '../io/context.js';
import { type Project, openProject, readRepoFile, requireInitialised, RUNBOOKS_DIR } from '../store/project.js';
import { loadTemplate } from '../store/templates.js';
import { writeAndCommit } from '../store/write.js';
import { absolutePath } from '../store/incidents.js';
import { jsonOption, newCommand, noCommitOption, printJson } from './shared.js';
import { visible } from '../domain/sanitise.js';

/** runbooks/<slug>.md; the service must have passed serviceNameProblem. */
export function runbookPath(service: string): string {
  return `${RUNBOOKS_DIR}/${serviceSlug(service)}.md`;
}

/** The services that have a runbook, sorted; names that are not safe slugs are skipped. */
export function listRunbooks(project: Pick<Project, 'root'>): string[] {
  const dir = join(project.root, RUNBOOKS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => entry.name.slice(0, -3))
    .filter((name) => serviceSlug(name) === name && name !== 'readme')
    .sort();
}

/** The runbook of a service when it exists (for `inc open --service`); never throws on odd names. */
export function existingRunbook(project: Pick<Project, 'root'>, service: string): string | undefined {
  if (serviceNameProblem(service) !== undefined) return undefined;
  const path = runbookPath(service);
  return existsSync(absolutePath(project, path)) ? path : undefined;
}

function checkService(service: string): string {
  const problem = serviceNameProblem(service);
  if (problem) throw new UsageError(problem);
  return service;
}

async function askService(ctx: Context, project: Project, purpose: 'new' | 'show'): Promise<string> {
  const example = `inc runbook ${purpose} <service>`;
  const prompts = await import('../io/prompts.js');
  if (purpose === 'show') {
    const services = listRunbooks(project);
    if (services.length === 0 || !canPrompt(ctx)) {
      prompts.requireTerminal(ctx, { flag: '<service>', example });
      throw new IncError('there are no runbooks yet', 1, 'Create one with `inc runbook new <service>`.');
    }
    return prompts.askSelect(ctx, { flag: '<service>', example, message: 'Which runbook?', choices: services.map((s) => ({ value: s, name: s })) });
  }
  return prompts.askText(ctx, { flag: '<service>', example, message: 'Service name (e.g. payment-service)', problem: serviceNameProblem });
}

function newRunbook(ctx: Context) {
  return newCommand('new', 'Scaffold runbooks/<service>.md from the runbook template', [
    'inc runbook new payment-service',
    '$EDITOR "$(inc runbook new search-api)"',
  ])
    .argument('[service]', 'the service, as incidents name it ("Payment Service" gets runbooks/payment-service.md)')
    .addOption(noCommitOption())
    .action(async (raw: string | undefined, opts: { commit: boolean }) => {
      const project = await openProject(ctx);
      requireInitialised(project);
      const service = checkService(raw ?? (await askService(ctx, project, 'new')));
      const path = runbookPath(service);
      if (existsSync(absolutePath(project, path))) {
        throw new IncError(`${path} already exists`, 1, `Read it with \`inc runbook show ${service}\`, or edit the file.`);
      }
      const template = loadTemplate(project.root, 'runbook.md');
      const content = renderTemplate(template.text, { service, date: dateInZone(ctx.now().getTime(), project.config.timezone) });
      const result = await writeAndCommit(project, { noCommit: !opts.commit }, () => ({
        files: [{ path, content }],
        message: `inc: runbook for ${service}`,
      }));
      ctx.stdout.write(`${path}\n`);
      writeErr(ctx, `Created ${path} from ${template.source}${result.committed ? '' : ' (not committed)'}; fill in the <...> parts.`);
    });
}

function showRunbook(ctx: Context) {
  return newCommand('show', 'Print the runbook of a service', ['inc runbook show payment-service', 'inc runbook show payment-service | less'])
    .argument('[service]', 'the service')
    .action(async (raw: string | undefined) => {
      const project = await openProject(ctx);
      const service = checkService(raw ?? (await askService(ctx, project, 'show')));
      const path = runbookPath(service);
      const absolute = absolutePath(project, path);
      if (!existsSync(absolute)) {
        const known = listRunbooks(project);
        throw new IncError(
          `no runbook for ${service} (${path} does not exist)`,
          1,
          `${known.length > 0 ? `Runbooks: ${known.join(', ')}. ` : ''}Create it with \`inc runbook new ${service}\`.`,
        );
      }
      const text = readRepoFile(absolute, path);
      // A runbook may come from a pull request: control characters shown visibly, lines kept.
      const shown = visible(text, { multiLine: true });
      writeOut(ctx, shown.endsWith('\n') ? shown : `${shown}\n`);
    });
}

function listCommand(ctx: Context) {
  return newCommand('list', 'List the services that have a runbook', ['inc runbook list', 'inc runbook list --json'])
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const project = await openProject(ctx);
      const services = listRunbooks(project);
      if (opts.json) {
        printJson(ctx, services.map((service) => ({ service, path: runbookPath(service) })));
        return;
      }
      if (services.length === 0) {
        writeErr(ctx, 'No runbooks yet. Create one with `inc runbook new <service>`.');
        return;
      }
      const width = Math.max(...services.map((s) => s.length)) + 2;
      for (const service of services) ctx.stdout.write(`${service.padEnd(width)}${runbookPath(service)}\n`);
    });
}

export function build(ctx: Context) {
  return newCommand('runbook', 'Runbooks per service: new, show, list', [
    'inc runbook new payment-service',
    'inc runbook show payment-service',
    'inc runbook list',
  ])
    .addCommand(newRunbook(ctx))
    .addCommand(showRunbook(ctx))
    .addCommand(listCommand(ctx))
}
