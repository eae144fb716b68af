/** inc milestone: set or correct any milestone after the fact (say, the impact start found in the postmortem). */
import { UsageError } from '../domain/errors.js';
import { type Milestone, MILESTONES } from '../domain/incident.js';
import type { Context } from '../io/context.js';
import { openProject } from '../store/project.js';
import { recordMilestone } from './milestones.js';
import { cleanText, incidentOption, newCommand, noCommitOption, timeFromFlag, timeOption } from './shared.js';

export function build(ctx: Context) {
  return newCommand('milestone', 'Set or correct any milestone after the fact; logged in the timeline', [
    'inc milestone started --at 14:02',
    'inc milestone started --at "2026-03-15 14:02" --incident 2026-03-15-payment-processing-outage',
    'inc milestone mitigated --at 2026-03-15T14:22:00Z "confirmed from the dashboards"',
    'inc milestone identified --at "2026-03-16 09:30"   # a cause found the morning after the resolution',
    'inc milestone triggered --at 13:58 --ref https://github.com/acme/shop/pull/4242',
  ])
    .argument('<milestone>', `one of ${MILESTONES.join(', ')}`)
    .argument('[text...]', 'a note for the timeline')
    .addOption(timeOption('--at <time>', 'when it happened').makeOptionMandatory())
    .option('--ref <ref>', 'with triggered: the change or event that set it off (a commit, a pull request URL, text)')
    .addOption(incidentOption())
    .addOption(noCommitOption())
    .action(async (name: string, words: string[], opts: { at: string; ref?: string; incident?: string; commit: boolean }) => {
      const milestone = name.toLowerCase().replace(/_at$/, '') as Milestone;
      if (!MILESTONES.includes(milestone)) {
        throw new UsageError(`unknown milestone "${name}"`, `Milestones: ${MILESTONES.join(', ')}.`);
      }
      if (opts.ref !== undefined && milestone !== 'triggered') {
        throw new UsageError(`--ref goes with the triggered milestone, not ${milestone}`, `Type: inc milestone triggered --at <time> --ref ${opts.ref}`);
      }
      const ref = opts.ref === undefined ? undefined : cleanText(opts.ref, '--ref');
      const project = await openProject(ctx);
      const at = timeFromFlag(ctx, project, opts.at);
      const text = words.length > 0 ? cleanText(words.join(' '), 'note') : undefined;
      await recordMilestone(ctx, project, { milestone, at, text, ref, allowOverwrite: true, incident: opts.incident, noCommit: !opts.commit });
    });
}
