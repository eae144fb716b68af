#!/usr/bin/env node
/**
 * `npm run bench`: generates a repository of N incidents, then times inc's commands
 * against floors measured in the same run on the same machine (these machines are noisy, so
 * targets are ratios): `node -e 0` for start-up, a plain append + `git add` + `git commit` for
 * `inc log`, a plain read of the files a reader reads for `inc stats`, `inc check` and
 * `inc list --all --json`. Each figure is the median of several runs, taken in interleaved
 * rounds after one warm-up round. A missed target is printed, never an error: this is a
 * measurement, not a test, and it exits 0 unless it could not run at all.
 *
 *   node scripts/bench.mjs [--incidents 10000] [--publish-incidents 1000] [--runs 7] [--json] [--keep]
 *
 * `inc publish` is timed on a repository of its own (--publish-incidents) against `inc stats
 * --json` on that same repository.
 *
 * The readers that CI runs on a fresh clone (stats, check, list --all --json) are timed twice:
 * cold, as in CI (CI=true, with inc's caches in .git/inc/ moved aside for the run: a fresh
 * clone has none), and warm; both against the plain read of the files it reads (every file of
 * incidents/ for stats and check, incident.md and postmortem.md for list), side by side.
 *
 * Peak memory of those readers, cold, is the kernel's ru_maxrss of the real binary, reported
 * on exit by a preloaded module (scripts/report-maxrss.mjs), so it needs nothing but node.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateRepo } from './generate-repo.mjs';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(PROJECT, 'bin', 'inc.js');
const NODE = process.execPath;

const { values: flags } = parseArgs({
  options: {
    incidents: { type: 'string', default: '10000' },
    'publish-incidents': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const incidentCount = Number(flags.incidents);
const publishCount = Number(flags['publish-incidents']);
const runs = Number(flags.runs);
if (![incidentCount, runs, publishCount].every((n) => Number.isInteger(n) && n >= 1)) {
  process.stderr.write('bench: --incidents, --publish-incidents and --runs take positive whole numbers\n');
  process.exit(2);
}
/** Start-up figures are a few tens of ms: more rounds steady their median. */
const QUICK_ROUNDS = runs * 3;
const MEMORY_ROUNDS = 3;

const say = (text) => process.stderr.write(`${text}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// --- the repository -------------------------------------------------------------------------
say(`Generating ${incidentCount} incidents...`);
const generateStart = performance.now();
const repo = generateRepo({ incidents: incidentCount, dir: mkdtempSync(join(tmpdir(), 'inc-bench-')) });
const generateMs = performance.now() - generateStart;
say(`  ${repo.files} files (${repo.postmortems} postmortems) in ${repo.root}, ${Math.round(generateMs)} ms`);

const env = { ...process.env, NO_COLOR: '1' };
delete env.INC_NOW;
delete env.INC_TZ;
delete env.INC_DEBUG;
const devNull = openSync('/dev/null', 'w');
/** The incident that `inc log` writes to: the newest open one, as during a real incident. */
const logId = repo.open.at(-1) ?? repo.ids.at(-1);
const showId = repo.ids.at(-1);
const floorFile = `incidents/${logId}/timeline.md`;

function spawn(argv, { capture = false, extraEnv } = {}) {
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd: repo.root,
    env: extraEnv ? { ...env, ...extraEnv } : env,
    stdio: ['ignore', capture ? 'pipe' : devNull, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return result;
}

function timed(argv, options) {
  const start = performance.now();
  const result = spawn(argv, options);
  return { ms: performance.now() - start, result };
}

let entry = 0;
/**
 * The floor of a write: what any tool must pay for appending one line and committing it.
 * - 'file' (the issue's floor): `git add FILE` + `git commit FILE`, a commit of that file only,
 *   which is what inc must do too: it never takes along what the user had staged.
 * - 'index': `git add FILE` + `git commit` of the whole index, cheaper because git reuses the
 *   index instead of building one from HEAD, but it would commit the user's staged work.
 * - 'only': one `git commit --only FILE`, as inc runs it: inc's own cost apart from git's.
 */
function logFloor(mode = 'file') {
  entry += 1;
  const start = performance.now();
  const message = `floor entry ${entry}`;
  const commits = {
    file: [() => spawn(['git', 'add', '--', floorFile]), () => spawn(['git', 'commit', '-q', '-m', message, '--', floorFile])],
    index: [() => spawn(['git', 'add', '--', floorFile]), () => spawn(['git', 'commit', '-q', '-m', message])],
    only: [() => spawn(['git', 'commit', '-q', '-m', message, '--only', '--', floorFile])],
  };
  const steps = [
    () => spawn([NODE, '-e', '0']),
    () => {
      appendFileSync(join(repo.root, floorFile), `| 2026-10-31T23:00:00Z | ${message} | Bench Bot | note |\n`);
      return { status: 0 };
    },
    ...commits[mode],
  ];
  for (const step of steps) {
    const result = step();
    if (result.status !== 0) return { ms: performance.now() - start, result };
  }
  return { ms: performance.now() - start, result: { status: 0, stderr: '' } };
}

const incCase = (args) => () => timed([NODE, BIN, ...args]);

/**
 * Runs `run` as in CI: CI=true and without inc's caches (.git/inc/*-cache.json), which a fresh
 * clone has none of; they are moved aside and put back after, so the warm rows find them as a
 * developer's next run would (under CI inc writes no cache: it would never be read).
 */
function asInCi(run) {
  const state = join(repo.root, '.git', 'inc');
  const aside = join(repo.root, '.git', 'inc-bench-aside');
  let names = [];
  try {
    names = readdirSync(state).filter((name) => name.endsWith('-cache.json'));
  } catch {
    // no state yet
  }
  mkdirSync(aside, { recursive: true });
  for (const name of names) renameSync(join(state, name), join(aside, name));
  try {
    return run({ CI: 'true' });
  } finally {
    for (const name of names) renameSync(join(aside, name), join(state, name));
  }
}
const coldCase = (args) => () => asInCi((extraEnv) => timed([NODE, BIN, ...args], { extraEnv }));

/**
 * The readers CI runs, each timed cold and warm against the plain read of the files it reads:
 * stats and check read every file of incidents/, list --all --json only incident.md and
 * postmortem.md.
 */
const READERS = [
  { key: 'stats', args: ['stats', '--json'], floor: 'read-all' },
  // The generated repository has overdue postmortems, as real ones do: check exits 1 with its findings.
  { key: 'check', args: ['check'], floor: 'read-all', completed: (result) => (result.status === 0 || result.status === 1) && /^inc check: .* checked/m.test(result.stderr ?? '') },
  { key: 'list-json', args: ['list', '--all', '--json'], floor: 'read-list' },
];
const COLD_MAX_RATIO = 1.5;

const CASES = [
  { key: 'node', label: 'node -e 0', short: 'node -e 0', run: () => timed([NODE, '-e', '0']), rounds: QUICK_ROUNDS },
  { key: 'version', label: 'inc --version', run: incCase(['--version']), rounds: QUICK_ROUNDS, baseline: 'node', maxRatio: 1.2 },
  { key: 'help', label: 'inc --help', run: incCase(['--help']), rounds: QUICK_ROUNDS, baseline: 'node', maxRatio: 1.2 },
  { key: 'floor', label: 'log floor: node -e 0 + append + git add FILE + git commit FILE', short: 'log floor', run: () => logFloor('file') },
  { key: 'floor-index', label: 'log floor, whole index: node -e 0 + append + git add FILE + git commit', short: 'index floor', run: () => logFloor('index') },
  { key: 'floor-only', label: 'log floor as inc commits: node -e 0 + append + git commit --only FILE', short: '--only floor', run: () => logFloor('only') },
  {
    key: 'log',
    label: 'inc log "..." --incident ID (with its commit)',
    run: () => timed([NODE, BIN, 'log', `bench entry ${(entry += 1)} | rollback checked`, '--incident', logId]),
    baseline: 'floor',
    maxRatio: 1.3,
  },
  { key: 'log-index', label: 'inc log, the same runs against the whole-index floor', same: 'log', baseline: 'floor-index' },
  { key: 'log-only', label: 'inc log, the same runs against the --only floor', same: 'log', baseline: 'floor-only' },
  {
    key: 'list-cold',
    label: 'inc list, first run (no cache of parsed incidents)',
    run: () => {
      rmSync(join(repo.root, '.git', 'inc', 'incidents-cache.json'), { force: true });
      return timed([NODE, BIN, 'list']);
    },
    baseline: 'node',
    maxMs: 500,
  },
  { key: 'list', label: 'inc list', run: incCase(['list']), baseline: 'node', maxMs: 500 },
  { key: 'list-all', label: 'inc list --all', run: incCase(['list', '--all']), baseline: 'node', maxMs: 500 },
  { key: 'show', label: 'inc show ID', run: incCase(['show', showId]), baseline: 'node' },
  { key: 'read-all', label: 'read floor: read every file (scripts/read-all-files.mjs)', short: 'read floor', run: () => timed([NODE, join(PROJECT, 'scripts', 'read-all-files.mjs')]) },
  {
    key: 'read-list',
    label: 'read floor of list: read every incident.md and postmortem.md',
    short: 'list read floor',
    run: () => timed([NODE, join(PROJECT, 'scripts', 'read-all-files.mjs'), '.', '--only', 'incident.md,postmortem.md']),
  },
  ...READERS.flatMap((r) => [
    { key: `${r.key}-cold`, label: `inc ${r.args.join(' ')}, cold (no cache, CI=true)`, run: coldCase(r.args), completed: r.completed, baseline: r.floor, maxRatio: COLD_MAX_RATIO },
    { key: r.key, label: `inc ${r.args.join(' ')}, warm`, run: incCase(r.args), completed: r.completed, baseline: r.floor, ...(r.key === 'stats' ? { maxMs: 1000 } : {}) },
  ]),
];

// --- warm-up: fills the file cache and checks that each command does what it should ----------
function check(name, ok, detail) {
  if (!ok) say(`  warning: ${name}: ${detail}`);
  return ok;
}
const commitCount = () => Number(spawn(['git', 'rev-list', '--count', 'HEAD'], { capture: true }).stdout.trim());

say('Warm-up round (checks outputs)...');
const broken = new Set();
for (const c of CASES) {
  if (c.same) continue;
  const before = c.key === 'log' ? commitCount() : 0;
  const { result } = c.run();
  const completed = c.completed ? c.completed(result) : result.status === 0 && !/warning/.test(result.stderr ?? '');
  const clean = check(c.label, completed, `exit ${result.status}: ${(result.stderr ?? '').trim().slice(0, 300)}`);
  if (!clean) broken.add(c.key);
  if (c.key === 'log' && clean) check(c.label, commitCount() === before + 1, 'made no commit');
}
const version = spawn([NODE, BIN, '--version'], { capture: true }).stdout.trim();
check('inc --version', version === JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version, `printed "${version}"`);
let statsIncidents = null;
{
  const out = spawn([NODE, BIN, 'stats', '--json'], { capture: true }).stdout;
  try {
    statsIncidents = JSON.parse(out).incidents ?? null;
  } catch {
    check('inc stats --json', false, 'did not print JSON');
  }
}

// --- timed rounds: interleaved, so that a noisy moment hits every figure alike ----------------
const samples = Object.fromEntries(CASES.map((c) => [c.key, []]));
const maxRounds = Math.max(...CASES.map((c) => c.rounds ?? runs));
say(`Timing ${runs} runs (${QUICK_ROUNDS} for start-up figures)...`);
for (let round = 0; round < maxRounds; round += 1) {
  for (const c of CASES) {
    if (c.same || broken.has(c.key) || round >= (c.rounds ?? runs)) continue;
    samples[c.key].push(c.run().ms);
  }
}

for (const c of CASES) if (c.same) samples[c.key] = samples[c.same];

/** Peak memory (MB) of each reader run cold: the largest of MEMORY_ROUNDS runs. */
const peaks = {};
for (const r of READERS) {
  if (broken.has(`${r.key}-cold`)) continue;
  const file = join(repo.root, '.git', 'inc-bench-maxrss');
  const runsKiB = [];
  for (let round = 0; round < MEMORY_ROUNDS; round += 1) {
    asInCi((extraEnv) => spawn([NODE, '--import', join(PROJECT, 'scripts', 'report-maxrss.mjs'), BIN, ...r.args], { extraEnv: { ...extraEnv, INC_BENCH_MAXRSS_FILE: file } }));
    runsKiB.push(Number(readFileSync(file, 'utf8')));
  }
  peaks[r.key] = Math.round((Math.max(...runsKiB) / 1024) * 10) / 10;
}

// --- publishing: inc publish against inc stats --json on its own repository of 1,000 ----------
// A site is a page per incident: the figure is for --publish-incidents (1,000), a repository
// of its own, with both commands timed in interleaved rounds after a warm-up round (which,
// for each, fills the caches and, for publish, writes the site that later rounds update).
const publishSamples = { stats: [], publish: [] };
let publishBroken = null;
const publishAvailable = spawn([NODE, BIN, 'publish', '--help']).status === 0;
if (publishAvailable) {
  say(`Generating ${publishCount} incidents for inc publish...`);
  // A folder of its own holds the repository and the site beside it, and goes as a whole.
  const base = mkdtempSync(join(tmpdir(), 'inc-bench-publish-'));
  const site = generateRepo({ incidents: publishCount, dir: join(base, 'ops') });
  const inSite = (args) => {
    const start = performance.now();
    const result = spawnSync(NODE, [BIN, ...args], { cwd: site.root, env, stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
    return { ms: performance.now() - start, result };
  };
  const commands = { stats: ['stats', '--json'], publish: ['publish', '--out', join(base, 'site')] };
  for (const [key, args] of Object.entries(commands)) {
    const { result } = inSite(args);
    if (result.status !== 0 || /warning/.test(result.stderr ?? '')) publishBroken = `${key}: exit ${result.status}: ${(result.stderr ?? '').trim().slice(0, 300)}`;
  }
  if (publishBroken) say(`  warning: ${publishBroken}`);
  else for (let round = 0; round < runs; round += 1) for (const key of ['stats', 'publish']) publishSamples[key].push(inSite(commands[key]).ms);
  rmSync(base, { recursive: true, force: true });
}

// --- results ---------------------------------------------------------------------------------
const medians = Object.fromEntries(CASES.map((c) => [c.key, samples[c.key].length ? median(samples[c.key]) : null]));
const results = CASES.map((c) => {
  const ms = medians[c.key];
  const base = c.baseline ? medians[c.baseline] : null;
  const ratio = ms !== null && base ? ms / base : null;
  const targets = [];
  const misses = [];
  if (c.maxRatio) {
    targets.push(`<= ${c.maxRatio}x`);
    if (ratio === null || ratio > c.maxRatio) misses.push('ratio');
  }
  if (c.maxMs) {
    targets.push(`< ${c.maxMs} ms`);
    if (ms === null || ms >= c.maxMs) misses.push('time');
  }
  return {
    key: c.key,
    command: c.label,
    median_ms: ms === null ? null : Math.round(ms * 10) / 10,
    runs_ms: samples[c.key].map((v) => Math.round(v * 10) / 10),
    baseline: c.baseline ?? null,
    ratio: ratio === null ? null : Math.round(ratio * 100) / 100,
    target: targets.join(', ') || null,
    pass: broken.has(c.key) ? false : targets.length ? misses.length === 0 : null,
    error: broken.has(c.key) || undefined,
  };
});
if (publishAvailable) {
  const stats = publishSamples.stats.length ? median(publishSamples.stats) : null;
  const publish = publishSamples.publish.length ? median(publishSamples.publish) : null;
  const ratio = stats && publish !== null ? publish / stats : null;
  const rounded = (ms) => (ms === null ? null : Math.round(ms * 10) / 10);
  results.push(
    { key: 'publish-stats', command: `inc stats --json, ${publishCount} incidents`, median_ms: rounded(stats), runs_ms: publishSamples.stats.map(rounded), baseline: null, ratio: null, target: null, pass: publishBroken ? false : null, error: publishBroken ? true : undefined },
    {
      key: 'publish',
      command: `inc publish (whole site), ${publishCount} incidents`,
      median_ms: rounded(publish),
      runs_ms: publishSamples.publish.map(rounded),
      baseline: 'publish-stats',
      ratio: ratio === null ? null : Math.round(ratio * 100) / 100,
      target: '<= 3x',
      pass: publishBroken ? false : ratio !== null && ratio <= 3,
      error: publishBroken ? true : undefined,
    },
  );
}
const memory = READERS.map((r) => {
  const peak = peaks[r.key] ?? null;
  return { command: `inc ${r.args.join(' ')}, cold`, peak_rss_mb: peak, target: '< 250 MB', pass: peak !== null && peak < 250 };
});
const byKey = Object.fromEntries(results.map((r) => [r.key, r]));
/** Cold and warm of each reader side by side, each as a ratio to the read floor of the same run. */
const coldWarm = READERS.map((r) => {
  const cold = byKey[`${r.key}-cold`];
  const warm = byKey[r.key];
  return {
    command: `inc ${r.args.join(' ')}`,
    cold_ms: cold.median_ms,
    warm_ms: warm.median_ms,
    read_floor_ms: byKey[r.floor].median_ms,
    cold_ratio: cold.ratio,
    warm_ratio: warm.ratio,
    cold_over_warm: cold.median_ms && warm.median_ms ? Math.round((cold.median_ms / warm.median_ms) * 100) / 100 : null,
    target: `cold <= ${COLD_MAX_RATIO}x`,
    pass: cold.pass,
    peak_rss_mb: peaks[r.key] ?? null,
  };
});

const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
const report = {
  incidents: incidentCount,
  files: repo.files,
  postmortems: repo.postmortems,
  generate_ms: Math.round(generateMs),
  runs,
  machine,
  stats_incidents: statsIncidents,
  results,
  cold_warm: coldWarm,
  memory,
};

if (flags.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const mark = (pass) => (pass === null ? '' : pass ? 'pass' : 'MISS');
  const labelOf = (key) => CASES.find((c) => c.key === key)?.short ?? (key === 'publish-stats' ? 'stats, same repo' : key);
  const rows = results.map((r) => [
    r.command,
    r.error ? 'error' : r.median_ms === null ? '-' : r.median_ms.toFixed(0),
    r.baseline ? labelOf(r.baseline) : '',
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`,
    r.target ?? '',
    mark(r.pass),
  ]);
  for (const m of memory) rows.push([`${m.command}: peak memory`, m.peak_rss_mb === null ? '-' : `${m.peak_rss_mb} MB`, '', '', m.target, mark(m.pass)]);
  /** Aligned columns; `right` lists the columns of numbers. */
  const table = (header, body, right) => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
    const line = (cells) => cells.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  };
  const ms = (v) => (v === null ? '-' : v.toFixed(0));
  const times = (v) => (v === null ? '-' : `${v.toFixed(2)}x`);
  process.stdout.write(
    [
      `inc bench: ${incidentCount} incidents (${repo.files} files), median of ${runs} runs (${QUICK_ROUNDS} for start-up), ` +
        `${machine.node}, ${machine.cpus} CPUs (${machine.cpu})`,
      '',
      ...table(['command', 'median ms', 'baseline', 'ratio', 'target', 'result'], rows, [1, 3]),
      '',
      `Cold (as in CI: CI=true, inc's caches moved aside for the run, as a fresh clone has none) and warm, against the plain read of the files each reads:`,
      '',
      ...table(
        ['command', 'cold ms', 'warm ms', 'read floor ms', 'cold/floor', 'warm/floor', 'cold/warm', 'peak MB (cold)', 'target', 'result'],
        coldWarm.map((c) => [c.command, ms(c.cold_ms), ms(c.warm_ms), ms(c.read_floor_ms), times(c.cold_ratio), times(c.warm_ratio), times(c.cold_over_warm), c.peak_rss_mb === null ? '-' : String(c.peak_rss_mb), `${c.target}, < 250 MB`, mark(c.pass && c.peak_rss_mb !== null && c.peak_rss_mb < 250)]),
        [1, 2, 3, 4, 5, 6, 7],
      ),
      '',
    ].join('\n'),
  );
}

closeSync(devNull);
if (flags.keep) say(`Kept the repository: ${repo.root}`);
else rmSync(repo.root, { recursive: true, force: true });
