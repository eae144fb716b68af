/**
 * Atomic file writes: the new content goes to a temporary file in the same folder, is flushed
 * to disk, then renamed over the target. A crash at any point leaves the old file or the new
 * one, never a truncated file. A crash can leave the temporary file behind: the next write
 * into that folder removes the ones whose process is gone.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './processes.js';

const TEMPORARY = /^\..+\.inc-(\d+)-[a-z0-9]*\.tmp$/;

/**
 * `durable: false` skips the flush to disk: for a file that is safe to lose (a cache), where
 * the flush was the larger part of the write (150 ms for a 6 MB cache here). The rename still
 * makes the write all-or-nothing for readers; after a crash the file may be empty or torn,
 * which a cache reader takes for no cache.
 */
export function writeFileAtomic(path: string, content: string | Buffer, { durable = true } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.inc-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    // One write call may write less than asked (a full disk, a signal): loop until it is all out.
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Removes temporary files that a killed inc process left in `dir` (never a live one's). */
export function removeStaleTemporaryFiles(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no folder yet
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}
