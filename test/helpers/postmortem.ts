/** A postmortem as a reviewer leaves it: every section written and the action items listed. */

export interface Finished {
  /** The text of each section by its heading; a section not named gets a generic sentence. */
  sections?: Record<string, string>;
  /** Rows of the action-items table (default: one canary item). */
  actions?: string[];
}

const CANARY = '| Add a canary stage | Dave | high | 2026-04-30 | ENG-1 | todo |';

/** The scaffold's text with each `_prompt_` line written out and the action items in the table. */
export function finishPostmortem(text: string, { sections = {}, actions = [CANARY] }: Finished = {}): string {
  let section = '';
  return text
    .split('\n')
    .map((line) => {
      const heading = /^## (.+)$/.exec(line);
      if (heading) section = heading[1]!;
      if (/^_.+_$/.test(line)) return sections[section] ?? `What the team found for ${section.toLowerCase()}, written out in full.`;
      if (section === 'Action items' && line === '|---|---|---|---|---|---|') return [line, ...actions].join('\n');
      return line;
    })
    .join('\n');
}
