/**
 * The pathological corpus (test/fixtures/pathological/corpus.mjs): inputs a hostile pull
 * request can carry, up to the 2 MiB file limit. For each command of each case: the expected
 * exit code and messages, no raw control character on stdout or stderr, no line that the
 * GitHub Actions runner would read as a workflow command, JSON that strict parsers accept, no
 * raw HTML in a report, and a bound on the CPU time inc spends.
 *
 * The bound is 10 s of CPU time, over 100 times what these commands cost on a normal file, so
 * it fails only on super-linear work, never on a slow machine: CPU time (measured inside inc
 * by a preloaded module) does not grow with the machine's load as the wall clock does. The
 * real binary runs, not run() in-process: a runaway regular expression cannot be interrupted
 * in-process, and what reaches the real stdout and stderr is what is tested.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, EXAMPLE } from '../fixtures/pathological/corpus.mjs';
import { baseEnv, BIN, ROOT } from '../helpers/repo.js';

const CPU_BOUND_MS = 10_000;
/** Only a hang reaches this: the process is killed and the test fails. */
const WALL_KILL_MS = 240_000;
const PRELOAD = join(ROOT, 'test', 'helpers', 'report-cpu.mjs');

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** A JSON escape of half a surrogate pair: real pairs are written as characters. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  cpuMs: number;
}

function runInc(args: string[], cwd: string, env: Record<string, string>): Promise<Outcome> {
  const cpuFile = join(cwd, '..', 'cpu.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], { cwd, env: { ...env, INC_TEST_CPU_FILE: cpuFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const killer = setTimeout(() => child.kill('SIGKILL'), WALL_KILL_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      let cpuMs = Number.POSITIVE_INFINITY;
      try {
        cpuMs = Number(readFileSync(cpuFile, 'utf8'));
      } catch {
        // killed before it could write: the bound fails below
      }
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), cpuMs });
    });
  });
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const worst = { ms: 0, what: '' };
afterAll(() => console.log(`pathological corpus: the most CPU time of any command was ${Math.round(worst.ms)} ms (${worst.what})`));

/**
 * Every case starts from the same repository (`inc init` and the worked example, committed),
 * made once and copied: 23 cases of init, add and commit cost more than the cases' own commands.
 */
let template: string | undefined;
async function startingRepository(): Promise<string> {
  if (template) return template;
  const base = mkdtempSync(join(tmpdir(), 'inc-corpus-template-'));
  made.push(base);
  const dir = join(base, 'ops');
  const home = join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  const env = baseEnv(home);
  await runGit(['init', '-q', '-b', 'main'], dir, env);
  expect((await runInc(['init'], dir, env)).code).toBe(0);
  cpSync(join(ROOT, 'incidents', EXAMPLE), join(dir, 'incidents', EXAMPLE), { recursive: true });
  await runGit(['add', '-A'], dir, env);
  await runGit(['commit', '-q', '-m', 'worked example'], dir, env);
  template = dir;
  return dir;
}

describe.each(CASES)('$name: $about', (corpusCase) => {
  it('every command ends within the bound with the expected outcome, printing no control character and no workflow command', async () => {
    const base = mkdtempSync(join(tmpdir(), 'inc-corpus-'));
    made.push(base);
    const dir = join(base, 'ops');
    const home = join(base, 'home');
    cpSync(await startingRepository(), dir, { recursive: true });
    mkdirSync(home);
    const env = baseEnv(home);
    for (const args of corpusCase.setup ?? []) {
      const setup = await runInc(args, dir, env);
      expect(setup.code, setup.stderr).toBe(0);
    }
    corpusCase.apply(dir);

    for (const command of corpusCase.commands) {
      const what = `inc ${command.args.join(' ')}`;
      const result = await runInc(command.args, dir, { ...env, ...command.env });
      if (result.cpuMs > worst.ms) Object.assign(worst, { ms: result.cpuMs, what: `${corpusCase.name}: ${what}` });
      expect(result.cpuMs, `${what}: CPU time`).toBeLessThan(CPU_BOUND_MS);
      expect(result.code, `${what}: exit code; stderr: ${result.stderr.slice(0, 2000)}`).toBe(command.exit);
      expect(result.stderr, what).not.toMatch(/\n\s+at |unexpected error/);
      for (const expected of command.stdout ?? []) expect(result.stdout, `${what}: stdout`).toContain(expected);
      for (const expected of command.stderr ?? []) expect(result.stderr, `${what}: stderr`).toContain(expected);
      for (const [name, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
        // CRLF ends CSV records (RFC 4180); a lone CR is what overwrites a line.
        expect(RAW_CONTROL.exec(text.replace(/\r\n/g, '\n'))?.[0], `${what}: a raw control character on ${name}`).toBeUndefined();
        // The runner splits at CR as well as LF, and ignores leading spaces before `::`.
        for (const line of text.split(/\r\n|\r|\n/)) {
          const command = line.trimStart();
          if (!command.startsWith('::')) continue;
          expect(name === 'stdout' && /^::(error|warning|notice) file=incidents(\/|%)[^:]*,line=\d+,title=inc check%3A [^:]*::/.test(command), `${what}: ${name} line read as a workflow command: ${line.slice(0, 200)}`).toBe(true);
        }
      }
      if (command.args.includes('--json') || command.args.includes('json')) {
        expect(() => JSON.parse(result.stdout), `${what}: JSON`).not.toThrow();
        expect(SURROGATE_ESCAPE.exec(result.stdout)?.[0], `${what}: half a surrogate pair in JSON`).toBeUndefined();
      }
      if (command.args.includes('markdown')) expect(result.stdout, `${what}: raw HTML`).not.toMatch(/<(img|script)\b/i);
    }
  }, 1_800_000);
});

function runGit(args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')} exited ${code}`))));
  });
}
