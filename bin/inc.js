#!/usr/bin/env node
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
// `inc --version` is all start-up: answered here, without loading the CLI (its budget is 1.2x `node -e 0`; npm run bench).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/entry.js');
  process.exitCode = await main(args);
}
