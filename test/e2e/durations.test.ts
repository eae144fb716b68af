/**
 * Durations with seconds in them, end to end: people read one form everywhere (`17m`, `7s`,
 * `1h 12m`), never `16.68 min` or `0.12 min`; JSON carries minutes with at most two decimals,
 * and nothing counts below zero.
 *
 * By hand: started 13:48:19, detected 14:05:00, acknowledged 14:05:07, mitigated 14:22:40,
 * resolved 15:00:20. TTD 16 min 41 s = 16.68; TTA 7 s = 0.12; TTM 17 min 40 s = 17.67;
 * TTR 55 min 20 s = 55.33; impact 13:48:19-14:22:40 = 34 min 21 s = 34.35; start of impact to
 * resolution 72 min 1 s (1h 12m).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

const ID = '2026-03-15-login-failures-spike';
/** A fraction of a minute as text (`16.68 min`, `0.12m`): the form people must not see. */
const MINUTES_AS_NUMBERS = /\d\.\d+ ?m(in)?\b/;

let repo: TempRepo;
const at = (time: string, args: string[]) => repo.ok(args, { env: { INC_NOW: `2026-03-15T${time}Z` } });

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  await at('14:05:00', ['open', 'Login failures spike', '--sev', '1', '--at', '14:05:00', '--started-at', '13:48:19']);
  await at('14:05:10', ['ack', '--at', '14:05:07']);
});
afterAll(() => repo?.cleanup());

describe('durations with seconds', () => {
  it('status while open: elapsed and overdue in minutes with two decimals at most, nothing negative', async () => {
    const status = JSON.parse((await at('14:20:30', ['status', '--json'])).stdout);
    expect(status.elapsed_minutes).toBe(15.5);
    // The update was due at 14:20 (every 15 min for SEV1): 30 s late. Escalation at 14:35: 14.5 min left.
    expect(status.next_update).toMatchObject({ due_at: '2026-03-15T14:20:00Z', overdue: true, minutes_left: 0, minutes_past: 0.5 });
    expect(status.escalation).toMatchObject({ due_at: '2026-03-15T14:35:00Z', due: false, minutes_left: 14.5, minutes_past: 0 });
    const text = (await at('14:20:30', ['status'])).stdout;
    expect(text).toContain('OVERDUE by 30s');
    expect(text).not.toMatch(MINUTES_AS_NUMBERS);
  });

  it('show, show --json and the postmortem after the resolution', async () => {
    await at('14:22:45', ['mitigate', '--at', '14:22:40']);
    await at('15:00:30', ['resolve', '--at', '15:00:20']);
    const shown = (await at('15:30:00', ['show', ID])).stdout;
    expect(shown).toMatch(/^Metrics {2}TTD 17m {3}TTA 7s {3}TTM 18m {3}TTR 55m {3}IMPACT 34m$/m);
    expect(shown).not.toMatch(MINUTES_AS_NUMBERS);
    const json = JSON.parse((await at('15:30:00', ['show', ID, '--json'])).stdout);
    expect(json.metrics).toEqual({ ttd: 16.68, tta: 0.12, ttm: 17.67, ttr: 55.33, impact: 34.35 });

    await at('15:30:00', ['postmortem', ID, '--no-branch']);
    const postmortem = repo.read(`incidents/${ID}/postmortem.md`);
    expect(postmortem).toContain('- **Duration**: 1h 12m, from the start of impact to resolution');
    expect(postmortem).toContain('- **Impact window**: 2026-03-15 13:48 – 14:22 UTC (34m)');
    expect(postmortem).toContain('| TTA, time to acknowledge | 7s |');
    expect(postmortem).not.toMatch(MINUTES_AS_NUMBERS);
  });
});
