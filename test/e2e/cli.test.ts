/** Command-line conventions of the built binary: flags anywhere, `--`, closed pipes. */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

describe('the command line', () => {
  it('takes --no-color anywhere before --, and as text after it', async () => {
    repo = await makeRepo({ init: true });
    await repo.ok(['--no-color', 'open', 'Flags', '--sev', '3']);
    await repo.ok(['log', '--no-color', 'colourless']);
    await repo.ok(['log', '--', '--no-color']);
    const texts = JSON.parse((await repo.ok(['show', '--json'])).stdout).timeline.map((e: { text: string }) => e.text);
    expect(texts.slice(-2)).toEqual(['colourless', '--no-color']);
  });

  it('ends quietly when the reader of its output goes away', async () => {
    repo = await makeRepo({ init: true });
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" open --help | true`], {
      cwd: repo.dir,
      env: repo.env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
