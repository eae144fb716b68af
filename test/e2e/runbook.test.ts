/** inc runbook new|show|list and the runbook pointer of inc open, with the built binary. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

describe('inc runbook', () => {
  it('scaffolds a runbook with every section, in one commit of that file, and shows and lists it', async () => {
    repo = await makeRepo({ init: true });
    const created = await repo.ok(['runbook', 'new', 'payment-service']);
    expect(created.stdout).toBe('runbooks/payment-service.md\n');
    expect(commitFiles(repo)).toEqual(['runbooks/payment-service.md']);
    expect(commitSubjects(repo)[0]).toBe('inc: runbook for payment-service');

    const text = repo.read('runbooks/payment-service.md');
    expect(text).toMatch(/^# Runbook: payment-service\n/);
    for (const heading of ['## Detection', '## Triage: the first five minutes', '## Common symptoms', '## Escalation', '## Communication']) {
      expect(text).toContain(`\n${heading}`);
    }
    expect(text).toContain('| Symptom | Likely cause | Mitigation |');
    expect(text).not.toContain('{{');

    expect((await repo.ok(['runbook', 'show', 'payment-service'])).stdout).toBe(text);
    await repo.ok(['runbook', 'new', 'search-api']);
    expect((await repo.ok(['runbook', 'list'])).stdout).toBe('payment-service  runbooks/payment-service.md\nsearch-api       runbooks/search-api.md\n');
    expect(JSON.parse((await repo.ok(['runbook', 'list', '--json'])).stdout)).toEqual([
      { service: 'payment-service', path: 'runbooks/payment-service.md' },
      { service: 'search-api', path: 'runbooks/search-api.md' },
    ]);
  });

  it('never overwrites a runbook and refuses unsafe names, writing nothing', async () => {
    repo = await makeRepo({ init: true });
    await repo.ok(['runbook', 'new', 'payment-service']);
    repo.write('runbooks/payment-service.md', '# ours, edited\n');
    repo.git(['commit', '-qam', 'edit runbook']);
    const again = await repo.inc(['runbook', 'new', 'payment-service']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/runbooks\/payment-service\.md already exists/);
    expect(repo.read('runbooks/payment-service.md')).toBe('# ours, edited\n');

    for (const name of ['../escape', '.hidden', 'a/b']) {
      const result = await repo.inc(['runbook', 'new', name]);
      expect(result.code, name).toBe(2);
      expect(result.stderr).toMatch(/is not a service name inc can use for a runbook: it looks like a path/);
    }
    expect(existsSync(join(repo.dir, 'escape.md'))).toBe(false);
    expect(repo.git(['status', '--porcelain'])).toBe('');

    const missing = await repo.inc(['runbook', 'show', 'search-api']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no runbook for search-api[\s\S]*Runbooks: payment-service\. Create it with `inc runbook new search-api`/);
    const badFlag = await repo.inc(['runbook', 'new', '--bogus']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toBe("inc: runbook new: unknown option '--bogus'\nRun `inc runbook new --help` for usage.\n");
    const traversal = await repo.inc(['runbook', 'show', '../incident-severity']);
    expect(traversal.code).toBe(2);
    expect(traversal.stdout).toBe('');
  });

  it('takes any service name, naming the file after its slug', async () => {
    repo = await makeRepo({ init: true });
    const created = await repo.ok(['runbook', 'new', 'Payment Service']);
    expect(created.stdout).toBe('runbooks/payment-service.md\n');
    expect(repo.read('runbooks/payment-service.md')).toContain('Payment Service');
    expect(commitSubjects(repo)[0]).toBe('inc: runbook for Payment Service');
    expect((await repo.ok(['runbook', 'show', 'Payment Service'])).stdout).toBe(repo.read('runbooks/payment-service.md'));
    const opened = await repo.ok(['open', 'Card payments fail', '--sev', '2', '--service', 'Payment Service', '--commander', 'Alice']);
    expect(opened.stderr).toContain('Runbook for Payment Service: runbooks/payment-service.md');
  });

  it('uses the repository\'s own templates/runbook.md', async () => {
    repo = await makeRepo({ init: true });
    repo.write('templates/runbook.md', '# {{service}} (our format)\n');
    await repo.ok(['runbook', 'new', 'cdn']);
    expect(repo.read('runbooks/cdn.md')).toBe('# cdn (our format)\n');
  });

  it('says there are none yet, with exit 0', async () => {
    repo = await makeRepo({ init: true });
    const result = await repo.ok(['runbook', 'list']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/No runbooks yet/);
  });
});

describe('inc open --service', () => {
  it('points the responder at the runbooks that exist, on stderr', async () => {
    repo = await makeRepo({ init: true });
    await repo.ok(['runbook', 'new', 'payment-service']);
    const opened = await repo.ok(['open', 'Checkout returns 500s', '--sev', '1', '--service', 'payment-service', '--service', 'cdn', '--commander', 'Alice']);
    expect(opened.stdout).toBe('2026-03-15-checkout-returns-500s opened 2026-03-15T15:30:00Z\n');
    expect(opened.stderr).toContain('Runbook for payment-service: runbooks/payment-service.md (`inc runbook show payment-service`)');
    expect(opened.stderr).not.toContain('Runbook for cdn');
    expect(opened.stderr).not.toContain('No incident commander');
  });
});
