/**
 * How `inc check` prints a finding: `path:line: error: message` for people and editors, or a
 * GitHub Actions workflow command that shows the finding on the pull request's diff.
 * GitHub reads `%`, CR and LF as escapes in the message, and also `:` and `,` in the
 * properties (file, title), so each is percent-encoded (as GitHub's runner parses workflow commands).
 */
import { RULES, type Finding } from '../domain/check.js';
import { visible } from '../domain/sanitise.js';

export type CheckFormat = 'text' | 'github';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `incidents/x/postmortem.md:12: error: message` (path as given: repository- or cwd-relative). */
export function formatText(finding: Finding, path = finding.file): string {
  // One line each, every value from a file shown visibly (a folder name can hold a line feed).
  return `${visible(path)}:${finding.line}: ${finding.level}: ${visible(finding.message.replace(/\r?\n/g, ' '))}`;
}

/** `::error file=PATH,line=N,title=T::message` */
export function formatGithub(finding: Finding): string {
  const title = `inc check: ${RULES[finding.rule]}`;
  const properties = [`file=${escapeProperty(visible(finding.file))}`, `line=${finding.line}`, `title=${escapeProperty(title)}`].join(',');
  return `::${finding.level} ${properties}::${escapeData(visible(finding.message, { multiLine: true }))}`;
}

/** Under GitHub Actions the annotation format is the default, as linters there do. */
export function defaultFormat(env: Record<string, string | undefined>): CheckFormat {
  return env.GITHUB_ACTIONS === 'true' ? 'github' : 'text';
}
