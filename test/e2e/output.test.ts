/**
 * One output convention for every command that writes: stdout carries what scripts need, for
 * a write about an incident one line per change, `<id> <event> <value>`, the id first; stderr
 * carries the sentence for people. The commands are enumerated from the registry the CLI runs
 * (main.ts's COMMANDS, through describe), so a new command that writes fails here until it has
 * a step below and a line in describe's WRITE_OUTPUTS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandDescription, describeAll, WRITE_OUTPUTS } from '../../src/commands/describe.js';
import { COMMANDS } from '../../src/main.js';
import { cloneForBob } from '../helpers/clones.js';
import { fakeContext } from '../helpers/context.js';
import { finishPostmortem } from '../helpers/postmortem.js';
import { makeRepo, ROOT, type RunResult, type TempRepo } from '../helpers/repo.js';

const ID = '2026-03-15-payment-outage';
const SEARCH = '2026-03-15-search-is-stale';
const PM = `incidents/${ID}/postmortem.md`;
const IMPORTS = join(ROOT, 'test/fixtures/import');

/**
 * What a step's stdout must be. `incident`: exactly these lines, each `<id> <event> [value]`.
 * The documented exceptions (WRITE_OUTPUTS says the same): `paths`, the files or folder
 * written, one a line; `text`, the status-page text to paste; `nothing`, an empty stdout.
 */
type Expected =
  | { kind: 'incident'; lines: string[] | RegExp }
  | { kind: 'paths'; paths?: string[] }
  | { kind: 'text'; contains: string }
  | { kind: 'nothing' };

interface Step {
  /** The command as typed (`postmortem approve`): the name describe gives it. */
  command: string;
  /** What has to be so first (another incident open, a postmortem filled in). */
  before?: (repo: TempRepo) => Promise<void>;
  args: string[];
  expected: Expected;
}

/** One incident from declaration to published postmortem, then the repository-wide writes. */
const STEPS: Step[] = [
  {
    command: 'init',
    args: ['init', '--timezone', 'UTC'],
    expected: { kind: 'paths', paths: ['.gitattributes', '.inc/config.yaml', 'incident-severity.yaml', 'incidents/README.md'] },
  },
  {
    command: 'open',
    args: ['open', 'Payment outage', '--sev', '2', '--service', 'payment-service', '--at', '14:05'],
    expected: { kind: 'incident', lines: [`${ID} opened 2026-03-15T14:05:00Z`] },
  },
  { command: 'ack', args: ['ack', '--at', '14:06'], expected: { kind: 'incident', lines: [`${ID} acknowledged 2026-03-15T14:06:00Z`] } },
  { command: 'log', args: ['log', '--at', '14:07', 'rollback initiated'], expected: { kind: 'incident', lines: [`${ID} logged 2026-03-15T14:07:00Z`] } },
  { command: 'amend', args: ['amend', '14:07', 'rollback initiated by Bob'], expected: { kind: 'incident', lines: new RegExp(`^${ID} amended ~[0-9a-f]{7}\\n$`) } },
  {
    command: 'retract',
    before: async (repo) => void (await repo.ok(['log', '--at', '14:08', 'paged the wrong team'])),
    args: ['retract', '14:08', 'logged in error'],
    expected: { kind: 'incident', lines: new RegExp(`^${ID} retracted ~[0-9a-f]{7}\\n$`) },
  },
  { command: 'sev', args: ['sev', '1', 'every region affected'], expected: { kind: 'incident', lines: [`${ID} severity SEV1`] } },
  {
    command: 'assign',
    args: ['assign', '--commander', 'Alice', '--comms', 'Bob', '--sme', 'Carol'],
    expected: { kind: 'incident', lines: [`${ID} commander Alice`, `${ID} comms Bob`, `${ID} sme Carol`] },
  },
  { command: 'identify', args: ['identify', '--at', '14:15', 'bad deploy'], expected: { kind: 'incident', lines: [`${ID} identified 2026-03-15T14:15:00Z`] } },
  {
    command: 'comms',
    args: ['comms', 'identified', '--symptom', 'failed card payments'],
    expected: { kind: 'text', contains: 'failed card payments' },
  },
  { command: 'mitigate', args: ['mitigate', '--at', '14:22'], expected: { kind: 'incident', lines: [`${ID} mitigated 2026-03-15T14:22:00Z`] } },
  { command: 'relapse', args: ['relapse', '--at', '14:25', 'errors are back'], expected: { kind: 'incident', lines: [`${ID} relapsed 2026-03-15T14:25:00Z`] } },
  { command: 'milestone', args: ['milestone', 'started', '--at', '14:02'], expected: { kind: 'incident', lines: [`${ID} started 2026-03-15T14:02:00Z`] } },
  {
    command: 'use',
    // A second incident opened becomes current; `inc use` makes the first one current again.
    before: async (repo) => void (await repo.ok(['open', 'Search is stale', '--sev', '3', '--at', '14:30'])),
    args: ['use', ID],
    expected: { kind: 'incident', lines: [`${ID} current`] },
  },
  // The second incident: a false alarm, then not, then the same as the first.
  {
    command: 'decline',
    args: ['decline', '--incident', SEARCH, '--at', '14:40', 'the probe was broken'],
    expected: { kind: 'incident', lines: [`${SEARCH} declined 2026-03-15T14:40:00Z`] },
  },
  { command: 'reopen', args: ['reopen', '--incident', SEARCH, '--at', '14:45'], expected: { kind: 'incident', lines: [`${SEARCH} reopened 2026-03-15T14:45:00Z`] } },
  { command: 'duplicate', args: ['duplicate', ID, '--incident', SEARCH, '--at', '14:50'], expected: { kind: 'incident', lines: [`${SEARCH} duplicate ${ID}`] } },
  { command: 'resolve', args: ['resolve', '--at', '15:00'], expected: { kind: 'incident', lines: [`${ID} resolved 2026-03-15T15:00:00Z`] } },
  { command: 'runbook new', args: ['runbook', 'new', 'payment-service'], expected: { kind: 'paths', paths: ['runbooks/payment-service.md'] } },
  { command: 'postmortem', args: ['postmortem', ID, '--no-branch'], expected: { kind: 'incident', lines: [`${ID} postmortem ${PM}`] } },
  {
    command: 'postmortem approve',
    args: ['postmortem', 'approve', ID, '--reviewer', 'Dana Lee'],
    expected: { kind: 'incident', lines: [`${ID} approved Dana Lee`] },
  },
  {
    command: 'postmortem publish',
    before: async (repo) => {
      repo.write(PM, finishPostmortem(repo.read(PM)));
      repo.git(['commit', '-qam', 'write the postmortem']);
    },
    args: ['postmortem', 'publish', ID],
    expected: { kind: 'incident', lines: [`${ID} published 2026-03-15`] },
  },
  {
    command: 'postmortem',
    // The review finds when impact began: every generated block changes.
    before: async (repo) => void (await repo.ok(['milestone', 'started', '--at', '14:00', '--incident', ID])),
    args: ['postmortem', '--refresh', ID],
    expected: { kind: 'incident', lines: ['metadata', 'impact', 'timeline', 'metrics'].map((block) => `${ID} refreshed ${block}`) },
  },
  {
    command: 'import statuspage',
    args: ['import', 'statuspage', join(IMPORTS, 'statuspage/emma-incidents.json')],
    expected: { kind: 'incident', lines: /^(\d{4}-\d{2}-\d{2}-[a-z0-9-]+ imported statuspage:\S+\n){22}$/ },
  },
  {
    command: 'import csv',
    args: ['import', 'csv', join(IMPORTS, 'pagerduty/incidents.csv'), '--preset', 'pagerduty'],
    expected: {
      kind: 'incident',
      lines: [
        '2026-01-12-checkout-returns-500s-eu-only imported pagerduty:1041',
        '2026-01-20-search-results-stale-after-reindex imported pagerduty:1042',
        '2026-02-02-hyperlink-http-x imported pagerduty:1043',
      ],
    },
  },
  {
    command: 'import report',
    args: ['import', 'report', join(IMPORTS, 'mybinder/2018-02-22-nginx-down.md'), '--sev', '2', '--yes', '--identified', '16:32'],
    expected: { kind: 'incident', lines: ['2018-02-23-nginx-crash imported report:nginx-crash:2018-02-22T16:30'] },
  },
  { command: 'publish', args: ['publish', '--out', '_site'], expected: { kind: 'paths' } },
  {
    command: 'sync',
    before: async (repo) => {
      cloneForBob(repo);
      await repo.ok(['log', '--incident', ID, 'shared with the team']);
    },
    args: ['sync'],
    expected: { kind: 'nothing' },
  },
];

const everyCommand = (list: CommandDescription[]): CommandDescription[] => list.flatMap((c) => [c, ...everyCommand(c.subcommands)]);

/** A command writes when it takes --no-commit or --dry-run (configureCommand adds the one to the other), or describe says it does. */
const writes = (c: CommandDescription) => c.options.some((o) => o.long === '--no-commit' || o.long === '--dry-run') || Object.hasOwn(WRITE_OUTPUTS, c.name);

let repo: TempRepo;
let described: CommandDescription[];
beforeAll(async () => {
  repo = await makeRepo();
  described = everyCommand(await describeAll(fakeContext({ tty: false }), COMMANDS));
});
afterAll(() => repo?.cleanup());

describe('every command that writes', () => {
  it('has a step in this test and a stdout line in describe (WRITE_OUTPUTS)', () => {
    const writers = described.filter(writes).map((c) => c.name);
    const stepped = new Set(STEPS.map((s) => s.command));
    const withoutStep = writers.filter((name) => !stepped.has(name));
    expect(
      withoutStep,
      `inc ${withoutStep.join(', inc ')} writes, but test/e2e/output.test.ts has no step for it: add one to STEPS that runs it and gives the stdout it prints (\`<id> <event> <value>\` for a write about an incident)`,
    ).toEqual([]);
    const undocumented = writers.filter((name) => !Object.hasOwn(WRITE_OUTPUTS, name));
    expect(undocumented, `add what inc ${undocumented.join(', inc ')} prints on stdout to WRITE_OUTPUTS in src/commands/describe.ts`).toEqual([]);
    const stale = [...stepped, ...Object.keys(WRITE_OUTPUTS)].filter((name) => !writers.includes(name));
    expect(stale, 'steps or WRITE_OUTPUTS entries for commands that do not exist or do not write').toEqual([]);
  });
});

describe('the README', () => {
  it('documents what every write prints, as WRITE_OUTPUTS says it', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    for (const [name, { line, note }] of Object.entries(WRITE_OUTPUTS)) {
      const text = line === '' ? note! : `\`${cell(line)}\`${note ? `: ${cell(note)}` : ''}`;
      expect(readme, `README.md, section Output: the row of inc ${name}`).toContain(`| \`inc ${name}\` | ${text} |\n`);
    }
  });
});

describe.sequential('stdout for scripts, stderr a sentence for people', () => {
  for (const step of STEPS) {
    it(`inc ${step.command}`, async () => {
      await step.before?.(repo);
      const result = await repo.ok(step.args);
      expectStdout(step, result);
      expectSentence(step, result.stderr);
    });
  }
});

function expectStdout(step: Step, { stdout }: RunResult): void {
  const expected = step.expected;
  const lines = stdout.split('\n').slice(0, -1);
  switch (expected.kind) {
    case 'incident':
      if (expected.lines instanceof RegExp) expect(stdout).toMatch(expected.lines);
      else expect(stdout).toBe(expected.lines.map((line) => `${line}\n`).join(''));
      for (const line of lines) {
        const [id, event] = line.split(' ');
        expect(line, `inc ${step.command}: <id> <event> [value]`).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+ [a-z][a-z-]*( \S.*)?$/);
        expect(existsSync(join(repo.dir, 'incidents', id!)), `inc ${step.command}: ${id} is an incident`).toBe(true);
        expect(event).not.toBe('');
      }
      break;
    case 'paths':
      expect(lines.length, `inc ${step.command} prints what it wrote`).toBeGreaterThan(0);
      if (expected.paths) expect([...lines].sort()).toEqual(expected.paths);
      for (const path of lines) expect(existsSync(isAbsolute(path) ? path : join(repo.dir, path)), path).toBe(true);
      break;
    case 'text':
      expect(stdout).toContain(expected.contains);
      expect(stdout).not.toMatch(new RegExp(`^${ID} `));
      break;
    case 'nothing':
      expect(stdout).toBe('');
      break;
  }
}

/** The first line of stderr says what happened as a sentence; no error or warning voice. */
function expectSentence(step: Step, stderr: string): void {
  const first = stderr.split('\n')[0]!;
  expect(first, `inc ${step.command}: stderr says what happened`).toMatch(/^[A-Z0-9][^\n]*\.$/);
  expect(stderr, `inc ${step.command}: no error or warning on success`).not.toMatch(/^inc: /m);
}
