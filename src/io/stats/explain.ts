/** `inc stats --explain`: every figure's definition, wrapped for a terminal. */
import type { statsDefinitions } from '../../domain/stats.js';

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

export function renderExplain(definitions: ReturnType<typeof statsDefinitions>, width = 96): string {
  const blocks = definitions.map((d) => `${d.term}\n${wrap(d.definition, width - 4, '    ')}`);
  return `How inc stats computes each figure (docs/metrics.md has the same, with examples):\n\n${blocks.join('\n\n')}\n`;
}
