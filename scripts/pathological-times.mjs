#!/usr/bin/env node
/**
 * Times every command of the pathological corpus (test/fixtures/pathological/corpus.mjs)
 * against a build of inc, to compare builds: the worst time is the figure that matters.
 * Each command's wall time and CPU time (user + system, measured inside inc); a command still
 * running after --timeout seconds is killed and reported as such.
 *
 *   node scripts/pathological-times.mjs [--bin path/to/bin/inc.js] [--timeout 60] [--case NAME]... [--json]
 *
 * A measurement, not a test: test/e2e/pathological.test.ts checks the outcomes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CASES, EXAMPLE } from '../test/fixtures/pathological/corpus.mjs';
import { testEnvironment } from '../test/helpers/env.mjs';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Writes inc's own CPU time on exit: unlike the wall clock, it does not grow with the machine's load. */
const PRELOAD = join(PROJECT, 'test', 'helpers', 'report-cpu.mjs');
const { values: flags } = parseArgs({
  options: {
    bin: { type: 'string', default: join(PROJECT, 'bin', 'inc.js') },
    timeout: { type: 'string', default: '60' },
    case: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  },
});
const timeoutMs = Number(flags.timeout) * 1000;


const results = [];
for (const corpusCase of CASES.filter((c) => !flags.case || flags.case.includes(c.name))) {
  const base = mkdtempSync(join(tmpdir(), 'inc-corpus-'));
  const dir = join(base, 'ops');
  const home = join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  const env = testEnvironment(home, '2026-03-15T15:30:00Z');
  const cpuFile = join(base, 'cpu.txt');
  const inc = (args, extra = {}) => {
    const started = process.hrtime.bigint();
    rmSync(cpuFile, { force: true });
    const run = spawnSync(process.execPath, ['--import', PRELOAD, flags.bin, ...args], {
      cwd: dir,
      env: { ...env, ...extra, INC_TEST_CPU_FILE: cpuFile },
      timeout: timeoutMs,
      maxBuffer: 1024 * 1024 * 1024,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, cpuMs: existsSync(cpuFile) ? Number(readFileSync(cpuFile, 'utf8')) : null, code: run.status, killed: run.signal !== null };
  };
  try {
    spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
    inc(['init']);
    cpSync(join(PROJECT, 'incidents', EXAMPLE), join(dir, 'incidents', EXAMPLE), { recursive: true });
    spawnSync('git', ['add', '-A'], { cwd: dir, env });
    spawnSync('git', ['commit', '-q', '-m', 'worked example'], { cwd: dir, env });
    for (const args of corpusCase.setup ?? []) inc(args);
    corpusCase.apply(dir);
    for (const command of corpusCase.commands) {
      const result = inc(command.args, command.env);
      results.push({ case: corpusCase.name, command: `inc ${command.args.map((a) => JSON.stringify(a)).join(' ')}`, ...result });
      if (!flags.json) {
        const time = result.killed ? `>${flags.timeout} s (killed)` : `${(result.ms / 1000).toFixed(2)} s`;
        const cpu = result.cpuMs === null ? '-' : `${(result.cpuMs / 1000).toFixed(2)} s`;
        process.stdout.write(`${corpusCase.name.padEnd(26)} wall ${time.padStart(16)}  cpu ${cpu.padStart(8)}  exit ${String(result.code).padEnd(4)} inc ${command.args.join(' ').replace(/[\x00-\x1f\x7f-\x9f]/g, '?')}\n`);
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
const worst = results.reduce((a, b) => (b.killed || b.ms > a.ms ? b : a), { ms: 0 });
const worstCpu = results.reduce((a, b) => ((b.cpuMs ?? 0) > (a.cpuMs ?? 0) ? b : a), { cpuMs: 0 });
const killed = results.filter((r) => r.killed).length;
if (flags.json) process.stdout.write(`${JSON.stringify({ worst, worstCpu, killed, results }, null, 2)}\n`);
else {
  process.stdout.write(`worst wall time: ${worst.killed ? `>${flags.timeout} s (killed)` : `${(worst.ms / 1000).toFixed(2)} s`} ${worst.case} ${worst.command}\n`);
  process.stdout.write(`worst CPU time of a command that finished: ${((worstCpu.cpuMs ?? 0) / 1000).toFixed(2)} s ${worstCpu.case} ${worstCpu.command}\n`);
  process.stdout.write(`killed at ${flags.timeout} s: ${killed} of ${results.length} commands\n`);
}
