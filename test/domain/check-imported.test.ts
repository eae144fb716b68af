/** inc check on imported history and on postmortems kept elsewhere (postmortem_url). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIncident, type CheckOptions } from '../../src/domain/check.js';
import { templatePrompts } from '../../src/domain/postmortem.js';
import { parseSeverityMatrix } from '../../src/domain/severity.js';
import { readYamlFile } from '../../src/domain/yaml-document.js';
import { ROOT } from '../helpers/repo.js';

const ID = '2018-02-22-nginx-crash';
const matrixFile = readYamlFile(readFileSync(join(ROOT, 'templates', 'incident-severity.yaml'), 'utf8'), 'incident-severity.yaml');
const OPTIONS: CheckOptions = {
  matrix: parseSeverityMatrix(matrixFile.data, 'incident-severity.yaml', matrixFile.lineOf),
  today: '2026-03-18',
  now: Date.parse('2026-03-18T10:00:00Z'),
  zone: 'UTC',
  prompts: templatePrompts(readFileSync(join(ROOT, 'templates', 'postmortem.md'), 'utf8')),
};

/** A SEV2 resolved in 2018 with detection and resolution only, plus the given extra lines. */
function incident(extra: string[]): string {
  return [
    '---',
    `id: "${ID}"`,
    'title: "NGINX crash"',
    'severity: "SEV2"',
    'detected_at: "2018-02-23T00:30:00Z"',
    'resolved_at: "2018-02-23T00:35:00Z"',
    ...extra,
    '---',
    '',
  ].join('\n');
}

const TIMELINE = '| Time (UTC) | Event | By | Kind |\n|---|---|---|---|\n| 2018-02-23T00:30:00Z | Stackdriver alert | report | |\n';
const check = (text: string) => checkIncident({ id: ID, folder: `incidents/${ID}`, incident: text, timeline: TIMELINE }, OPTIONS).map((f) => `${f.line}: ${f.level}: ${f.message}`);

describe('inc check on imported history', () => {
  it('a hand-entered incident: missing milestones are warned about and the missing postmortem is an error', () => {
    const findings = check(incident([]));
    expect(findings.filter((f) => f.includes('resolved without'))).toHaveLength(3);
    expect(findings).toContain('6: error: SEV2 needs a postmortem, due 2018-03-02, and there is none; start it with `inc postmortem 2018-02-22-nginx-crash`');
  });

  it('imported: what the source never recorded is not flagged, and the missing postmortem is a warning naming postmortem_url', () => {
    expect(check(incident(['imported: "report"']))).toEqual([
      '6: warning: SEV2 (imported) has no postmortem here; link the one that exists with postmortem_url: <URL> in incident.md, or write one with `inc postmortem 2018-02-22-nginx-crash`',
    ]);
  });

  it('postmortem_url satisfies the postmortem requirement, imported or not', () => {
    expect(check(incident(['imported: "report"', 'postmortem_url: "https://example.org/incident-reports/2018-02-22"']))).toEqual([]);
    expect(check(incident(['postmortem_url: "docs/incident-reports/2018-02-22-nginx-down.md"'])).some((f) => f.includes('postmortem'))).toBe(false);
  });

  it('a postmortem_url that is no URL is an error at its line', () => {
    expect(check(incident(['postmortem_url: "ask Bob"']))).toContain('7: error: postmortem_url "ask Bob" is not an http(s) URL or a .md path');
  });
});
