/**
 * Command-line conventions: flags anywhere, `--`; and the built binary itself (bin/inc.js and
 * the process around run()): its exit codes, stdout for data and stderr for messages, closed pipes.
 */
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

  it('the built binary: the id on stdout, exit 2 and a message on stderr for bad usage, the version without the CLI', async () => {
    repo = await makeRepo({ init: true });
    const opened = await repo.okBin(['open', 'Checkout returns 500s', '--sev', '1', '--at', '14:05']);
    expect(opened.stdout).toBe('2026-03-15-checkout-returns-500s opened 2026-03-15T14:05:00Z\n');
    const bad = await repo.bin(['log', '--frobnicate', 'x']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain("unknown option '--frobnicate'");
    const version = await repo.okBin(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const shown = JSON.parse((await repo.okBin(['show', '--json'])).stdout) as { id: string; severity: string };
    expect([shown.id, shown.severity]).toEqual(['2026-03-15-checkout-returns-500s', 'SEV1']);
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
