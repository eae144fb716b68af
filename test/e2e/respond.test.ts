/**
 * Responding in the moment, end to end: the built binary driven through an incident the way
 * an incident commander would, with the clock pinned at each step (INC_NOW).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, type RunResult, type TempRepo } from '../helpers/repo.js';

const ID = '2026-03-15-payment-processing-outage';
const INCIDENT = `incidents/${ID}/incident.md`;
const TIMELINE = `incidents/${ID}/timeline.md`;
let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** Runs inc at a wall-clock time on 2026-03-15 (UTC) and insists on success. */
function at(time: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return repo.ok(args, { env: { INC_NOW: `2026-03-15T${time}:00Z`, ...env } });
}

async function statusJson(time: string): Promise<Record<string, any>> {
  return JSON.parse((await at(time, ['status', '--json'])).stdout);
}

function timelineRows(): string[] {
  return repo.read(TIMELINE).split('\n').filter((line) => line.startsWith('| 2026'));
}

describe('an incident run by its commander', () => {
  it('open, assign, change severity, watch the clocks, send updates, resolve: all in the files', async () => {
    repo = await makeRepo({ init: true });

    const opened = await at('14:06', ['open', 'Payment processing outage', '--sev', '2', '--service', 'payment-service', '--at', '14:05']);
    expect(opened.stdout).toBe(`${ID} opened 2026-03-15T14:05:00Z\n`);
    expect(opened.stderr).toContain('No incident commander yet: name one now with `inc assign --commander NAME`.');

    // Roles: a first commander, then a handoff; one commit of incident.md + timeline.md each.
    const first = await at('14:08', ['assign', '--commander', 'Alice', '--sme', 'Carol']);
    expect(first.stdout).toBe(`${ID} commander Alice\n${ID} sme Carol\n`);
    expect(first.stderr).toBe('Incident commander: Alice; Subject-matter expert: Carol.\n');
    expect(commitFiles(repo)).toEqual([INCIDENT, TIMELINE]);
    const handoff = await at('14:10', ['assign', '--commander', 'Bob', '--comms', 'Dana']);
    expect(handoff.stdout).toBe(`${ID} commander Bob\n${ID} comms Dana\n`);
    expect(handoff.stderr).toContain('Incident commander: Bob (handed over from Alice); Communications lead: Dana.');
    expect(commitSubjects(repo)[0]).toMatch(new RegExp(`^inc\\(${ID}\\): assign Incident commander: Bob \\(handed over from Alice\\)`));

    // Asking for what is already so writes nothing.
    const commitsBefore = commitSubjects(repo).length;
    const same = await at('14:11', ['assign', '--commander', 'Bob']);
    expect(same.stderr).toMatch(/Nothing changed/);
    expect(commitSubjects(repo)).toHaveLength(commitsBefore);

    const sev = await at('14:12', ['sev', '1', 'every region affected']);
    expect(sev.stdout).toBe(`${ID} severity SEV1\n`);
    expect(sev.stderr).toMatch(/^Severity changed from SEV2 to SEV1: every region affected\.\n/);
    expect(sev.stderr).toContain('SEV1: stakeholder updates every 15 min; escalate if not mitigated 30 min after detection');
    expect(sev.stderr).toContain('Page now: Primary and secondary on-call, engineering manager (who SEV1 pages).');
    expect(commitFiles(repo)).toEqual([INCIDENT, TIMELINE]);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): severity SEV2 -> SEV1 "every region affected"`);

    // 14:30: no update sent yet, so the SEV1 clock counts from detection (14:05 + 15 = 14:20).
    const early = await at('14:30', ['status']);
    expect(early.stdout).toContain('Payment processing outage');
    expect(early.stdout).toMatch(/Commander\s+Bob/);
    expect(early.stdout).toMatch(/Comms lead\s+Dana/);
    expect(early.stdout).toMatch(/SMEs\s+Carol/);
    expect(early.stdout).toContain('Detected      2026-03-15 14:05 UTC (25m ago)');
    expect(early.stdout).toContain('due 14:20 UTC, OVERDUE by 10m');
    expect(early.stdout).toContain('if not mitigated by 14:35 UTC (in 5m), page Secondary on-call and the engineering manager');
    expect(early.stdout).toContain('Recent timeline (UTC)');
    expect(early.stdout).toContain('[severity] Severity changed from SEV2 to SEV1: every region affected');

    // 14:40: past the SEV1 threshold of 30 minutes without mitigation.
    const late = await at('14:40', ['status']);
    expect(late.stdout).toContain('ESCALATE NOW: not mitigated 35m after detection (threshold 30 min, passed at 14:35 UTC)');
    expect(late.stdout).toContain('Page Secondary on-call and the engineering manager');
    const lateJson = await statusJson('14:40');
    expect(lateJson).toMatchObject({
      id: ID,
      severity: 'SEV1',
      commander: 'Bob',
      elapsed_minutes: 35,
      timezone: 'UTC',
      next_update: { due_at: '2026-03-15T14:20:00Z', every_minutes: 15, counted_from: 'detection', overdue: true, minutes_left: 0, minutes_past: 20 },
      escalation: { due: true, due_at: '2026-03-15T14:35:00Z', escalate_to: 'Secondary on-call and the engineering manager', minutes_past: 5, minutes_left: 0 },
    });

    // The first status-page update: printed for copy-paste, logged, and the clock restarts.
    const comms = await at('14:41', ['comms', 'investigating', '--symptom', 'failed card payments']);
    expect(comms.stdout).toBe(
      'Investigating: we are aware of a problem affecting some of our services and are looking into it now. ' +
        'Some users may see failed card payments.\n\nWe will post the next update by 14:56 UTC.\n',
    );
    expect(comms.stderr).toContain('Logged as an update sent; next update due 14:56 UTC.');
    expect(commitFiles(repo)).toEqual([INCIDENT, TIMELINE]);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): status update (investigating)`);
    expect(repo.read(INCIDENT)).toMatch(/## Status updates\n[\s\S]*### 2026-03-15T14:41:00Z \(investigating\)\n\nInvestigating: we are aware/);
    expect(repo.read(INCIDENT)).toContain('symptom: "failed card payments"');
    const afterUpdate = await statusJson('14:45');
    expect(afterUpdate.next_update).toMatchObject({ due_at: '2026-03-15T14:56:00Z', counted_from: 'update', last_update_at: '2026-03-15T14:41:00Z', overdue: false });

    // An escalation logged by hand is remembered.
    await at('14:42', ['log', '--kind', 'escalation', 'paged the secondary on-call']);
    expect((await at('14:45', ['status'])).stdout).toContain('escalated at 14:42 UTC');

    // Mitigated: no more escalation, updates continue; resolved: no more updates.
    await at('14:50', ['mitigate', 'rolled back to v2.13.9']);
    const mitigated = await statusJson('14:51');
    expect(mitigated.escalation).toBeNull();
    expect(mitigated.next_update.due_at).toBe('2026-03-15T14:56:00Z');
    // The next update describes the same symptom without being told again.
    const identified = await at('14:46', ['comms', 'identified', '--no-log']);
    expect(identified.stdout).toContain('Some users may still see failed card payments.');
    const mitigatedText = await at('14:52', ['comms', 'mitigated', '--message', 'We rolled back the release that caused it']);
    expect(mitigatedText.stdout).toContain('recovering. We rolled back the release that caused it. We are watching');
    expect(mitigatedText.stdout).toContain('next update by 15:07 UTC');
    await at('15:00', ['resolve']);
    const resolvedText = await at('15:01', ['comms', 'resolved']);
    expect(resolvedText.stdout).toContain('within 5 business days');
    expect(resolvedText.stdout).not.toContain('next update');
    expect(resolvedText.stderr).toContain('no further update is due');
    const resolved = await statusJson('15:05');
    expect(resolved).toMatchObject({ status: 'resolved', next_update: null, escalation: null, elapsed_minutes: 55 });
    expect((await at('15:05', ['status'])).stdout).toContain('none: the incident is resolved');

    // Every change is in the timeline and in `inc show --json`.
    const show = JSON.parse((await at('15:06', ['show', '--json'])).stdout);
    expect(show).toMatchObject({ severity: 'SEV1', commander: 'Bob', communications: 'Dana', smes: ['Carol'], status: 'resolved', drill: false });
    const entries = (show.timeline as { at: string; text: string; kind: string | null }[]).map((e) => `${e.at.slice(11, 16)} ${e.kind} ${e.text}`);
    expect(entries).toEqual([
      '14:05 declared Incident declared: SEV2 Payment processing outage',
      '14:08 role Incident commander: Alice',
      '14:08 role Subject-matter expert: Carol',
      '14:10 role Incident commander: Bob (handed over from Alice)',
      '14:10 role Communications lead: Dana',
      '14:12 severity Severity changed from SEV2 to SEV1: every region affected',
      expect.stringMatching(/^14:41 update Status update sent \(investigating\): Investigating: we are aware .* by 14:56 UTC\.$/),
      '14:42 escalation paged the secondary on-call',
      '14:50 milestone Mitigated: rolled back to v2.13.9',
      expect.stringMatching(/^14:52 update Status update sent \(mitigated\): /),
      '15:00 milestone Resolved',
      expect.stringMatching(/^15:01 update Status update sent \(resolved\): /),
    ]);
    expect(timelineRows()).toHaveLength(12);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('shows times in the configured zone and says which, across midnight', async () => {
    repo = await makeRepo();
    await repo.ok(['init', '--timezone', 'Europe/Berlin']);
    // 23:50 in Berlin on 15 March is 22:50 UTC.
    await at('22:51', ['open', 'Search is stale', '--sev', '1', '--at', '23:50', '--commander', 'Alice']);
    const status = await repo.inc(['status'], { env: { INC_NOW: '2026-03-15T23:10:00Z' } }); // 00:10 on the 16th in Berlin
    expect(status.stdout).toContain('Detected      2026-03-15 23:50 Europe/Berlin (20m ago)');
    expect(status.stdout).toContain('due 00:05 Europe/Berlin, OVERDUE by 5m');
    expect(status.stdout).toContain('if not mitigated by 00:20 Europe/Berlin (in 10m)');
    expect(status.stdout).toContain('Recent timeline (Europe/Berlin)');
    expect(status.stdout).toContain('2026-03-15 23:50  [declared]'); // yesterday, locally: the date is shown
  });

  it('says so when nothing is open, with exit 0', async () => {
    repo = await makeRepo({ init: true });
    const result = await repo.inc(['status']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/No incident is open/);
    expect((await repo.inc(['status', '--json'])).stdout).toBe('null\n');
  });
});

describe('drills', () => {
  it('are marked in status, in every paragraph of comms text, and in show --json', async () => {
    repo = await makeRepo({ init: true });
    await at('10:00', ['open', '--drill', 'Game day: primary database failover', '--sev', '2', '--service', 'orders-db', '--commander', 'Alice']);
    expect((await at('10:05', ['status'])).stdout).toMatch(/^Game day: primary database failover {2}\[DRILL\]/);
    const comms = await at('10:06', ['comms', 'investigating']);
    const paragraphs = comms.stdout.trim().split('\n\n');
    expect(paragraphs.length).toBeGreaterThan(1);
    for (const paragraph of paragraphs) expect(paragraph.startsWith('[DRILL] ')).toBe(true);
    expect(comms.stderr).toContain('is a drill');
    expect(commitSubjects(repo)[0]).toMatch(/: drill status update \(investigating\)$/);
    const json = JSON.parse((await at('10:07', ['comms', 'identified', '--json', '--no-log'])).stdout);
    expect(json).toMatchObject({ drill: true, phase: 'identified', logged: false });
    expect(json.text).toMatch(/^\[DRILL\] /);
    const show = JSON.parse((await at('10:08', ['show', '--json'])).stdout);
    expect(show.drill).toBe(true);
  });
});

describe('comms', () => {
  it('uses the repository\'s own template, and --no-log writes nothing', async () => {
    repo = await makeRepo({ init: true });
    await at('14:06', ['open', 'Payment processing outage', '--sev', '2', '--service', 'payment-service', '--at', '14:05']);
    repo.write('templates/comms/investigating.md', '<!-- ours -->\n{{severity}} on {{services}}: {{symptom}}. Next: {{next_update}}.\n');
    const before = commitSubjects(repo).length;
    const preview = await at('14:10', ['comms', 'investigating', '--no-log', '--json']);
    expect(JSON.parse(preview.stdout)).toMatchObject({
      text: 'SEV2 on some of our services: errors or slow responses. Next: 14:40 UTC.',
      template: 'templates/comms/investigating.md',
      next_update_at: '2026-03-15T14:40:00Z',
      logged: false,
    });
    expect(commitSubjects(repo)).toHaveLength(before);
    expect(repo.read(TIMELINE)).not.toContain('| update |');
  });

  it('names only the public names of services, from the config, and every one as internal_services', async () => {
    repo = await makeRepo({ init: true });
    await at('14:06', ['open', 'Checkout fails', '--sev', '2', '--service', 'checkout-api', '--service', 'payments-gateway', '--at', '14:05']);
    const internal = await at('14:10', ['comms', 'investigating', '--no-log', '--symptom', 'failed checkouts in the EU']);
    expect(internal.stdout).not.toMatch(/checkout-api|payments-gateway/);
    expect(internal.stdout).toContain('affecting some of our services');
    repo.write('.inc/config.yaml', `${repo.read('.inc/config.yaml')}public_services:\n  checkout-api: Checkout\n  payments-gateway: Checkout\n`);
    const mapped = await at('14:11', ['comms', 'investigating', '--no-log']);
    expect(mapped.stdout).toContain('a problem affecting Checkout and are looking');
    repo.write('templates/comms/identified.md', '{{internal_services}}\n');
    expect((await at('14:12', ['comms', 'identified', '--no-log'])).stdout).toBe('checkout-api and payments-gateway\n');
    repo.write('.inc/config.yaml', 'public_services: [Checkout]\n');
    const bad = await repo.inc(['comms', 'identified', '--no-log']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\.inc\/config\.yaml:1: public_services \(a list\) must map service names/);
  });

  it('--at backdates the update sent, and the clock counts from then', async () => {
    repo = await makeRepo({ init: true });
    await at('14:06', ['open', 'Payment processing outage', '--sev', '2', '--at', '14:05']);
    await at('14:30', ['comms', 'investigating', '--at', '14:20']);
    expect((await statusJson('14:31')).next_update.due_at).toBe('2026-03-15T14:50:00Z');
  });
});

describe('refusals', () => {
  async function expectRefused(args: string[], code: number, message: RegExp) {
    const before = commitSubjects(repo).length;
    const result = await repo.inc(args);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.stdout).toBe('');
    expect(commitSubjects(repo)).toHaveLength(before);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  }

  it('without a terminal, a missing value is exit 2 naming the flag, and nothing is written', async () => {
    repo = await makeRepo({ init: true });
    await expectRefused(['open', 'Checkout returns 500s'], 2, /missing --sev/);
    await expectRefused(['open', '--sev', '2'], 2, /missing the title/);
    await at('14:06', ['open', 'Payment processing outage', '--sev', '2']);
    await expectRefused(['sev'], 2, /missing <level>[\s\S]*inc sev <level>/);
    await expectRefused(['comms'], 2, /missing <phase>[\s\S]*inc comms <investigating\|identified\|mitigated\|resolved>/);
    await expectRefused(['assign'], 2, /nothing to assign: give --commander, --comms or --sme/);
    await expectRefused(['runbook', 'new'], 2, /missing <service>/);
  });

  it('refuses bad values with the right exit code and writes nothing', async () => {
    repo = await makeRepo({ init: true });
    await at('14:06', ['open', 'Payment processing outage', '--sev', '2', '--commander', 'Alice']);
    await expectRefused(['sev', '7'], 2, /severity 7: no such severity[\s\S]*SEV1, SEV2, SEV3, SEV4/);
    await expectRefused(['comms', 'fixed'], 2, /phase "fixed" is not one inc knows/);
    await expectRefused(['assign', '--remove-sme', 'Zed'], 1, /Zed is not an SME of 2026-03-15-payment-processing-outage/);
    await expectRefused(['assign', '--commander', '   '], 2, /commander name cannot be used/);
    await expectRefused(['status', '--last', 'x'], 2, /--last x/);
    const unchanged = await repo.inc(['sev', '2']);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stderr).toMatch(/already SEV2/);
  });
});
