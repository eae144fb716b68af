#!/usr/bin/env node
/**
 * The floor for `inc stats` in the benchmark: a plain node script that reads every file of
 * the incidents/ tree (readFileSync each, decoded as UTF-8 as any reader must) and does
 * nothing else. Prints how many files and bytes it read.
 *
 *   node scripts/read-all-files.mjs [REPO]   (default: the current folder)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function readTree(dir, totals) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(path, totals);
    else if (entry.isFile()) {
      totals.files += 1;
      totals.chars += readFileSync(path, 'utf8').length;
    }
  }
  return totals;
}

const totals = readTree(join(process.argv[2] ?? '.', 'incidents'), { files: 0, chars: 0 });
process.stdout.write(`${totals.files} files, ${totals.chars} characters\n`);
