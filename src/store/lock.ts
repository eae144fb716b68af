/**
 * One writer at a time per clone: two responders logging from two terminals take turns
 * instead of losing an entry. The lock is a file created exclusively in .git/inc/ (never
 * committed); a lock left by a process that died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncError } from '../domain/errors.js';

export interface Lock {
  release(): void;
}

function holderAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireLock(stateDir: string, timeoutMs: number): Promise<Lock> {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, 'write.lock');
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      continue; // released between our two calls: try again at once
    }
    if (Number.isInteger(holder) && holder > 0 && !holderAlive(holder)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new IncError(
        `another inc command (pid ${Number.isNaN(holder) ? 'unknown' : holder}) has been writing to this repository for over ${Math.round(timeoutMs / 1000)} s`,
        1,
        `Try again; if no inc is running, remove ${path}.`,
      );
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 100);
  }
}
