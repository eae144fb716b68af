import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Milestones, Status } from '../../src/domain/incident.js';
import {
  appendStatusUpdate,
  commsValues,
  publicNames,
  escalationState,
  formatClock,
  markDrill,
  nextUpdateAfter,
  nextUpdateDue,
  planRoleChange,
  renderCommsText,
  serviceNameProblem,
  serviceSlug,
  severityChangeText,
} from '../../src/domain/response.js';
import { parseSeverityMatrix, type SeverityLevel } from '../../src/domain/severity.js';
import { statusOf } from '../../src/domain/incident.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { readYamlFile } from '../../src/domain/yaml-document.js';

const shipped = (name: string) => readFileSync(new URL(`../../templates/${name}`, import.meta.url), 'utf8');
const matrix = (() => {
  const { data, lineOf } = readYamlFile(shipped('incident-severity.yaml'), 'incident-severity.yaml');
  return parseSeverityMatrix(data, 'incident-severity.yaml', lineOf);
})();
const level = (name: string): SeverityLevel => matrix.levels.find((l) => l.name === name)!;
const SEV1 = level('SEV1');
const SEV2 = level('SEV2');
const SEV4 = level('SEV4');

const at = (iso: string) => Date.parse(iso);
const incidentAt = (milestones: Milestones): { status: Status; milestones: Milestones } => ({ status: statusOf(milestones), milestones });
const row = (iso: string, kind: string | null, text = 'x'): TimelineEntry => ({ at: at(iso), text, author: 'Alice', kind });

describe('next stakeholder update', () => {
  const detected = at('2026-03-15T14:05:00Z');

  it('counts from detection until an update is sent, at the severity cadence', () => {
    const clock = nextUpdateDue(incidentAt({ detected }), SEV1, [row('2026-03-15T14:05:00Z', 'declared')]);
    expect(clock).toMatchObject({ everyMinutes: 15, countedFrom: 'detection', lastUpdateAt: null });
    expect(new Date(clock!.dueAt).toISOString()).toBe('2026-03-15T14:20:00.000Z');
  });

  it('counts from the latest update sent, whatever order the rows are in, kind read case-insensitively', () => {
    const timeline = [row('2026-03-15T14:40:00Z', 'Update'), row('2026-03-15T14:25:00Z', 'update'), row('2026-03-15T14:45:00Z', 'note')];
    const clock = nextUpdateDue(incidentAt({ detected }), SEV2, timeline);
    expect(clock!.countedFrom).toBe('update');
    expect(new Date(clock!.dueAt).toISOString()).toBe('2026-03-15T15:10:00.000Z');
  });

  it('follows a severity change at once: the new cadence from the same last update', () => {
    const timeline = [row('2026-03-15T14:10:00Z', 'update')];
    expect(new Date(nextUpdateDue(incidentAt({ detected }), SEV2, timeline)!.dueAt).toISOString()).toBe('2026-03-15T14:40:00.000Z');
    expect(new Date(nextUpdateDue(incidentAt({ detected }), SEV1, timeline)!.dueAt).toISOString()).toBe('2026-03-15T14:25:00.000Z');
  });

  it('is not due when resolved, when the level expects none, or when the level is unknown', () => {
    expect(nextUpdateDue(incidentAt({ detected, resolved: detected + 60_000 }), SEV1, [])).toBeNull();
    expect(nextUpdateDue(incidentAt({ detected }), SEV4, [])).toBeNull();
    expect(nextUpdateDue(incidentAt({ detected }), undefined, [])).toBeNull();
    expect(nextUpdateDue(incidentAt({}), SEV1, [])).toBeNull();
  });

  it('keeps running after mitigation: stakeholders hear until it is resolved', () => {
    const mitigated = incidentAt({ detected, mitigated: at('2026-03-15T14:22:00Z') });
    const clock = nextUpdateDue(mitigated, SEV1, []);
    expect(clock).not.toBeNull();
    // Detected 14:05 + SEV1's 15 minutes: still owed although mitigation came at 14:22.
    expect(clock).toMatchObject({ everyMinutes: 15, countedFrom: 'detection', lastUpdateAt: null });
    expect(new Date(clock!.dueAt).toISOString()).toBe('2026-03-15T14:20:00.000Z');
    // An update sent after mitigation (14:30) starts the next 15 minutes: due 14:45.
    const afterUpdate = nextUpdateDue(mitigated, SEV1, [row('2026-03-15T14:30:00Z', 'update')]);
    expect(afterUpdate).toMatchObject({ countedFrom: 'update', lastUpdateAt: at('2026-03-15T14:30:00Z') });
    expect(new Date(afterUpdate!.dueAt).toISOString()).toBe('2026-03-15T14:45:00.000Z');
  });

  it('crosses midnight in a non-UTC zone: the due time carries the next local date', () => {
    const zone = 'America/Los_Angeles';
    // 23:50 on 15 March in Los Angeles (PDT, UTC-7, since 8 March 2026) is 06:50 UTC on the 16th.
    const detectedLocal = at('2026-03-16T06:50:00Z');
    const clock = nextUpdateDue(incidentAt({ detected: detectedLocal }), SEV1, []);
    expect(new Date(clock!.dueAt).toISOString()).toBe('2026-03-16T07:05:00.000Z');
    const now = at('2026-03-16T06:55:00Z'); // 23:55 local on the 15th
    expect(formatClock(clock!.dueAt, now, zone)).toBe('2026-03-16 00:05 America/Los_Angeles');
    expect(formatClock(detectedLocal, now, zone)).toBe('23:50 America/Los_Angeles');
    // The same instants in UTC are one calendar day: no date shown.
    expect(formatClock(clock!.dueAt, now, 'UTC')).toBe('07:05 UTC');
  });

  it('adds real minutes across a DST change (01:50 PST + 15 min is 03:05 PDT)', () => {
    const detectedLocal = at('2026-03-08T09:50:00Z'); // 01:50 PST, the night clocks spring forward
    const clock = nextUpdateDue(incidentAt({ detected: detectedLocal }), SEV1, []);
    expect(formatClock(clock!.dueAt, detectedLocal, 'America/Los_Angeles')).toBe('03:05 America/Los_Angeles');
  });

  it('names the zone in Europe/Berlin too', () => {
    expect(formatClock(at('2026-03-15T14:20:00Z'), at('2026-03-15T14:05:00Z'), 'Europe/Berlin')).toBe('15:20 Europe/Berlin');
  });
});

describe('escalation', () => {
  const detected = at('2026-03-15T14:05:00Z');

  it('is not yet due before the threshold, saying how long is left', () => {
    const state = escalationState(incidentAt({ detected }), SEV1, [], at('2026-03-15T14:25:00Z'));
    expect(state).toMatchObject({ afterMinutes: 30, due: false, minutesPast: -10, escalatedAt: null });
    expect(new Date(state!.dueAt).toISOString()).toBe('2026-03-15T14:35:00.000Z');
  });

  it('is due at and past the threshold, with who to page from the matrix', () => {
    expect(escalationState(incidentAt({ detected }), SEV1, [], at('2026-03-15T14:35:00Z'))!.due).toBe(true);
    const state = escalationState(incidentAt({ detected, acknowledged: detected + 60_000 }), SEV1, [], at('2026-03-15T15:00:00Z'));
    expect(state).toMatchObject({
      due: true,
      minutesPast: 25,
      escalateTo: SEV1.escalateTo,
      whoIsPaged: SEV1.whoIsPaged,
    });
    expect(state!.escalateTo).toMatch(/Secondary on-call/);
  });

  it('crosses midnight: detected 23:50 local, a SEV2 escalates at 00:50 the next day', () => {
    const detectedLocal = at('2026-03-15T22:50:00Z'); // 23:50 in Berlin (CET)
    const state = escalationState(incidentAt({ detected: detectedLocal }), SEV2, [], at('2026-03-15T23:55:00Z'));
    expect(state!.due).toBe(true);
    expect(formatClock(state!.dueAt, at('2026-03-15T23:55:00Z'), 'Europe/Berlin')).toBe('00:50 Europe/Berlin');
    expect(formatClock(state!.dueAt, detectedLocal, 'Europe/Berlin')).toBe('2026-03-16 00:50 Europe/Berlin');
  });

  it('stops once mitigated or resolved, and never applies to levels without a threshold', () => {
    const late = at('2026-03-15T18:00:00Z');
    expect(escalationState(incidentAt({ detected, mitigated: at('2026-03-15T14:50:00Z') }), SEV1, [], late)).toBeNull();
    expect(escalationState(incidentAt({ detected, resolved: at('2026-03-15T14:50:00Z') }), SEV1, [], late)).toBeNull();
    expect(escalationState(incidentAt({ detected }), SEV4, [], late)).toBeNull();
  });

  it('remembers an escalation logged with kind escalation', () => {
    const state = escalationState(incidentAt({ detected }), SEV1, [row('2026-03-15T14:38:00Z', 'escalation')], at('2026-03-15T14:45:00Z'));
    expect(new Date(state!.escalatedAt!).toISOString()).toBe('2026-03-15T14:38:00.000Z');
  });
});

describe('roles', () => {
  const none = { commander: null, communications: null, smes: [] as string[] };

  it('names a first commander plainly and records a change as a handoff', () => {
    const first = planRoleChange(none, { commander: 'Alice' });
    expect(first.events).toEqual(['Incident commander: Alice']);
    const second = planRoleChange(first.roles, { commander: 'Bob', communications: 'Dana' });
    expect(second.events).toEqual(['Incident commander: Bob (handed over from Alice)', 'Communications lead: Dana']);
    expect(second.roles).toEqual({ commander: 'Bob', communications: 'Dana', smes: [] });
    expect(planRoleChange(second.roles, { communications: 'Erin' }).events).toEqual(['Communications lead: Erin (handed over from Dana)']);
  });

  it('changes nothing for what is already so', () => {
    const roles = { commander: 'Alice', communications: null, smes: ['Carol'] };
    expect(planRoleChange(roles, { commander: 'Alice', addSmes: ['carol'] }).events).toEqual([]);
  });

  it('adds and releases SMEs, without duplicates, and reports names that are not SMEs', () => {
    const roles = { commander: 'Alice', communications: null, smes: ['Carol'] };
    const change = planRoleChange(roles, { addSmes: ['Erin', 'Erin'], removeSmes: ['carol', 'Zed'] });
    expect(change.roles.smes).toEqual(['Erin']);
    expect(change.events).toEqual(['Subject-matter expert released: Carol', 'Subject-matter expert: Erin']);
    expect(change.notSmes).toEqual(['Zed']);
    expect(roles.smes).toEqual(['Carol']); // the input is not changed
  });

  it('words a severity change', () => {
    expect(severityChangeText('SEV2', 'SEV1')).toBe('Severity changed from SEV2 to SEV1');
    expect(severityChangeText('SEV2', 'SEV1', 'every region down')).toBe('Severity changed from SEV2 to SEV1: every region down');
  });
});

describe('status-page text', () => {
  const incident = { title: 'Payment processing outage', severity: 'SEV1', services: ['payment-service'] };
  const sentAt = at('2026-03-15T14:25:00Z');

  it('fills the investigating template with the public service name, symptom and the next update time', () => {
    const values = commsValues({ incident, publicServices: { 'payment-service': 'Card payments' }, level: SEV1, phase: 'investigating', sentAt, zone: 'UTC', symptom: 'failed card payments' });
    const text = renderCommsText(shipped('comms/investigating.md'), values);
    expect(text).toContain('affecting Card payments and');
    expect(text).not.toContain('payment-service');
    expect(text).toContain('failed card payments.');
    expect(text).toContain('We will post the next update by 14:40 UTC.');
    expect(text).not.toMatch(/\{\{|<!--|  | \./);
  });

  it('never names an internal service that has no public name', () => {
    expect(publicNames(['checkout-api', 'payments-gateway', 'cdn'], { cdn: 'Website', 'checkout-api': 'Checkout' })).toEqual(['Checkout', 'Website']);
    expect(publicNames(['a', 'b'], { a: 'Shop', b: 'Shop' })).toEqual(['Shop']);
    const values = commsValues({ incident, level: SEV1, phase: 'investigating', sentAt, zone: 'UTC' });
    expect(values.services).toBe('some of our services');
    expect(values.internal_services).toBe('payment-service');
  });

  it('leaves no hole for a missing message, and ends a given message like a sentence', () => {
    const without = renderCommsText(shipped('comms/mitigated.md'), commsValues({ incident, level: SEV1, phase: 'mitigated', sentAt, zone: 'UTC' }));
    expect(without).toMatch(/recovering\. We are watching/);
    const withMessage = renderCommsText(
      shipped('comms/mitigated.md'),
      commsValues({ incident, level: SEV1, phase: 'mitigated', sentAt, zone: 'UTC', message: 'We rolled back the release' }),
    );
    expect(withMessage).toMatch(/recovering\. We rolled back the release\. We are watching/);
  });

  it('promises no further update once resolved, and the postmortem where the matrix requires one', () => {
    expect(nextUpdateAfter({ level: SEV1, phase: 'resolved', sentAt })).toBeNull();
    const text = renderCommsText(shipped('comms/resolved.md'), commsValues({ incident, level: SEV1, phase: 'resolved', sentAt, zone: 'UTC' }));
    expect(text).toContain('within 5 business days');
    expect(text).not.toContain('next update');
    const minor = renderCommsText(shipped('comms/resolved.md'), commsValues({ incident: { ...incident, severity: 'SEV4' }, level: SEV4, phase: 'resolved', sentAt, zone: 'UTC' }));
    expect(minor).not.toContain('business days');
  });

  it('lists several services and falls back when none is known', () => {
    const publicServices = { a: 'A', b: 'B', c: 'C' };
    expect(commsValues({ incident: { ...incident, services: ['a', 'b', 'c'] }, publicServices, level: SEV1, phase: 'identified', sentAt, zone: 'UTC' }).services).toBe('A, B and C');
    expect(commsValues({ incident: { ...incident, services: ['a', 'b', 'c'] }, level: SEV1, phase: 'identified', sentAt, zone: 'UTC' }).internal_services).toBe('a, b and c');
    expect(commsValues({ incident: { ...incident, services: [] }, level: SEV1, phase: 'identified', sentAt, zone: 'UTC' }).services).toBe('some of our services');
  });

  it('gives the next update in the configured zone, across midnight', () => {
    const late = at('2026-03-15T22:50:00Z'); // 23:50 in Berlin
    const values = commsValues({ incident, level: SEV1, phase: 'investigating', sentAt: late, zone: 'Europe/Berlin' });
    expect(values.next_update).toBe('2026-03-16 00:05 Europe/Berlin');
  });

  it('marks every paragraph of a drill', () => {
    expect(markDrill('First.\n\nSecond.')).toBe('[DRILL] First.\n\n[DRILL] Second.');
  });

  it('never renders a value inside the template comment', () => {
    const text = renderCommsText('<!-- {{services}} -->\nOn {{services}}.', { services: '-->x' });
    expect(text).toBe('On -->x.');
  });
});

describe('status updates in incident.md', () => {
  const file = '---\nid: "x"\n---\n\n# T\n\n## Summary\n\ntext\n\n## Status updates\n\n<!-- newest last -->\n';

  it('appends under "## Status updates", keeping everything else', () => {
    const once = appendStatusUpdate(file, at('2026-03-15T14:25:00Z'), 'investigating', 'We are on it.');
    expect(once.startsWith(file.trimEnd())).toBe(true);
    expect(once).toContain('## Status updates\n\n<!-- newest last -->\n\n### 2026-03-15T14:25:00Z (investigating)\n\nWe are on it.\n');
    const twice = appendStatusUpdate(once, at('2026-03-15T14:40:00Z'), 'mitigated', 'Fixed.');
    expect(twice.indexOf('(investigating)')).toBeLessThan(twice.indexOf('(mitigated)'));
  });

  it('inserts before a section that follows, and adds the heading when it is missing', () => {
    const withNext = `${file}\n## Notes\n\nkeep\n`;
    const updated = appendStatusUpdate(withNext, at('2026-03-15T14:25:00Z'), 'identified', 'Found it.');
    expect(updated.indexOf('Found it.')).toBeLessThan(updated.indexOf('## Notes'));
    expect(updated).toContain('## Notes\n\nkeep\n');
    const bare = appendStatusUpdate('---\nid: "x"\n---\n\n# T\n', at('2026-03-15T14:25:00Z'), 'resolved', 'Done.');
    expect(bare).toBe('---\nid: "x"\n---\n\n# T\n\n## Status updates\n\n### 2026-03-15T14:25:00Z (resolved)\n\nDone.\n');
  });
});

describe('service names for runbooks', () => {
  it('keeps safe slugs as they are', () => {
    for (const name of ['payment-service', 'api.v2', 'search_api', 'a', 'x'.repeat(64)]) {
      expect(serviceNameProblem(name), name).toBeUndefined();
      expect(serviceSlug(name)).toBe(name);
    }
  });

  it('names the file of any other readable name after its slug', () => {
    expect(serviceSlug('Payment Service')).toBe('payment-service');
    expect(serviceSlug('  Search API (EU)  ')).toBe('search-api-eu');
    expect(serviceSlug('a..b')).toBe('a.b');
    expect(serviceSlug('trailing-')).toBe('trailing');
    expect(serviceSlug('x'.repeat(65))).toBe('x'.repeat(64));
    expect(serviceSlug(`${'y'.repeat(63)}-z`)).toBe('y'.repeat(63));
    for (const name of ['Payment Service', 'Payment', '-flag', 'a b', 'Café']) expect(serviceNameProblem(name), name).toBeUndefined();
  });

  it('refuses names that look like paths or hold nothing to name a file after', () => {
    for (const name of ['../etc', 'a/b', '', '   ', '.hidden', 'a\\b', '---', 'a\u0007b']) {
      expect(serviceNameProblem(name), name).toMatch(/is not a service name inc can use for a runbook/);
    }
  });

  it('slugs a long run of separators in linear time', () => {
    expect(serviceSlug(`a${' -'.repeat(200_000)}`)).toBe('a');
  });
});
