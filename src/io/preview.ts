/**
 * What --dry-run prints: a unified diff of the files a write would change, in git's format
 * (so `inc log "x" --dry-run | git apply` would make the same change), after comment lines
 * naming the commit message and any branch. The diff itself comes from jsdiff (the `diff`
 * package); loaded only for a dry run.
 */
import { structuredPatch } from 'diff';
import type { PlannedFile, PlannedWrite } from '../domain/errors.js';

function fileDiff(file: PlannedFile): string {
  const created = file.before === undefined;
  const patch = structuredPatch(`a/${file.path}`, `b/${file.path}`, file.before ?? '', file.after, '', '', { context: 3 });
  const lines = [`diff --git a/${file.path} b/${file.path}`];
  if (created) lines.push('new file mode 100644');
  lines.push(created ? '--- /dev/null' : `--- a/${file.path}`, `+++ b/${file.path}`);
  for (const hunk of patch.hunks) {
    const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start : start},${count}`);
    lines.push(`@@ -${range(hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart, hunk.oldLines)} +${range(hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart, hunk.newLines)} @@`);
    lines.push(...hunk.lines);
  }
  return `${lines.join('\n')}\n`;
}

export function renderPlan(plan: PlannedWrite): string {
  const head = ['# inc --dry-run: nothing was written.'];
  if (plan.branch) head.push(`# Would create branch ${plan.branch} from HEAD and commit to it; the current branch, its files and the index stay as they are.`);
  head.push(plan.message === undefined ? '# Would write the files without committing them (--no-commit).' : `# Would commit: ${plan.message.split('\n').join('\n#   ')}`);
  const unchanged = plan.files.filter((file) => file.before === file.after).map((file) => `# Unchanged: ${file.path}`);
  const diffs = plan.files.filter((file) => file.before !== file.after).map(fileDiff);
  return `${[...head, ...unchanged].join('\n')}\n${diffs.join('')}`;
}
