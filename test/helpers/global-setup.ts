/**
 * One folder for the repositories the helpers keep as templates (repo.ts): each test file's
 * process fills it, and it is removed once the whole run is over. A test process ends by
 * being stopped, not by exiting, so it cannot remove its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'inc-templates-'));
  process.env.INC_TEST_TEMPLATES = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
