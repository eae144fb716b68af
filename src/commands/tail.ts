/**
 * inc tail: follow an incident's timeline as colleagues push, like `tail -f`. It prints the
 * last rows, then fetches the upstream branch at an interval and prints every new row, from
 * the remote's copy of timeline.md and this clone's own, without touching the working tree,
 * the index or any branch (only remote-tracking refs move, as with `git fetch`). Ctrl-C stops it.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { UsageError } from '../domain/errors.js';
import { timelineEntryJson } from '../domain/incident-json.js';
import { formatInZone, zoneLabel } from '../domain/time.js';
import { parseTimeline, type TimelineEntry } from '../domain/timeline.js';
import { type CorrectedEntry, correctTimeline, isCorrectionKind, uncorrected } from '../domain/corrections.js';
import { type Context, writeErr } from '../io/context.js';
import { headBranch } from '../store/git.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { incidentPath, readOptionalFile, TIMELINE_FILE } from '../store/incidents.js';
import { openProject, type Project } from '../store/project.js';
import { fetchUpstream, type Upstream, upstreamFile, upstreamOf } from '../store/upstream.js';
import { jsonOption, newCommand } from './shared.js';

export interface TailOptions {
  lines: string;
  interval: string;
  /** Stop after this many fetches (default: until Ctrl-C). */
  polls?: string;
  json?: boolean;
}

export interface TailDependencies {
  /** Waits between fetches; tests pass their own to act between polls without sleeping. */
  sleep: (ms: number) => Promise<void>;
}

export function build(ctx: Context) {
  return newCommand('tail', "Follow an incident's timeline as colleagues push: prints new rows as they arrive (Ctrl-C to stop)", [
    'inc tail',
    'inc tail 2026-03-15-payment-processing-outage -n 20',
    'inc tail --interval 10          # fetch every 10 seconds',
    'inc tail --json | jq -r .text   # one JSON object per row',
  ])
    .argument('[id]', "the incident (default: this clone's current one)")
    .option('-n, --lines <n>', 'rows to show from before (0 for none)', '10')
    .option('--interval <seconds>', 'seconds between fetches', '5')
    .option('--polls <n>', 'stop after this many fetches (default: until Ctrl-C)')
    .addOption(jsonOption().default(false))
    .action(async (id: string | undefined, opts: TailOptions) => {
      await runTail(ctx, id, opts, { sleep: (ms) => sleepFor(ms) });
    });
}

function count(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} ${value}: expected a number of at least ${min}`);
  return n;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

const entryKey = (entry: CorrectedEntry) => `${entry.at} ${entry.ref}`;

/** A row as it was written: an entry's key is its original text, whatever amended it since. */
function rowKey(entry: TimelineEntry | CorrectedEntry): string {
  return JSON.stringify([entry.at, 'originalText' in entry ? entry.originalText : entry.text, entry.author, entry.kind]);
}

/** Every row of the local and the upstream timeline, each once, in time order. */
async function readRows(project: Project, id: string, upstream: Upstream | undefined): Promise<TimelineEntry[]> {
  const path = incidentPath(id, TIMELINE_FILE);
  const texts = [readOptionalFile(project, path) ?? ''];
  if (upstream) texts.push((await upstreamFile(project, upstream, path)) ?? '');
  const rows = new Map<string, TimelineEntry>();
  for (const text of texts) for (const entry of parseTimeline(text, path).entries) rows.set(rowKey(entry), entry);
  return [...rows.values()].sort((a, b) => a.at - b.at);
}

export async function runTail(ctx: Context, explicitId: string | undefined, opts: TailOptions, deps: TailDependencies): Promise<void> {
  const lines = count(opts.lines, '--lines', 0);
  const intervalMs = count(opts.interval, '--interval', 0.01) * 1000;
  const polls = opts.polls === undefined ? Number.POSITIVE_INFINITY : count(opts.polls, '--polls', 0);
  const project = await openProject(ctx);
  const id = await resolveIncidentId(project, explicitId);
  const zone = project.config.timezone;
  const branch = headBranch(project.gitDir);
  const upstream = branch ? await upstreamOf(project, branch) : undefined;
  writeErr(ctx, upstream ? `Following ${id} on ${upstream.name} every ${intervalMs / 1000} s (Ctrl-C to stop).` : `Following ${id} in this clone only: ${branch ? `branch ${branch} has no upstream` : 'HEAD is detached'} (Ctrl-C to stop).`);

  const seen = new Set<string>();
  const print = (entry: CorrectedEntry) => {
    if (opts.json) ctx.stdout.write(`${JSON.stringify(timelineEntryJson(entry))}\n`);
    // A line break in a row (written \n in the file) would split the row; a CR could overwrite it.
    else ctx.stdout.write(`${formatInZone(entry.at, zone, true)} ${zoneLabel(zone)}  ${oneLine(entry.author)}: ${oneLine(entry.text)}${entry.kind ? ` (${oneLine(entry.kind)})` : ''}${entry.amended ? ' (amended)' : ''}\n`);
  };
  // The rows from before, corrected; after them, each new row as it comes: a correction that
  // arrives is printed as the row it is (the lines above it are already on the screen), when
  // the entry it names came before it (a row corrected as it arrives is shown corrected).
  const first = await readRows(project, id, upstream);
  const before = correctTimeline(first);
  for (const entry of before.entries.slice(Math.max(0, before.entries.length - lines))) print(entry);
  for (const entry of first) seen.add(rowKey(entry));
  const known = new Set([...before.entries, ...before.retracted].map(entryKey));

  let failing = false;
  for (let poll = 0; poll < polls; poll += 1) {
    await deps.sleep(intervalMs);
    if (upstream) {
      try {
        await fetchUpstream(project, upstream);
        if (failing) writeErr(ctx, `inc tail: fetching from ${upstream.remote} works again.`);
        failing = false;
      } catch (error) {
        // A dropped network mid-incident: say it once, keep following this clone, try again.
        if (!failing) writeErr(ctx, `inc tail: ${(error as Error).message}; still trying every ${intervalMs / 1000} s`);
        failing = true;
      }
    }
    const rows = await readRows(project, id, upstream);
    const current = correctTimeline(rows);
    const shown = new Map(current.entries.map((entry) => [rowKey(entry), entry]));
    const corrections = new Map(current.corrections.map((correction) => [rowKey(correction.row), correction]));
    const knownBefore = new Set(known);
    for (const entry of [...current.entries, ...current.retracted]) known.add(entryKey(entry));
    for (const row of rows) {
      const key = rowKey(row);
      if (seen.has(key)) continue;
      seen.add(key);
      const correction = isCorrectionKind(row.kind) ? corrections.get(key) : undefined;
      if (correction) {
        if (knownBefore.has(`${correction.targetAt} ${correction.targetRef}`)) print(uncorrected(row));
      } else if (shown.has(key)) print(shown.get(key)!); // a row retracted before it arrived is not shown
    }
  }
}
