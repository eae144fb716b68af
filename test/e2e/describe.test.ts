/**
 * inc describe: generated from the commander definitions the CLI parses with, so it cannot
 * drift from `--help`; and the JSON fields it lists are exactly those each read command prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_OUTPUTS } from '../../src/commands/describe.js';
import { makeRepo, PAYMENT_OUTAGE as ID, type TempRepo } from '../helpers/repo.js';
import { cloneForBob } from '../helpers/clones.js';

interface Described {
  name: string;
  usage: string;
  summary: string;
  arguments: { name: string; required: boolean; variadic: boolean }[];
  options: { flags: string; type: string; default?: unknown; choices?: string[] }[];
  subcommands: Described[];
  json?: { fields: Record<string, string> };
}

let repo: TempRepo;
let commands: Described[];

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  await repo.ok(['open', 'Payment outage', '--sev', '1', '--at', '14:05', '--service', 'payment-service']);
  const described = await repo.ok(['describe', '--json']);
  commands = (JSON.parse(described.stdout) as { commands: Described[] }).commands;
});
afterAll(() => repo?.cleanup());

const everyCommand = (list: Described[]): Described[] => list.flatMap((c) => [c, ...everyCommand(c.subcommands)]);

/** The options section of a command's help: the flags of each line, as help prints them. */
function helpFlags(help: string): string[] {
  const section = help.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^ {2}-/.test(line))
    .map((line) => line.trim().split(/ {2,}/)[0]!);
}

describe('inc describe', () => {
  it('lists every command of `inc --help`, and no hidden one', async () => {
    const help = (await repo.ok(['--help'])).stdout;
    const listed = [...help.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]);
    expect(commands.map((c) => c.name).sort()).toEqual(listed.sort());
    expect(commands.map((c) => c.name)).not.toContain('__complete');
  });

  it('says what --help says: the usage line and every flag of every command and subcommand', async () => {
    for (const command of everyCommand(commands)) {
      const help = (await repo.ok([...command.name.split(' '), '--help'])).stdout;
      expect(help.split('\n')[0], command.name).toBe(`Usage: ${command.usage}`);
      expect(command.options.map((o) => o.flags), command.name).toEqual(helpFlags(help));
      for (const argument of command.arguments) expect(command.usage, command.name).toContain(argument.name);
    }
  });

  it('gives each flag a type, its default and its choices', () => {
    const stats = commands.find((c) => c.name === 'stats')!;
    expect(stats.options.find((o) => o.flags === '--format <format>')).toMatchObject({ type: 'string', choices: ['table', 'json', 'csv', 'markdown', 'prometheus'] });
    const open = commands.find((c) => c.name === 'open')!;
    expect(open.options.find((o) => o.flags.includes('--service'))).toMatchObject({ type: 'string[]' });
    expect(open.options.find((o) => o.flags === '--drill')).toMatchObject({ type: 'boolean' });
    const log = commands.find((c) => c.name === 'log')!;
    expect(log.arguments).toEqual([expect.objectContaining({ name: 'text', required: false, variadic: true })]);
  });

  it('describes the JSON of every command that prints JSON, and only of those', () => {
    const printsJson = everyCommand(commands)
      .filter((c) => c.options.some((o) => o.flags === '--json' || (o.flags.startsWith('--format') && (o.choices?.includes('json') ?? /json/.test(JSON.stringify(o))))))
      .map((c) => c.name);
    expect(printsJson.sort()).toEqual(Object.keys(JSON_OUTPUTS).sort());
    for (const name of printsJson) expect(everyCommand(commands).find((c) => c.name === name)!.json, name).toBeDefined();
  });

  it('names exactly the fields each read command prints', async () => {
    const keys = async (args: string[]) => {
      const printed = JSON.parse((await repo.ok(args)).stdout) as unknown;
      return Object.keys((Array.isArray(printed) ? printed[0] : printed) as object).sort();
    };
    const fields = (name: string) => Object.keys(JSON_OUTPUTS[name]!.fields).sort();
    expect(await keys(['show', ID, '--json'])).toEqual(fields('show'));
    expect(await keys(['describe', '--json'])).toEqual(fields('describe'));
    expect(await keys(['list', '--json'])).toEqual(fields('list'));
    expect(await keys(['status', '--json'])).toEqual(fields('status'));
    expect(await keys(['stats', '--json'])).toEqual(fields('stats'));
    expect(await keys(['check', '--format', 'json'])).toEqual(fields('check'));
    expect(await keys(['comms', 'investigating', '--json', '--no-commit'])).toEqual(fields('comms'));
    await repo.ok(['runbook', 'new', 'payment-service']);
    expect(await keys(['runbook', 'list', '--json'])).toEqual(fields('runbook list'));
    await repo.ok(['resolve', '--at', '15:00']);
    await repo.ok(['postmortem', '--no-branch']);
    repo.write(`incidents/${ID}/postmortem.md`, repo.read(`incidents/${ID}/postmortem.md`).replace(/\n## Action items\n[\s\S]*?\n(?=## )/, '\n## Action items\n\n| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| Canary | Bob | P1 | 2026-04-01 | ENG-1 | todo |\n\n'));
    expect(await keys(['actions', '--json'])).toEqual(fields('actions'));
    cloneForBob(repo);
    expect(await keys(['sync', '--json'])).toEqual(fields('sync'));
  });

  it('describes one command, and refuses a name that is none', async () => {
    const one = JSON.parse((await repo.ok(['describe', 'log', '--json'])).stdout) as { commands: Described[]; exit_codes: Record<string, string> };
    expect(one.commands.map((c) => c.name)).toEqual(['log']);
    expect(Object.keys(one.exit_codes)).toEqual(['0', '1', '2', '130']);
    const text = (await repo.ok(['describe', 'log'])).stdout;
    expect(text).toContain('inc log [options] [text...]');
    expect(text).toContain('--dry-run (boolean)');
    const bad = await repo.inc(['describe', 'lgo']);
    expect(bad.code).toBe(2);
  });
});
