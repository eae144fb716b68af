/** What reviewers leave in a scaffolded postmortem, for tests that need one that passes `inc check`. */

/** Every prose section written (its prompt replaced) and one action item in the table. */
export function finishPostmortem(text: string): string {
  let section = '';
  return text
    .split('\n')
    .map((line) => {
      const heading = /^## (.+)$/.exec(line);
      if (heading) section = heading[1]!;
      if (/^_.+_$/.test(line)) return `What the team found for ${section.toLowerCase()}, written out in full.`;
      if (section === 'Action items' && line === '|---|---|---|---|---|---|') return `${line}\n| Add a canary stage | Dave | high | 2026-04-30 | ENG-1 | todo |`;
      return line;
    })
    .join('\n');
}
