/**
 * One folder for everything the tests write, removed once the whole run is over: the test
 * repositories, and the repositories the helpers keep as templates (repo.ts). A test process
 * ends by being stopped, not by exiting, so it cannot remove its own.
 *
 * The folder is on a RAM file system (/dev/shm) where the machine has one: the tests create,
 * commit, copy and remove thousands of small files, and on a disk each of inc's fsyncs and
 * each removal goes through the file system's journal (four e2e files: 16 s of CPU and 9.5 s
 * on the wall in the temporary folder on disk, 9 s and 5 s in /dev/shm). The test processes
 * get it as TMPDIR, so os.tmpdir() in the helpers and the tests names it.
 */
import { accessSync, constants, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** statfs's type of a tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

/**
 * Less free space than this and the disk is used: a container's /dev/shm is often 64 MB, and
 * a run (the pathological corpus's 2 MiB files among them) would fill it.
 */
const ENOUGH_BYTES = 2 * 1024 ** 3;

function ramFolder(): string | undefined {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < ENOUGH_BYTES) return undefined;
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

export default function setup(): () => void {
  const root = mkdtempSync(join(ramFolder() ?? tmpdir(), 'inc-tests-'));
  process.env.TMPDIR = root;
  process.env.INC_TEST_TEMPLATES = mkdtempSync(join(root, 'inc-templates-'));
  return () => rmSync(root, { recursive: true, force: true });
}
