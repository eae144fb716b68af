/**
 * One writer at a time per clone: two responders logging from two terminals take turns
 * instead of losing an entry. The lock is a file created exclusively in .git/inc/ (never
 * committed) holding the owner's pid, host and a random token; a lock whose owner died
 * (kill -9, a crash, a closed laptop lid on a stale process) is taken over.
 *
 * Taking over is itself serialised by a second, short-lived guard file: otherwise two
 * waiters could both see the dead owner, one remove the stale lock and create its own, and
 * the other then remove that live lock — and two writers would append at once.
 */
import { hostname } from 'node:os';
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IncError } from '../domain/errors.js';
import { processAlive } from './processes.js';

export interface Lock {
  release(): void;
}

/** A lock file with no readable owner (its writer died between creating and filling it) is stale after this. */
const UNREADABLE_STALE_MS = 5_000;
/** A takeover guard older than this belongs to a process that died while taking over. */
const GUARD_STALE_MS = 10_000;

interface Holder {
  pid: number;
  host: string;
  /** The whole content: compared before removing, so only the lock that was judged stale goes. */
  content: string;
  ageMs: number;
}

function readHolder(path: string): Holder | undefined {
  try {
    const ageMs = Date.now() - lstatSync(path).mtimeMs;
    const content = readFileSync(path, 'utf8');
    const [pid, host] = content.split(/\s+/);
    return { pid: Number.parseInt(pid ?? '', 10), host: host ?? '', content, ageMs };
  } catch {
    return undefined; // released meanwhile
  }
}

function isStale(holder: Holder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return holder.ageMs > UNREADABLE_STALE_MS;
  // A lock taken on another machine (a clone on a shared disk) cannot be checked from here.
  if (holder.host !== '' && holder.host !== hostname()) return false;
  return !processAlive(holder.pid);
}

function tryCreate(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the lock at `path` if, checked again under the guard, it is still stale. False
 * while another waiter holds the guard: it is taking over, and trying again at once would spin.
 */
function takeOverStale(path: string): boolean {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, `${process.pid} ${hostname()}\n`)) {
    const other = readHolder(guard);
    if (other === undefined) return true; // released meanwhile
    if (other.ageMs <= GUARD_STALE_MS) return false;
    rmSync(guard, { force: true });
    return true;
  }
  try {
    const holder = readHolder(path);
    if (holder && isStale(holder)) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
  return true;
}

export async function acquireLock(stateDir: string, timeoutMs: number): Promise<Lock> {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, 'write.lock');
  const content = `${process.pid} ${hostname()} ${Math.random().toString(36).slice(2, 10)}\n`;
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  for (;;) {
    if (tryCreate(path, content)) {
      return {
        release: () => {
          // Only our own lock: never one that a waiter (wrongly) took over and now holds.
          if (readHolder(path)?.content === content) rmSync(path, { force: true });
        },
      };
    }
    const holder = readHolder(path);
    if (holder !== undefined && isStale(holder)) {
      // The wait for a takeover is bounded by GUARD_STALE_MS, not by the deadline: no live writer is waited for.
      if (takeOverStale(path)) continue;
    } else if (Date.now() >= deadline) {
      const who = holder && Number.isInteger(holder.pid) ? `pid ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ''}` : 'pid unknown';
      throw new IncError(
        `waited ${Math.round(timeoutMs / 1000)} s for another inc command (${who}) that is writing to this repository; nothing was written`,
        1,
        `Try again. If no inc command is running, remove ${path} (lock_timeout_seconds in .inc/config.yaml sets the wait).`,
      );
    } else if (holder === undefined) {
      continue; // released between our two calls: try again at once
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 100);
  }
}
