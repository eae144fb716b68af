/** Real readers of what inc writes, installed by .ci/run: their tests are skipped where one is absent. */
import { execFileSync } from 'node:child_process';

export function installed(command: string, versionFlag = '--version'): boolean {
  try {
    execFileSync(command, [versionFlag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const hasCmark = installed('cmark-gfm');
