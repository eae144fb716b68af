/**
 * The layers of src/: bin -> main -> commands -> {store, io, import, publish, ci} -> domain.
 * Every import (a type-only one and a dynamic one included) points down or stays in its own
 * folder, and no chain of imports comes back to where it started.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/repo.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every relative module a file imports, as a path under src/: static, type-only, re-exported or dynamic. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? match[2]!;
    found.push(relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts'));
  }
  return found;
}

/** The layer of a module under src/: higher layers may import lower ones only. */
function layerOf(path: string): { rank: number; folder: string } {
  const folder = path.includes('/') ? path.slice(0, path.indexOf('/')) : path;
  const ranks: Record<string, number> = { 'entry.ts': 5, 'main.ts': 4, commands: 3, store: 2, io: 2, import: 2, publish: 2, ci: 2, domain: 1 };
  const rank = ranks[folder];
  if (rank === undefined) throw new Error(`src/${path} is in no known layer: add its folder to the layers of this test`);
  return { rank, folder };
}

const graph = new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), importsOf(file)]));

describe('the layers of src/', () => {
  it('reads the imports it checks (a sanity check of the parser)', () => {
    expect(graph.get('entry.ts')).toContain('main.ts');
    expect(graph.get('main.ts')).toContain('commands/log.ts');
    expect(graph.size).toBeGreaterThan(40);
  });

  it('imports only downwards, or within a folder', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      const source = layerOf(from);
      for (const target of targets) {
        const layer = layerOf(target);
        if (layer.folder === source.folder && source.rank < 4) continue;
        if (layer.rank >= source.rank) upward.push(`src/${from} imports src/${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (path: string, trail: string[]) => {
      if (state.get(path) === 'done') return;
      if (state.get(path) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(path)), path].join(' -> '));
        return;
      }
      state.set(path, 'visiting');
      for (const target of graph.get(path) ?? []) visit(target, [...trail, path]);
      state.set(path, 'done');
    };
    for (const path of graph.keys()) visit(path, []);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
