/**
 * inc log: append one entry to the timeline. On the hot path of an incident: it reads and
 * writes only the current incident's timeline.md and makes one commit (no scan of others).
 */
import { formatInZone, toIsoUtc, zoneLabel } from '../domain/time.js';
import { firstSpelling } from '../domain/people.js';
import { appendTimelineRows, parseTimeline, timelineTextProblem } from '../domain/timeline.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { incidentPath, loadIncident, readOptionalFile, TIMELINE_FILE } from '../store/incidents.js';
import { openProject, type Project } from '../store/project.js';
import { writeAndCommit } from '../store/write.js';
import { atOption, cleanText, excerpt, incidentOption, newCommand, noCommitOption, timeFromFlag } from './shared.js';

export interface LogOptions {
  at?: string;
  incident?: string;
  kind?: string;
  by?: string;
  commit: boolean;
}

export function build(ctx: Context) {
  return newCommand('log', 'Append a timestamped entry to the incident\'s timeline', [
    'inc log "rollback initiated"',
    'inc log --at 14:12 "Decision: roll back to v2.13.9" --kind decision',
    'inc log --incident 2026-03-15-payment-processing-outage "status page updated"',
    'inc log -- "-5% traffic after the failover"   # text that starts with -',
    'inc log --by "Carol" "Customer reports started 13:58"   # on behalf of someone (a scribe; an old report)',
    'inc log            # on a terminal: asks what happened',
  ])
    .argument('[text...]', 'what happened (quote it; a | is fine); asked for on a terminal when left out')
    .addOption(atOption('it happened'))
    .addOption(incidentOption())
    .option('-k, --kind <kind>', 'a kind for the entry: note, decision, action, update, ...')
    .option('--by <name>', 'record the entry as logged by NAME, on behalf of someone (the commit stays yours); a name already on record keeps its spelling')
    .addOption(noCommitOption())
    .action(async (words: string[], opts: LogOptions) => {
      const text = words.length > 0 ? words.join(' ') : await askEntry(ctx);
      await runLog(ctx, text, opts);
    });
}

/** On a terminal, a missing entry is asked for, as sev and comms ask for what they miss. */
async function askEntry(ctx: Context): Promise<string> {
  const { askText } = await import('../io/prompts.js');
  return askText(ctx, { flag: '<text>', example: 'inc log "rollback initiated"', message: 'What happened?', problem: (text) => timelineTextProblem(text) });
}

/**
 * `--by bob` where the incident knows "Bob" (a role, or an earlier entry's author) keeps "Bob":
 * one person, one spelling, so that the timeline and the figures per person agree.
 */
async function spellingOnRecord(project: Project, id: string, name: string, timeline: string, path: string): Promise<string> {
  const { incident } = await loadIncident(project, id);
  const authors = parseTimeline(timeline, path).entries.map((entry) => entry.author);
  return firstSpelling(name, [incident.commander, incident.communications, ...incident.smes, ...authors]);
}

export async function runLog(ctx: Context, rawText: string, opts: LogOptions): Promise<void> {
  const project = await openProject(ctx);
  const text = cleanText(rawText, 'entry text');
  const kind = opts.kind === undefined ? null : cleanText(opts.kind, 'kind').toLowerCase();
  const by = opts.by === undefined ? undefined : cleanText(opts.by, '--by name').replace(/\s+/g, ' ');
  const at = timeFromFlag(ctx, project, opts.at);
  const id = await resolveIncidentId(project, opts.incident);
  let author = '';
  const result = await writeAndCommit(project, { noCommit: !opts.commit }, async (session) => {
    // The text is appended to as it is: no need to parse the rows of a long incident first.
    const path = incidentPath(id, TIMELINE_FILE);
    const timeline = readOptionalFile(project, path) ?? '';
    author = by === undefined ? session.author.name : await spellingOnRecord(project, id, by, timeline, path);
    return {
      files: [{ path, content: appendTimelineRows(timeline, [{ at, text, author, kind }]) }],
      message: `inc(${id}): log "${excerpt(text)}"`,
    };
  });
  ctx.stdout.write(`${id} logged ${toIsoUtc(at)}\n`);
  const zone = project.config.timezone;
  const behalf = by === undefined ? '' : ` for ${author}`;
  writeErr(ctx, `Logged at ${formatInZone(at, zone)} ${zoneLabel(zone)}${behalf}${result.committed ? '' : ' (not committed)'}.`);
}
