/** inc check's blaming-language warnings: every phrase on a line, and a repository's own list in .inc/config.yaml. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ID = '2026-03-15-payment-outage';
const PM = `incidents/${ID}/postmortem.md`;

function postmortem(line: string): string {
  return [
    '---',
    `incident: ${ID}`,
    'status: draft',
    'authors: [Alice]',
    '---',
    '',
    '## Root cause',
    '',
    line,
    '',
  ].join('\n');
}

const blameWarnings = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.includes('blameless postmortem'))
    .map((l) => /: warning: "([^"]+)"/.exec(l)?.[1]);

describe('inc check: blaming language', () => {
  it('reports every phrase of a line; .inc/config.yaml adds phrases and silences others', async () => {
    repo = await makeRepo({ init: true });
    repo.write(PM, postmortem('It was user error: Bob forgot to check, a cowboy deploy we blame on him.'));
    const before = await incIn(repo, ['check', `incidents/${ID}`]);
    expect(blameWarnings(before.stdout)).toEqual(['user error', 'Bob forgot to', 'blame']);
    expect(before.stdout).toContain(`${PM}:9: warning: "user error": "user error" blames a person, not the system that let it happen`);

    repo.write('.inc/config.yaml', `${repo.read('.inc/config.yaml')}\nblameless:\n  add: [cowboy deploy]\n  silence: [blame]\n`);
    const after = await incIn(repo, ['check', `incidents/${ID}`]);
    expect(blameWarnings(after.stdout)).toEqual(['user error', 'Bob forgot to', 'cowboy deploy']);

    repo.write('.inc/config.yaml', 'blameless: [cowboy]\n');
    const bad = await incIn(repo, ['check']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('inc: .inc/config.yaml:1: blameless (a list) must be a mapping of add: and silence: lists of phrases');
  });
});
