/**
 * `push: auto` in .inc/config.yaml: after each committed write, `git push` runs in a detached
 * background process, so the command returns at once and colleagues (`inc tail`) see the
 * change within seconds. The push's outcome is written to .git/inc/push-result.json; the next
 * inc command reads it and reports a failure (rejected because someone else pushed, no
 * network, no upstream) with what to do. A success is removed silently.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GitRepo } from './git.js';
import { findRepo, type Whereabouts } from './project.js';

const RESULT_FILE = 'push-result.json';

/** Runs in the detached process: push, then write the outcome atomically (CommonJS, for `node -e`). */
const PUSH_SCRIPT = `
const { execFile } = require('node:child_process');
const { writeFileSync, renameSync, mkdirSync } = require('node:fs');
const { dirname } = require('node:path');
const out = process.argv[1];
execFile('git', ['push', '--quiet', '--porcelain'], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (error, stdout, stderr) => {
  const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
  const words = String(stderr || stdout).trim().split('\\n').slice(0, 6).join('\\n');
  mkdirSync(dirname(out), { recursive: true });
  const temp = out + '.' + process.pid;
  writeFileSync(temp, JSON.stringify({ code, words }));
  renameSync(temp, out);
});
`;

/** Starts `git push` in the background and returns at once; nothing waits for it. */
export function startBackgroundPush(repo: GitRepo & { stateDir: string }): void {
  try {
    const child = spawn(process.execPath, ['-e', PUSH_SCRIPT, join(repo.stateDir, RESULT_FILE)], {
      cwd: repo.root,
      env: repo.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {}); // could not even start: the next sync shares the commit
    child.unref();
  } catch {
    // As above: a push is a convenience, never a reason for a write to fail.
  }
}

/**
 * A background push that failed since the last command, in the words to show: once (the
 * record is removed). Undefined outside a repository or when there is nothing to report.
 */
export function failedBackgroundPushReport(where: Whereabouts): string | undefined {
  let stateDir: string;
  try {
    stateDir = join(findRepo(where).gitDir, 'inc');
  } catch {
    return undefined;
  }
  const words = takeFailedBackgroundPush(stateDir);
  if (words === undefined) return undefined;
  return `inc: warning: the background push after an earlier write failed (push: auto):\n${words.replace(/^/gm, '  ')}\nYour commits are safe in this clone; run \`inc sync\` to share them.\n`;
}

function takeFailedBackgroundPush(stateDir: string): string | undefined {
  const path = join(stateDir, RESULT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  rmSync(path, { force: true });
  try {
    const result = JSON.parse(text) as { code?: unknown; words?: unknown };
    if (result.code === 0) return undefined;
    return typeof result.words === 'string' && result.words !== '' ? result.words : `git push exited with ${String(result.code)}`;
  } catch {
    return undefined;
  }
}
