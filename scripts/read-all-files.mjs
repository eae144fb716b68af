#!/usr/bin/env node
/**
 * The floor for inc's readers in the benchmark: a plain node script that reads every file of
 * the incidents/ tree (readFileSync each, decoded as UTF-8 as any reader must) and does
 * nothing else. Prints how many files and bytes it read.
 *
 *   node scripts/read-all-files.mjs [REPO] [--only NAME,NAME]   (default: the current folder)
 *
 * --only reads just the files with those names (the tree is still listed): the files a reader
 * reads, such as incident.md and postmortem.md for `inc list --all --json`, which never opens
 * a timeline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { only: { type: 'string' } }, allowPositionals: true });
const only = values.only === undefined ? undefined : new Set(values.only.split(','));

function readTree(dir, totals) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(path, totals);
    else if (entry.isFile() && (only === undefined || only.has(entry.name))) {
      totals.files += 1;
      totals.chars += readFileSync(path, 'utf8').length;
    }
  }
  return totals;
}

const totals = readTree(join(positionals[0] ?? '.', 'incidents'), { files: 0, chars: 0 });
process.stdout.write(`${totals.files} files, ${totals.chars} characters\n`);
