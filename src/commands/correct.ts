/**
 * inc amend | retract: correct a timeline entry by appending a row that names it (see
 * domain/corrections.ts). Nothing is deleted or edited in place: timeline.md merges with git's
 * union merge, which would bring a removed row back, and every clone names an entry by the
 * same content-derived ref.
 */
import { type CorrectedEntry, type CorrectedTimeline, type CorrectionAction, correctionText, correctTimeline, findEntry } from '../domain/corrections.js';
import { IncError, UsageError } from '../domain/errors.js';
import { formatInZone, toIsoUtc, zoneLabel } from '../domain/time.js';
import { appendTimelineRows, parseTimeline } from '../domain/timeline.js';
import { type Context, writeErr } from '../io/context.js';
import { resolveIncidentId } from '../store/current-incident.js';
import { incidentPath, readOptionalFile, TIMELINE_FILE } from '../store/incidents.js';
import { openProject } from '../store/project.js';
import { writeAndCommit } from '../store/write.js';
import type { CommandModule } from './command.js';
import { atOption, cleanText, excerpt, incidentOption, newCommand, noCommitOption, timeFromFlag } from './shared.js';

interface CorrectOptions {
  at?: string;
  incident?: string;
  commit: boolean;
}

const ENTRY_HELP = 'the entry, as `inc show` prints it: its number (3 or #3), its time (14:12, ISO, any time form) or its ref (~a1b2c3d)';

/** amend and retract differ in their words and in whether the text is required. */
function correctionCommand(action: CorrectionAction, description: string, examples: string[], text: { argument: string; help: string }): CommandModule {
  return {
    build(ctx: Context) {
      return newCommand(action, description, examples)
        .argument('<entry>', ENTRY_HELP)
        .argument(text.argument, text.help)
        .addOption(atOption('the correction is made'))
        .addOption(incidentOption())
        .addOption(noCommitOption())
        .action(async (entry: string, words: string[], opts: CorrectOptions) => {
          await runCorrection(ctx, action, entry, words.length > 0 ? words.join(' ') : undefined, opts);
        });
    },
  };
}

export const amend = correctionCommand(
  'amend',
  'Correct the text of a timeline entry: a row appended that names it (history kept, merges cleanly)',
  [
    'inc amend 3 "Decision: roll back to v2.13.9 (not v2.13.8)"',
    'inc amend 14:12 "Rollback initiated by Bob"',
    'inc amend ~a1b2c3d "Status page updated at 14:20" --incident 2026-03-15-payment-processing-outage',
  ],
  { argument: '<text...>', help: 'the corrected text (quote it)' },
);

export const retract = correctionCommand(
  'retract',
  'Withdraw a timeline entry logged in error: a row appended that names it (history kept, merges cleanly)',
  [
    'inc retract 4 "logged to the wrong incident"',
    'inc retract 14:12',
    'inc retract ~a1b2c3d "duplicate of #3" --incident 2026-03-15-payment-processing-outage',
  ],
  { argument: '[reason...]', help: 'why it is withdrawn' },
);

const PAST: Record<CorrectionAction, string> = { amend: 'amended', retract: 'retracted' };

export async function runCorrection(ctx: Context, action: CorrectionAction, name: string, rawText: string | undefined, opts: CorrectOptions): Promise<void> {
  const project = await openProject(ctx);
  const text = rawText === undefined ? undefined : cleanText(rawText, action === 'amend' ? 'corrected text' : 'reason');
  const at = timeFromFlag(ctx, project, opts.at);
  const id = await resolveIncidentId(project, opts.incident);
  const zone = project.config.timezone;
  let target: CorrectedEntry | undefined;
  const result = await writeAndCommit(project, { noCommit: !opts.commit }, ({ author }) => {
    // Read under the write lock: a row a colleague's sync brought in meanwhile is counted.
    const path = incidentPath(id, TIMELINE_FILE);
    const before = readOptionalFile(project, path) ?? '';
    const timeline = correctTimeline(parseTimeline(before, path).entries, undefined, path);
    target = chooseEntry(timeline, name, { now: ctx.now().getTime(), zone }, action, id);
    refuseUseless(timeline, target, action, text, at, zone);
    const row = { at, text: correctionText(action, target.at, target.ref, text), author: author.name, kind: action };
    return {
      files: [{ path, content: appendTimelineRows(before, [row]) }],
      message: `inc(${id}): ${action} ${toIsoUtc(target.at)} ${target.ref}${text ? ` "${excerpt(text)}"` : ''}`,
    };
  });
  const entry = target!;
  ctx.stdout.write(`${id} ${PAST[action]} ${entry.ref}\n`);
  const change = action === 'amend' ? `now reads "${excerpt(text!)}"` : 'left out of the timeline from now on';
  writeErr(ctx, `${formatInZone(entry.at, zone)} ${zoneLabel(zone)} ${entry.ref} "${excerpt(entry.text)}": ${change}${result.committed ? '' : ' (not committed)'}.`);
}

function describeEntry(entry: CorrectedEntry, zone: string, number?: number): string {
  const who = entry.author ? ` (${entry.author})` : '';
  return `${number === undefined ? '' : `#${number}  `}${entry.ref}  ${formatInZone(entry.at, zone, true)}  ${excerpt(entry.text)}${who}`;
}

/** The entry named, or a refusal that says what to type instead. */
function chooseEntry(timeline: CorrectedTimeline, name: string, naming: { now: number; zone: string }, action: CorrectionAction, id: string): CorrectedEntry {
  const match = findEntry(timeline, name, naming);
  const zone = naming.zone;
  switch (match.kind) {
    case 'entry':
      return match.entry;
    case 'ambiguous': {
      const numbered = match.entries.map((e) => {
        const index = timeline.entries.indexOf(e);
        return `  ${describeEntry(e, zone, index === -1 ? undefined : index + 1)}`;
      });
      throw new UsageError(
        `<entry> ${name} names ${match.entries.length} entries of ${id}; inc will not guess which`,
        `Name one by its ref:\n${numbered.join('\n')}\nas in: inc ${action} ${match.entries[0]!.ref}${action === 'amend' ? ' "<text>"' : ''}`,
      );
    }
    case 'retracted': {
      const r = match.entry.retracted!;
      throw new IncError(
        `${match.entry.ref} "${excerpt(match.entry.text)}" is already retracted (by ${r.author || 'someone'} at ${formatInZone(r.at, zone)} ${zoneLabel(zone)}${r.reason ? `: ${excerpt(r.reason)}` : ''})`,
        1,
        action === 'amend' ? 'A retracted entry is left out of the timeline; log what is right as a new entry: inc log "<text>".' : undefined,
      );
    }
    case 'correction': {
      const c = match.correction;
      throw new IncError(
        `that row is itself a correction (${c.action} of ${c.targetRef}): a correction is never corrected`,
        1,
        c.action === 'amend' ? `To change the text again, amend the entry it names: inc amend ${c.targetRef} "<text>"` : 'A retraction stands; log what is right as a new entry: inc log "<text>".',
      );
    }
    case 'none':
      throw new UsageError(`<entry> ${name}: ${match.problem} in ${id}`, '`inc show` prints each entry with its number and ref; name one as printed (3, 14:12 or ~a1b2c3d).');
  }
}

/** A correction that would change nothing, or that would not be the one that counts. */
function refuseUseless(timeline: CorrectedTimeline, target: CorrectedEntry, action: CorrectionAction, text: string | undefined, at: number, zone: string): void {
  if (at < target.at) {
    throw new UsageError(
      `--at ${formatInZone(at, zone)} ${zoneLabel(zone)} is before the entry it corrects (${formatInZone(target.at, zone)})`,
      'A correction is made after the entry; leave out --at to make it now.',
    );
  }
  if (action !== 'amend') return;
  if (text === target.text) throw new IncError(`${target.ref} already reads "${excerpt(text)}"; nothing to amend`);
  // The latest amendment counts: one dated before it would be written and ignored.
  const latest = timeline.corrections.filter((c) => c.action === 'amend' && c.targetRef === target.ref && c.targetAt === target.at).reduce((max, c) => Math.max(max, c.row.at), -Infinity);
  if (at <= latest) {
    throw new UsageError(
      `--at ${formatInZone(at, zone, true)} ${zoneLabel(zone)} is not after the entry's latest amendment (${formatInZone(latest, zone, true)}), which would still count`,
      'The latest amendment counts: leave out --at to amend it now (or in a second, if it was amended this second).',
    );
  }
}
