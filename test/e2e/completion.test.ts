/**
 * Shell completion: what `inc __complete` answers (commands, flags, subcommands, severities
 * from the matrix, services seen, open incident ids or all of them), and the bash script
 * driving the built binary as bash itself runs it on <TAB>.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
const PAY = '2026-03-15-payment-outage';
const SEARCH = '2026-03-15-search-is-stale';
const LOGIN = '2026-03-15-login-slow';

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  await repo.ok(['open', 'Login slow', '--sev', '3', '--at', '09:00', '--service', 'auth']);
  await repo.ok(['resolve', '--incident', LOGIN, '--at', '10:00']);
  await repo.ok(['open', 'Payment outage', '--sev', '1', '--at', '14:05', '--service', 'payment-service']);
  await repo.ok(['open', 'Search is stale', '--sev', '2', '--at', '14:30']);
  await repo.ok(['runbook', 'new', 'search']);
});
afterAll(() => repo?.cleanup());

/** The values inc offers for the last word (descriptions dropped). */
async function values(...words: string[]): Promise<string[]> {
  const result = await repo.ok(['__complete', '--', ...words]);
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean).map((line) => line.split('\t')[0]!);
}

describe('inc __complete', () => {
  it('commands, then each command\'s flags, from the definitions the CLI parses with', async () => {
    expect(await values('lo')).toEqual(['log']);
    expect(await values('s')).toEqual(['sev', 'status', 'sync', 'show', 'stats']);
    expect(await values('')).not.toContain('__complete');
    expect(await values('log', '--')).toEqual(['--at', '--incident', '--kind', '--by', '--no-commit', '--on', '--dry-run', '--help']);
    expect(await values('log', '--at', '14:00', '--')).not.toContain('--at');
    expect(await values('open', '--service', 'x', '--s')).toEqual(['--sev', '--service', '--started-at']);
    expect(await values('runbook', '')).toEqual(['new', 'show', 'list']);
    expect(await values('help', 'postm')).toEqual(['postmortem']);
  });

  it('open incident ids for --incident, every id where no open one matches, and every id for show', async () => {
    expect((await values('log', '--incident', '')).sort()).toEqual([PAY, SEARCH].sort());
    expect((await values('log', '--incident', '2026-')).sort()).toEqual([PAY, SEARCH].sort());
    expect(await values('log', '-i', '2026-03-15-l')).toEqual([LOGIN]);
    expect((await values('show', '2026-')).sort()).toEqual([LOGIN, PAY, SEARCH].sort());
  });

  it('severities from the matrix, services seen in incidents and runbooks, choices of arguments', async () => {
    expect(await values('open', 'x', '--sev', '')).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(await values('sev', '')).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(await values('open', '--service', '')).toEqual(['auth', 'payment-service', 'search']);
    expect(await values('comms', 'i')).toEqual(['investigating', 'identified']);
    expect(await values('milestone', '')).toEqual(['triggered', 'started', 'detected', 'acknowledged', 'identified', 'mitigated', 'resolved']);
    expect(await values('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await values('stats', '--format', '')).toEqual(['table', 'json', 'csv', 'markdown', 'prometheus']);
  });

  it('answers nothing, and says nothing, outside a repository or for an unknown command', async () => {
    const outside = await repo.ok(['__complete', '--', 'log', '--incident', ''], { cwd: repo.home });
    expect([outside.stdout, outside.stderr]).toEqual(['', '']);
    expect(await values('frobnicate', '')).toEqual([]);
  });
});

describe('inc completion', () => {
  it('prints a script for each shell and refuses another with exit 2', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) expect((await repo.ok(['completion', shell])).stdout).toContain('inc __complete --');
    const other = await repo.inc(['completion', 'tcsh']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('bash, zsh, fish');
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v bash']).status !== 0)('the bash script, run by bash on the built binary, completes a command and the open ids', () => {
    const bin = join(repo.home, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'inc'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'inc'), 0o755);
    const tab = (line: string) => {
      const script = `source <(inc completion bash); COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _inc_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: repo.dir, env: { ...repo.env, PATH: `${bin}:${repo.env.PATH}` }, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean);
    };
    expect(tab('inc lo')).toEqual(['log']);
    expect(tab('inc log --incident 2026-').sort()).toEqual([PAY, SEARCH].sort());
  });
});
