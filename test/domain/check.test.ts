import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIncident, checkMatrixError, checkTimeline, type CheckOptions, type Finding, type IncidentFiles, sortFindings } from '../../src/domain/check.js';
import { FileError } from '../../src/domain/errors.js';
import { templatePrompts } from '../../src/domain/postmortem.js';
import { parseSeverityMatrix } from '../../src/domain/severity.js';
import { readYamlFile } from '../../src/domain/yaml-document.js';
import { ROOT } from '../helpers/repo.js';

const ID = '2026-03-15-payment-processing-outage';
const FOLDER = `incidents/${ID}`;
const TEMPLATE = readFileSync(join(ROOT, 'templates', 'postmortem.md'), 'utf8');
const matrixFile = readYamlFile(readFileSync(join(ROOT, 'templates', 'incident-severity.yaml'), 'utf8'), 'incident-severity.yaml');
const MATRIX = parseSeverityMatrix(matrixFile.data, 'incident-severity.yaml', matrixFile.lineOf);

const OPTIONS: CheckOptions = {
  matrix: MATRIX,
  today: '2026-03-18',
  now: Date.parse('2026-03-18T10:00:00Z'),
  zone: 'UTC',
  prompts: templatePrompts(TEMPLATE),
};

function incidentMd(fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    id: `"${ID}"`,
    title: '"Payment processing outage"',
    severity: '"SEV1"',
    status: '"resolved"',
    drill: 'false',
    commander: '"Alice"',
    started_at: '"2026-03-15T14:02:00Z"',
    detected_at: '"2026-03-15T14:05:00Z"',
    acknowledged_at: '"2026-03-15T14:06:00Z"',
    mitigated_at: '"2026-03-15T14:22:00Z"',
    resolved_at: '"2026-03-15T15:00:00Z"',
    ...fields,
  };
  const lines = Object.entries(base)
    .filter(([, value]) => value !== 'DELETE')
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join('\n')}\n---\n\n# Payment processing outage\n`;
}

const TIMELINE = `# Timeline: ${ID}

| Time (UTC) | Event | By | Kind |
|---|---|---|---|
| 2026-03-15T14:05:00Z | Incident declared | Alice | declared |
| 2026-03-15T14:14:00Z | Rollback \\| watch the pods | Alice | action |
`;

const ACTIONS_TABLE = `| Action | Owner | Priority | Due | Ticket | Status |
|---|---|---|---|---|---|
| Add null-safety tests | Bob | P1 | 2026-03-20 | ENG-4521 | In progress |
| Canary stage | Dave | P2 | 2026-04-30 | ENG-4525 | todo |`;

function postmortemMd(options: { front?: string; sections?: Record<string, string>; actions?: string } = {}): string {
  const sections: Record<string, string> = {
    Summary: 'A release made every payment fail for twenty minutes; a rollback fixed it.',
    Impact: 'About 1,200 failed payments.',
    'Root cause': 'An optional field was read without a check.',
    Timeline: '| Time (UTC) | Event | By |\n|---|---|---|\n| 14:05 | Alert | Alice |',
    'What went well': 'The alert fired within three minutes.',
    'What went poorly': 'No test covered the missing field.',
    'Action items': options.actions ?? ACTIONS_TABLE,
    'Lessons learned': 'Optional fields need tests without them.',
    ...options.sections,
  };
  const body = Object.entries(sections)
    .filter(([, text]) => text !== 'DELETE')
    .map(([title, text]) => `## ${title}\n\n${text}\n`)
    .join('\n');
  const front = options.front ?? `incident: "${ID}"\nstatus: "in-review"\nauthors:\n  - "Alice"\nreviewers:\n  - "Bob"\ndue_date: "2026-03-20"\nroot_causes: []`;
  return `---\n${front}\n---\n\n# Postmortem\n\n${body}`;
}

function files(overrides: Partial<IncidentFiles> = {}): IncidentFiles {
  return { id: ID, folder: FOLDER, incident: incidentMd(), timeline: TIMELINE, postmortem: postmortemMd(), ...overrides };
}

function check(overrides: Partial<IncidentFiles> = {}, options: Partial<CheckOptions> = {}): Finding[] {
  return checkIncident(files(overrides), { ...OPTIONS, ...options });
}

/** The line number of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`"${needle}" not found`);
  return index + 1;
}

function only(findings: Finding[], rule: Finding['rule']): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('a complete incident', () => {
  it('has no findings', () => {
    expect(check()).toEqual([]);
  });
});

describe('unreadable-file', () => {
  it('reports front matter that does not parse, with its line', () => {
    const findings = check({ incident: '---\nid: [unclosed\n---\n' });
    expect(findings).toEqual([expect.objectContaining({ file: `${FOLDER}/incident.md`, level: 'error', rule: 'unreadable-file', line: 2 })]);
  });

  it('reports a file without front matter, a field of the wrong type and a missing incident.md', () => {
    expect(check({ incident: '# just a heading\n' })[0]).toMatchObject({ rule: 'unreadable-file', line: 1 });
    const wrongType = incidentMd({ detected_at: '"yesterday"' });
    expect(check({ incident: wrongType })[0]).toMatchObject({ rule: 'unreadable-file', line: lineOf(wrongType, 'detected_at'), message: expect.stringContaining('detected_at') });
    expect(check({ incident: undefined })[0]).toMatchObject({ file: `${FOLDER}/incident.md`, rule: 'unreadable-file', message: expect.stringContaining('no incident.md') });
  });

  it('reports an id that does not match the folder', () => {
    const text = incidentMd({ id: '"2026-03-15-other"' });
    expect(only(check({ incident: text }), 'unreadable-file')).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('folder') })]);
  });

  it('reports a postmortem that does not parse', () => {
    const findings = check({ postmortem: '---\nstatus: draft\nstatus: published\n---\n' });
    expect(findings).toEqual([expect.objectContaining({ file: `${FOLDER}/postmortem.md`, rule: 'unreadable-file', line: 3 })]);
  });
});

describe('severity-matrix and unknown-severity', () => {
  it('turns a matrix error into a finding at its line', () => {
    expect(checkMatrixError(new FileError('incident-severity.yaml', 7, 'severity SEV9 needs a description'), 'incident-severity.yaml')).toEqual({
      file: 'incident-severity.yaml',
      line: 7,
      level: 'error',
      rule: 'severity-matrix',
      message: 'severity SEV9 needs a description',
    });
  });

  it('reports a severity the matrix does not define, naming the valid ones', () => {
    const text = incidentMd({ severity: '"SEV7"' });
    expect(check({ incident: text })).toEqual([
      expect.objectContaining({ rule: 'unknown-severity', level: 'error', line: lineOf(text, 'severity'), message: expect.stringContaining('SEV1, SEV2, SEV3, SEV4') }),
    ]);
  });

  it('skips severity checks when the matrix itself is broken', () => {
    expect(only(check({ incident: incidentMd({ severity: '"SEV7"' }) }, { matrix: null }), 'unknown-severity')).toEqual([]);
  });
});

describe('milestones', () => {
  it('reports a missing detection time', () => {
    const text = incidentMd({ detected_at: 'DELETE', status: '"investigating"', acknowledged_at: 'DELETE', mitigated_at: 'DELETE', resolved_at: 'DELETE' });
    expect(only(check({ incident: text }), 'milestones')).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('detected_at is missing') })]);
  });

  it('reports milestones out of order with both timestamps, at the earlier key', () => {
    const text = incidentMd({ mitigated_at: '"2026-03-15T15:30:00Z"' });
    const findings = only(check({ incident: text }), 'milestones');
    expect(findings).toEqual([
      expect.objectContaining({
        level: 'error',
        line: lineOf(text, 'mitigated_at'),
        message: expect.stringContaining('mitigated_at 2026-03-15T15:30:00Z is after resolved_at 2026-03-15T15:00:00Z'),
      }),
    ]);
  });

  it('warns when the status disagrees with the milestones', () => {
    const text = incidentMd({ status: '"mitigated"' });
    expect(only(check({ incident: text }), 'milestones')).toEqual([expect.objectContaining({ level: 'warning', line: lineOf(text, 'status'), message: expect.stringContaining('"resolved"') })]);
  });

  it('warns when a resolved incident lacks the milestones its figures need', () => {
    const text = incidentMd({ started_at: 'DELETE', acknowledged_at: 'DELETE' });
    const findings = only(check({ incident: text }), 'milestones');
    expect(findings.map((f) => f.level)).toEqual(['warning', 'warning']);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/started_at, so TTD and the impact cannot be computed[\s\S]*acknowledged_at, so TTA/);
  });
});

describe('timeline-row', () => {
  it('reports rows without a readable time or text, and rows with an unescaped pipe', () => {
    const text = `${TIMELINE}| yesterday | something | Bob | |\n| 2026-03-15T14:20:00Z |  | Bob | |\n| 2026-03-15T14:21:00Z | error rate | falling | Bob | note |\n`;
    const findings = checkTimeline(text, `${FOLDER}/timeline.md`);
    expect(findings.map((f) => [f.line, f.level])).toEqual([
      [7, 'error'],
      [8, 'error'],
      [9, 'error'],
    ]);
    expect(findings[0]!.message).toContain('no readable time');
    expect(findings[1]!.message).toContain('no event text');
    expect(findings[2]!.message).toContain('\\|');
  });

  it('warns when an incident has no timeline', () => {
    expect(check({ timeline: undefined })).toEqual([expect.objectContaining({ rule: 'timeline-row', level: 'warning' })]);
  });
});

describe('postmortem-due', () => {
  it('warns while a required postmortem is missing but not yet due', () => {
    const findings = check({ postmortem: undefined });
    expect(findings).toEqual([
      expect.objectContaining({ file: `${FOLDER}/incident.md`, rule: 'postmortem-due', level: 'warning', line: lineOf(incidentMd(), 'resolved_at'), message: expect.stringContaining('by 2026-03-20') }),
    ]);
    expect(findings[0]!.message).toContain(`inc postmortem ${ID}`);
  });

  it('fails once a missing postmortem is past due', () => {
    expect(check({ postmortem: undefined }, { today: '2026-03-23' })).toEqual([expect.objectContaining({ rule: 'postmortem-due', level: 'error', message: expect.stringContaining('due 2026-03-20') })]);
  });

  it('fails a postmortem not published by its due date, at its status line', () => {
    const findings = only(check({}, { today: '2026-03-23' }), 'postmortem-due');
    expect(findings).toEqual([expect.objectContaining({ file: `${FOLDER}/postmortem.md`, level: 'error', line: 3, message: expect.stringContaining('still in-review') })]);
  });

  it('takes the due date written in the postmortem over the computed one', () => {
    const text = postmortemMd({ front: `incident: "${ID}"\nstatus: draft\nauthors: [Alice]\ndue_date: "2026-04-10"` });
    expect(only(check({ postmortem: text }, { today: '2026-03-23' }), 'postmortem-due')).toEqual([]);
  });

  it('asks nothing of unresolved incidents, drills and severities that need no postmortem', () => {
    const unresolved = incidentMd({ status: '"mitigated"', resolved_at: 'DELETE' });
    expect(only(check({ incident: unresolved, postmortem: undefined }, { today: '2026-12-01' }), 'postmortem-due')).toEqual([]);
    expect(only(check({ incident: incidentMd({ drill: 'true' }), postmortem: undefined }, { today: '2026-12-01' }), 'postmortem-due')).toEqual([]);
    expect(only(check({ incident: incidentMd({ severity: '"SEV3"' }), postmortem: undefined }, { today: '2026-12-01' }), 'postmortem-due')).toEqual([]);
  });

  it('is quiet once the postmortem is published', () => {
    const text = postmortemMd({ front: `incident: "${ID}"\nstatus: Published\nauthors: [Alice]\nreviewers: [Bob]` });
    expect(only(check({ postmortem: text }, { today: '2026-11-27' }), 'postmortem-due')).toEqual([]);
  });
});

describe('postmortem-metadata', () => {
  it('reports a status inc does not know, another incident and a due date that is not a date', () => {
    const text = postmortemMd({ front: `incident: "2026-01-01-other"\nstatus: finished\nauthors: [Alice]\ndue_date: next friday` });
    const findings = only(check({ postmortem: text }), 'postmortem-metadata');
    expect(findings.map((f) => [f.line, f.level])).toEqual([
      [2, 'error'],
      [3, 'error'],
      [5, 'error'],
    ]);
    expect(findings[1]!.message).toContain('draft, in-review, published');
  });

  it('reports lists of the wrong shape, and warns about missing authors or a published postmortem without reviewers', () => {
    const text = postmortemMd({ front: `incident: "${ID}"\nstatus: published\nauthors: []\nroot_causes: deploy` });
    const findings = only(check({ postmortem: text }), 'postmortem-metadata');
    expect(findings.map((f) => `${f.level}: ${f.message}`)).toEqual([
      'error: root_causes must be a list of texts, such as [Alice, Bob]',
      'warning: no authors listed',
      'warning: published without reviewers: list who approved it',
    ]);
  });
});

describe('postmortem-section', () => {
  it('fails a scaffold whose sections still hold the template prompts, at each prompt line', () => {
    const prompts = [...templatePrompts(TEMPLATE)];
    const sections = {
      Summary: prompts[0]!,
      Impact: prompts[1]!,
    };
    const text = postmortemMd({ sections });
    const findings = only(check({ postmortem: text }), 'postmortem-section');
    expect(findings.map((f) => f.line)).toEqual([lineOf(text, prompts[0]!), lineOf(text, prompts[1]!)]);
    expect(findings[0]!.message).toContain("template's prompt");
  });

  it('fails an empty section (comments do not count) and one that says TODO', () => {
    const text = postmortemMd({ sections: { 'Root cause': '<!-- to be written\n  after the review -->', 'Lessons learned': 'TODO: after the review' } });
    const findings = only(check({ postmortem: text }), 'postmortem-section');
    expect(findings.map((f) => f.message)).toEqual(['"Root cause" is empty; write this section', `"Lessons learned" still holds the template's prompt; write this section`]);
    expect(findings[0]!.line).toBe(lineOf(text, '## Root cause'));
  });

  it('reports a missing section, and counts sub-sections as content', () => {
    const text = postmortemMd({ sections: { 'What went well': 'DELETE', 'Root cause': '### The null check\n\nThe field was read without a check.' } });
    expect(only(check({ postmortem: text }), 'postmortem-section')).toEqual([
      expect.objectContaining({ level: 'error', message: 'the "What went well" section is missing (a "## What went well" heading)' }),
    ]);
  });

  it('reads the seed style too: ### headings under a ## title', () => {
    const text = postmortemMd().replace(/^## /gm, '### ').replace('# Postmortem', '## Postmortem: Payment outage');
    expect(check({ postmortem: text })).toEqual([]);
  });
});

describe('action-item', () => {
  const header = '| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|';

  it('fails items without owner, priority or due date, naming what is missing, at their line', () => {
    const text = postmortemMd({ actions: `${header}\n| Add tests |  | P1 | 2026-03-30 | ENG-1 | todo |\n| Canary | Dave |  |  | ENG-2 | todo |\n|  | Carol | P2 | 2026-03-30 | | todo |` });
    const findings = only(check({ postmortem: text }), 'action-item');
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [lineOf(text, 'Add tests'), 'action item without owner: "Add tests"'],
      [lineOf(text, 'Canary'), 'action item without priority, due: "Canary"'],
      [lineOf(text, '| Carol'), 'action item without action'],
    ]);
    expect(findings.every((f) => f.level === 'error')).toBe(true);
  });

  it('fails a due date that is not a date and a status word inc does not read', () => {
    const text = postmortemMd({ actions: `${header}\n| Add tests | Bob | P1 | next sprint | ENG-1 | maybe |` });
    expect(only(check({ postmortem: text }), 'action-item').map((f) => f.message)).toEqual([
      'due "next sprint" is not a date (YYYY-MM-DD)',
      `status "maybe" is not one inc reads (todo, in progress, done, won't do)`,
    ]);
  });

  it('warns about overdue items and about a table with no items', () => {
    const overdue = only(check({}, { today: '2026-03-21' }), 'action-item');
    expect(overdue).toEqual([expect.objectContaining({ level: 'warning', message: 'overdue since 2026-03-20 (owner Bob): "Add null-safety tests"' })]);
    const empty = only(check({ postmortem: postmortemMd({ actions: header }) }), 'action-item');
    expect(empty).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining('no action items') })]);
  });

  it('fails a table GitHub would not show as intended: no |---| row, a missing column, rows after a blank line', () => {
    const text = postmortemMd({ actions: '| Action | Owner | Priority | Due | Status |\n| Add tests | Bob | P1 | 2026-03-30 | todo |\n\n| Canary | Dave | P2 | 2026-03-30 | todo |' });
    const findings = only(check({ postmortem: text }), 'action-item');
    expect(findings.map((f) => f.message)).toEqual([
      'the action-items table has no |---| row under its header, so GitHub does not show it as a table',
      'the action-items table has no ticket column',
      'this row is not part of the action-items table (a blank line or text ends a markdown table)',
    ]);
  });
});

describe('blaming-language', () => {
  it('warns with the line, but not in comments or code blocks', () => {
    const rootCause = [
      'The deploy was human error.',
      '<!-- a reviewer wrote: not human error -->',
      '```',
      'log: careless retry',
      '```',
      "It was Bob's fault that the check was missing.",
    ].join('\n');
    const text = postmortemMd({ sections: { 'Root cause': rootCause } });
    const findings = only(check({ postmortem: text }), 'blaming-language');
    expect(findings.map((f) => [f.level, f.line])).toEqual([
      ['warning', lineOf(text, 'The deploy was human error')],
      ['warning', lineOf(text, "Bob's fault")],
    ]);
    expect(findings[0]!.message).toContain('"human error"');
  });

  it('is a warning only: a postmortem with blame but nothing else passes', () => {
    const text = postmortemMd({ sections: { Impact: 'Users saw errors; Carol should have known.' } });
    const findings = check({ postmortem: text });
    expect(findings.every((f) => f.level === 'warning')).toBe(true);
    // `every` holds for no findings at all: the blame must be there, found once, and be all there is.
    expect(findings.map((f) => [f.rule, f.level, f.line])).toEqual([['blaming-language', 'warning', lineOf(text, 'Carol should have known')]]);
    expect(findings[0]!.message).toContain('"should have known"');
  });
});

describe('sortFindings', () => {
  it('orders by file, line, then errors first', () => {
    const f = (file: string, line: number, level: 'error' | 'warning'): Finding => ({ file, line, level, rule: 'milestones', message: '' });
    expect(sortFindings([f('b', 1, 'warning'), f('a', 9, 'warning'), f('a', 2, 'warning'), f('a', 2, 'error')])).toEqual([
      f('a', 2, 'error'),
      f('a', 2, 'warning'),
      f('a', 9, 'warning'),
      f('b', 1, 'warning'),
    ]);
  });
});
