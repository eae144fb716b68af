// @inquirer/testing/vitest must come first: it replaces @inquirer/prompts with prompts
// that read from and render to its virtual `screen`.
import { screen } from '@inquirer/testing/vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOpen } from '../../src/commands/open.js';
import { run } from '../../src/main.js';
import { runSev } from '../../src/commands/sev.js';
import { InterruptedError, UsageError } from '../../src/domain/errors.js';
import { parseSeverityMatrix } from '../../src/domain/severity.js';
import { readYamlFile } from '../../src/domain/yaml-document.js';
import { askServices, askSeverity, askText } from '../../src/io/prompts.js';
import { fakeContext } from '../helpers/context.js';
import { commitSubjects, makeRepo, type TempRepo } from '../helpers/repo.js';

const matrix = (() => {
  const text = readFileSync(new URL('../../templates/incident-severity.yaml', import.meta.url), 'utf8');
  const { data, lineOf } = readYamlFile(text, 'incident-severity.yaml');
  return parseSeverityMatrix(data, 'incident-severity.yaml', lineOf);
})();

const missing = { flag: '--sev', example: 'inc open "x" --sev 2' };

describe('prompts on a terminal', () => {
  it('offers the matrix levels with their descriptions and returns the one picked', async () => {
    const answer = askSeverity(fakeContext({ tty: true }), matrix, missing);
    await screen.next(); // the prompt module loads lazily: wait for the first render
    const shown = screen.getScreen();
    for (const level of matrix.levels) expect(shown).toContain(`${level.name}  ${level.description}`);
    expect(shown).toContain('response: 5 minutes'); // the description line of the highlighted level
    screen.keypress('down');
    screen.keypress('enter');
    await expect(answer).resolves.toBe('SEV2');
  });

  it('starts on the current level when changing severity', async () => {
    const answer = askSeverity(fakeContext({ tty: true }), matrix, missing, 'SEV3');
    await screen.next();
    expect(screen.getScreen()).toContain('Severity (now SEV3)');
    screen.keypress('enter');
    await expect(answer).resolves.toBe('SEV3');
  });

  it('refuses an empty or unusable answer and says why, then accepts a good one', async () => {
    const answer = askText(fakeContext({ tty: true }), {
      ...missing,
      message: 'Title',
      problem: (text) => (text.includes('!') ? 'no exclamation marks' : undefined),
    });
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Please type a value');
    screen.type('Down!');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('no exclamation marks');
    for (let i = 0; i < 5; i += 1) screen.keypress('backspace');
    screen.type('  Checkout down  ');
    screen.keypress('enter');
    await expect(answer).resolves.toBe('Checkout down');
  });

  it('offers the services already seen, plus a way to type new ones', async () => {
    const answer = askServices(fakeContext({ tty: true }), ['payment-service', 'search-api'], { flag: '--service', example: 'inc open' });
    await screen.next();
    expect(screen.getScreen()).toContain('payment-service');
    expect(screen.getScreen()).toContain('another service');
    screen.keypress('space'); // payment-service
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('space'); // another service
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Other services');
    screen.type('cdn, payment-service');
    screen.keypress('enter');
    await expect(answer).resolves.toEqual(['payment-service', 'cdn']);
  });

  it('turns Ctrl-C into InterruptedError (exit 130)', async () => {
    const answer = askText(fakeContext({ tty: true }), { ...missing, message: 'Title' });
    await screen.next();
    expect(screen.getScreen()).toContain('Title');
    screen.keypress({ name: 'c', ctrl: true });
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
  });
});

describe('without a terminal', () => {
  it('never prompts: exit 2 naming the flag', async () => {
    const error = await askSeverity(fakeContext({ tty: false }), matrix, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toContain('--sev');
    expect((error as UsageError).hint).toContain('inc open "x" --sev 2');
    expect(screen.getScreen()).toBe('');
  });

  it('treats CI as no terminal even when the streams are TTYs', async () => {
    const error = await askText(fakeContext({ tty: true, env: { CI: 'true' } }), { ...missing, message: 'Title' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(screen.getScreen()).toBe('');
  });
});

describe('inc open and inc sev ask for what is missing', () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await makeRepo({ init: true });
  });
  afterEach(() => repo.cleanup());

  const terminal = () => fakeContext({ tty: true, cwd: repo.dir, env: repo.env });

  it('open: title, severity, services and commander, then one commit', async () => {
    const ctx = terminal();
    const opening = runOpen(ctx, '', { service: [], tag: [], commit: true });
    await screen.next();
    expect(screen.getScreen()).toContain('What is happening?');
    screen.type('Checkout returns 500s');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('SEV1  Full outage');
    screen.keypress('enter'); // SEV1
    await screen.next();
    expect(screen.getScreen()).toContain('Affected services'); // none seen yet: typed
    screen.type('payment-service');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Incident commander');
    screen.type('Alice');
    screen.keypress('enter');
    const id = await opening;

    expect(id).toBe('2026-03-15-checkout-returns-500s');
    expect(ctx.out()).toBe(`${id} opened 2026-03-15T15:30:00Z\n`); // prompts never reach stdout
    const incident = repo.read(`incidents/${id}/incident.md`);
    expect(incident).toContain('severity: "SEV1"');
    expect(incident).toContain('- "payment-service"');
    expect(incident).toContain('commander: "Alice"');
    expect(commitSubjects(repo)[0]).toBe(`inc(${id}): open SEV1 "Checkout returns 500s"`);
    expect(ctx.err()).not.toContain('No incident commander');
  });

  it('open: given title, services and commander, asks only the severity', async () => {
    const opening = runOpen(terminal(), 'Search is stale', { service: ['search-api'], tag: [], commit: true, commander: 'Bob' });
    await screen.next();
    expect(screen.getScreen()).toContain('Severity');
    screen.keypress('down');
    screen.keypress('enter');
    const id = await opening;
    expect(repo.read(`incidents/${id}/incident.md`)).toContain('severity: "SEV2"');
  });

  it('open: Ctrl-C at a prompt writes nothing and commits nothing', async () => {
    const before = commitSubjects(repo);
    const opening = runOpen(terminal(), 'Checkout returns 500s', { service: [], tag: [], commit: true });
    await screen.next();
    screen.keypress({ name: 'c', ctrl: true });
    await expect(opening).rejects.toBeInstanceOf(InterruptedError);
    expect(existsSync(join(repo.dir, 'incidents', '2026-03-15-checkout-returns-500s'))).toBe(false);
    expect(commitSubjects(repo)).toEqual(before);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('sev: offers the levels starting from the current one', async () => {
    const id = await runOpen(fakeContext({ tty: false, cwd: repo.dir, env: repo.env }), 'Search is stale', {
      sev: '2',
      service: [],
      tag: [],
      commit: true,
    });
    const changing = runSev(terminal(), undefined, '', { commit: true });
    await screen.next();
    expect(screen.getScreen()).toContain('Severity (now SEV2)');
    screen.keypress('up');
    screen.keypress('enter');
    await expect(changing).resolves.toBe('SEV1');
    expect(repo.read(`incidents/${id}/timeline.md`)).toContain('| Severity changed from SEV2 to SEV1 | Alice Example | severity |');
  });

  it('log: asks what happened when the text is left out, then logs it', async () => {
    const id = await runOpen(fakeContext({ tty: false, cwd: repo.dir, env: repo.env }), 'Search is stale', { sev: '2', service: [], tag: [], commit: true });
    const ctx = terminal();
    const logging = run(['log'], ctx);
    await screen.next();
    expect(screen.getScreen()).toContain('What happened?');
    screen.type('cache flushed');
    screen.keypress('enter');
    await expect(logging).resolves.toBe(0);
    expect(repo.read(`incidents/${id}/timeline.md`)).toContain('| cache flushed | Alice Example |');
    const piped = fakeContext({ tty: false, cwd: repo.dir, env: repo.env });
    expect(await run(['log'], piped)).toBe(2);
    expect(piped.err()).toContain('missing <text> (no terminal to ask on)');
  });
});

describe('inc init proposes the zone on a terminal', () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await makeRepo();
  });
  afterEach(() => repo.cleanup());

  it('offers the machine\'s zone, names where it comes from, and writes the one accepted', async () => {
    const ctx = fakeContext({ tty: true, cwd: repo.dir, env: { ...repo.env, TZ: 'Europe/Berlin' } });
    const init = run(['init'], ctx);
    await screen.next();
    expect(screen.getScreen()).toContain("Time zone for typed and shown times (this machine's zone, from $TZ)");
    expect(screen.getScreen()).toContain('Europe/Berlin');
    screen.keypress('enter');
    expect(await init).toBe(0);
    expect(repo.read('.inc/config.yaml')).toContain('timezone: "Europe/Berlin"');
    expect(ctx.err()).toContain('Times are typed and shown in Europe/Berlin');
  });
});
