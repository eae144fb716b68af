/**
 * Files from a pull request are untrusted. Reading them never executes anything, never reads
 * or writes outside the repository, cannot hang or exhaust memory, and a broken file is
 * reported with its file and line while the rest are still read. Nothing is rewritten.
 *
 * The corpus and the expected message for each file: test/fixtures/index.json.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readYamlMapping } from '../../src/domain/yaml-document.js';
import { parseFrontMatter, splitFrontMatter } from '../../src/domain/frontmatter.js';
import { makeRepo, ROOT, type TempRepo } from '../helpers/repo.js';

interface IncidentFixture {
  file: string;
  id: string;
  line?: number;
  message?: string;
  listed?: boolean;
  show?: string;
}
interface TimelineFixture {
  file: string;
  id: string;
  problems: { line: number; message: string }[];
  entries: string[];
}

const FIXTURES = join(ROOT, 'test', 'fixtures');
const index = JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as { incidents: IncidentFixture[]; timelines: TimelineFixture[] };

const incidentPath = (id: string) => `incidents/${id}/incident.md`;

function validIncident(id: string): string {
  return `---\nid: "${id}"\ntitle: "Checkout returns 500s"\nseverity: "SEV2"\nstatus: "investigating"\ndrill: false\nservices: []\ndetected_at: "2026-03-01T10:00:00Z"\ntags: []\n---\n`;
}

/** Files made here rather than kept in the repository: too big, or links. */
const GENERATED: { id: string; what: string; content: () => string; line?: number; message?: string }[] = [
  {
    id: '2026-03-04-huge-file',
    what: 'a 3 MiB file',
    content: () => validIncident('2026-03-04-huge-file') + 'x'.repeat(3 * 1024 * 1024),
    line: 1,
    message: '3072 KiB is larger than inc reads (2 MiB)',
  },
  {
    id: '2026-03-04-million-brackets',
    what: 'a million nested [',
    content: () => `---\nid: "2026-03-04-million-brackets"\ntitle: "Deep"\nseverity: "SEV2"\ntags: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n---\n`,
    // Refused before any parsing, by the cap on line length (10,000 brackets below reach the nesting check).
    line: 5,
    message: `this line is ${(2_000_006).toLocaleString('en-US')} characters long; inc reads lines of up to 65,536 characters`,
  },
  {
    id: '2026-03-04-deep-brackets',
    what: '10,000 nested [ on a line under the length cap',
    content: () => `---\nid: "2026-03-04-deep-brackets"\ntitle: "Deep"\nseverity: "SEV2"\ntags: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n---\n`,
    line: 5,
    message: 'brackets nest more than 200 levels deep; inc does not read such YAML',
  },
  {
    id: '2026-03-04-nested-mappings',
    what: '1,500 nested block mappings',
    content: () => `---\nid: "2026-03-04-nested-mappings"\ntitle: "Deep"\nseverity: "SEV2"\ntags:\n${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}---\n`,
    // 1.1 MB of front matter: refused by the cap on front-matter size before YAML reads it.
    message: 'the front matter is longer than inc reads (64 KiB up to its closing "---")',
  },
  {
    id: '2026-03-04-long-title',
    what: 'a 1.5 MB title',
    content: () => validIncident('2026-03-04-long-title').replace('Checkout returns 500s', 'x'.repeat(1_500_000)),
    line: 3,
    message: `this line is ${(1_500_009).toLocaleString('en-US')} characters long; inc reads lines of up to 65,536 characters`,
  },
  {
    id: '2026-03-04-many-keys',
    what: '60,000 keys',
    content: () => validIncident('2026-03-04-many-keys').replace('tags: []\n', `tags: []\n${Array.from({ length: 60_000 }, (_, i) => `k${i}: "value ${i}"\n`).join('')}`),
    message: 'the front matter is longer than inc reads (64 KiB up to its closing "---")',
  },
];

let repo: TempRepo;
const bytesBefore = new Map<string, Buffer>();
let listed: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  repo = await makeRepo({ init: true });
  for (const fixture of index.incidents) {
    repo.write(incidentPath(fixture.id), '');
    writeFileSync(join(repo.dir, incidentPath(fixture.id)), readFileSync(join(FIXTURES, fixture.file)));
  }
  for (const fixture of index.timelines) {
    repo.write(incidentPath(fixture.id), validIncident(fixture.id));
    writeFileSync(join(repo.dir, `incidents/${fixture.id}/timeline.md`), readFileSync(join(FIXTURES, fixture.file)));
  }
  for (const generated of GENERATED) repo.write(incidentPath(generated.id), generated.content());
  repo.write('incidents/2026-03-04-hostile-timeline/incident.md', validIncident('2026-03-04-hostile-timeline'));
  repo.write(
    'incidents/2026-03-04-hostile-timeline/timeline.md',
    '| Time (UTC) | Event | By | Kind |\n|---|---|---|---|\n' +
      `| 2026-03-01T10:01:00Z | ${'|'.repeat(50_000)} | Mallory | |\n` +
      `|${'-'.repeat(60_000)}x\n` +
      `| 2026-03-01T10:02:00Z | ${'\\'.repeat(60_001)} | Mallory | |\n` +
      `${'| 2026-03-01T10:03:00Z | row | M | |\n'.repeat(40_000)}`,
  );
  repo.git(['add', '--', 'incidents']);
  repo.git(['commit', '--quiet', '-m', 'hostile corpus']);
  for (const path of repo.git(['ls-files', 'incidents']).trim().split('\n')) bytesBefore.set(path, readFileSync(join(repo.dir, path)));
  listed = await repo.inc(['list', '--all']);
});
afterAll(() => repo?.cleanup());

describe(`a corpus of ${index.incidents.length} malformed and hostile incident files, ${index.timelines.length} timelines and ${GENERATED.length + 1} generated files`, () => {
  it('inc list reports each broken file with its file, line and message, lists the rest, and exits 0', () => {
    expect(listed.code, listed.stderr).toBe(0);
    for (const fixture of index.incidents.filter((f) => f.message)) {
      expect(listed.stderr).toContain(`inc: warning: ${incidentPath(fixture.id)}:${fixture.line}: ${fixture.message} (skipped)\n`);
      expect(listed.stdout).not.toContain(fixture.id);
    }
    for (const fixture of index.incidents.filter((f) => f.listed)) expect(listed.stdout).toContain(fixture.id);
    for (const fixture of index.timelines) expect(listed.stdout).toContain(fixture.id);
    for (const generated of GENERATED) {
      if (generated.message) {
        expect(listed.stderr).toMatch(new RegExp(`inc: warning: ${incidentPath(generated.id)}:${generated.line ?? '\\d+'}: ${generated.message.replace(/[()[\]]/g, '\\$&')} \\(skipped\\)\n`));
      } else {
        expect(listed.stdout).toContain(generated.id);
      }
    }
    expect(listed.stderr).not.toMatch(/\n\s+at |unexpected error/);
  });

  it.each(index.incidents)('inc show $id ($file)', async (fixture) => {
    const shown = await repo.inc(['show', fixture.id]);
    if (fixture.message) {
      expect(shown.code).toBe(1);
      expect(shown.stderr.split('\n')[0]).toBe(`inc: ${incidentPath(fixture.id)}:${fixture.line}: ${fixture.message}`);
      expect(shown.stdout).toBe('');
    } else {
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(fixture.show);
    }
    expect(shown.stderr).not.toMatch(/\n\s+at |unexpected error/);
  });

  it.each(index.timelines)('inc show $id reads the good rows of $file in time order and reports the others by line', async (fixture) => {
    const shown = await repo.inc(['show', fixture.id, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const warnings = shown.stderr.split('\n').filter(Boolean);
    expect(warnings).toEqual(fixture.problems.map((p) => `inc: warning: incidents/${fixture.id}/timeline.md:${p.line}: ${p.message} (skipped)`));
    const timeline = (JSON.parse(shown.stdout) as { timeline: { at: string; text: string }[] }).timeline;
    expect(timeline.map((e) => e.text)).toEqual(fixture.entries);
    expect(timeline.map((e) => e.at)).toEqual(timeline.map((e) => e.at).sort());
  });

  it('a 1.4 MB timeline of 50,000 pipes, 60,000 dashes, 60,001 backslashes (each line under the 64 KiB cap) and 40,000 rows is read, the bad rows reported', async () => {
    const shown = await repo.inc(['show', '2026-03-04-hostile-timeline', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    // Unescaped pipes are cell borders: that row has no text. The dashes are no time.
    expect(shown.stderr.split('\n').filter(Boolean)).toEqual([
      'inc: warning: incidents/2026-03-04-hostile-timeline/timeline.md:3: timeline row has a time but no event text (skipped)',
      `inc: warning: incidents/2026-03-04-hostile-timeline/timeline.md:4: timeline row has no readable time: "${'-'.repeat(59)}…" (expected 2026-03-15T14:02:00Z) (skipped)`,
    ]);
    const timeline = (JSON.parse(shown.stdout) as { timeline: { text: string }[] }).timeline;
    expect(timeline).toHaveLength(40_001);
    expect(timeline[0]!.text).toBe('\\'.repeat(30_000) + '\\'); // 60,001 backslashes: 30,000 escaped pairs and a lone one
  });

  it('nothing ran and no byte of any file changed', async () => {
    await repo.inc(['list', '--all', '--json']);
    expect(existsSync(join(repo.dir, 'inc-pwned'))).toBe(false);
    expect(repo.git(['status', '--porcelain'])).toBe('');
    for (const [path, bytes] of bytesBefore) expect(readFileSync(join(repo.dir, path)).equals(bytes), path).toBe(true);
  });
});

describe('links and paths that lead out of the repository', () => {
  let linked: TempRepo;
  let outside: string;
  beforeAll(async () => {
    linked = await makeRepo({ init: true });
    outside = join(linked.dir, '..', 'outside');
    mkdirSync(join(outside, '2026-03-05-linked-folder'), { recursive: true });
    writeFileSync(join(outside, 'secret.md'), validIncident('2026-03-05-secret'));
    writeFileSync(join(outside, '2026-03-05-linked-folder', 'incident.md'), validIncident('2026-03-05-linked-folder'));
    const dir = (id: string) => {
      mkdirSync(join(linked.dir, 'incidents', id), { recursive: true });
      return join(linked.dir, 'incidents', id);
    };
    symlinkSync(join(outside, 'secret.md'), join(dir('2026-03-05-link-outside'), 'incident.md'));
    symlinkSync('/dev/zero', join(dir('2026-03-05-dev-zero'), 'incident.md'));
    symlinkSync(join(outside, 'nothing-here.md'), join(dir('2026-03-05-dangling'), 'incident.md'));
    symlinkSync(join(outside, '2026-03-05-linked-folder'), join(linked.dir, 'incidents', '2026-03-05-linked-folder'));
    linked.write('incidents/2026-03-05-inside/incident.md', validIncident('2026-03-05-inside'));
    linked.write('shared/timeline.md', '| Time (UTC) | Event | By | Kind |\n|---|---|---|---|\n| 2026-03-01T10:01:00Z | read through a link inside the repository | Alice | |\n');
    symlinkSync('../../shared/timeline.md', join(linked.dir, 'incidents/2026-03-05-inside/timeline.md'));
    mkdirSync(join(linked.dir, 'incidents/2026-03-05-timeline-out'));
    linked.write('incidents/2026-03-05-timeline-out/incident.md', validIncident('2026-03-05-timeline-out'));
    symlinkSync('/dev/zero', join(linked.dir, 'incidents/2026-03-05-timeline-out/timeline.md'));
  });
  afterAll(() => linked?.cleanup());

  it('inc list skips links out of the repository with a warning, follows one inside, and never reads /dev/zero', async () => {
    const result = await linked.inc(['list', '--all']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `inc: warning: incidents/2026-03-05-link-outside/incident.md:1: is a symbolic link leading outside the repository (to ${join(outside, 'secret.md')}); inc does not follow it (skipped)`,
    );
    expect(result.stderr).toContain('inc: warning: incidents/2026-03-05-dev-zero/incident.md:1: is a symbolic link leading outside the repository (to /dev/zero); inc does not follow it (skipped)');
    expect(result.stderr).toContain('inc: warning: incidents/2026-03-05-dangling/incident.md:1: is a symbolic link to nothing (its target does not exist) (skipped)');
    expect(result.stdout).not.toContain('2026-03-05-secret');
    expect(result.stdout).not.toContain('2026-03-05-linked-folder'); // a linked folder is not listed
    expect(result.stdout).toContain('2026-03-05-inside');
  });

  it('inc show refuses a linked folder and a timeline linked out, and follows a link inside', async () => {
    const folder = await linked.inc(['show', '2026-03-05-linked-folder']);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(
      `inc: incidents/2026-03-05-linked-folder/incident.md:1: is in incidents/2026-03-05-linked-folder, which is a symbolic link leading outside the repository (to ${join(outside, '2026-03-05-linked-folder')}); inc does not follow it`,
    );
    const timelineOut = await linked.inc(['show', '2026-03-05-timeline-out']);
    expect(timelineOut.code).toBe(1);
    expect(timelineOut.stderr).toContain('incidents/2026-03-05-timeline-out/timeline.md:1: is a symbolic link leading outside the repository (to /dev/zero)');
    const inside = await linked.inc(['show', '2026-03-05-inside', '--json']);
    expect(inside.code, inside.stderr).toBe(0);
    expect(JSON.parse(inside.stdout).timeline[0].text).toBe('read through a link inside the repository');
  });

  it('writes never go through a link: the file outside keeps its bytes', async () => {
    const before = readFileSync(join(outside, '2026-03-05-linked-folder', 'incident.md'));
    const logged = await linked.inc(['log', '--incident', '2026-03-05-linked-folder', 'written outside?']);
    expect(logged.code).toBe(1);
    expect(logged.stderr).toContain('symbolic link');
    expect(existsSync(join(outside, '2026-03-05-linked-folder', 'timeline.md'))).toBe(false);
    expect(readFileSync(join(outside, '2026-03-05-linked-folder', 'incident.md')).equals(before)).toBe(true);
  });

  it('ids that are not slugs (../, absolute, upper case, spaces) are refused before any file is touched', async () => {
    for (const id of ['../../etc/passwd', '../outside', '/etc/passwd', '2026-03-05-UPPER', '2026-03-05-has space', '2026-03-05-x/../../y']) {
      for (const args of [['show', id], ['log', '--incident', id, 'x']]) {
        const result = await linked.inc(args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain('not an incident id');
      }
    }
  });

  it('a linked incidents/ folder is refused as a whole', async () => {
    const other = await makeRepo({ init: true });
    try {
      execFileSync('rm', ['-rf', join(other.dir, 'incidents')]);
      symlinkSync(outside, join(other.dir, 'incidents'));
      const result = await other.inc(['list', '--all']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('inc: incidents:1: is a symbolic link; inc reads incidents only from a real folder of the repository');
    } finally {
      other.cleanup();
    }
  });
});

describe('the YAML reader itself', () => {
  it('a __proto__ key pollutes no prototype', () => {
    const text = '---\nid: "x"\n__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\n---\n';
    const read = parseFrontMatter(text, 'incident.md', readYamlMapping)!;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(read.data)).toBe(Object.prototype);
  });
});

describe('any title and timeline text typed at the command line', () => {
  // What argv can carry: no NUL, no half surrogate pair (those are refused in the domain test).
  const PIECES = ['|', '\\|', '\\', '\\n', '\n', '\r\n', '\t', '"', "'", '`', '$(touch inc-pwned)', '${HOME}', '; ls', '<!--', '---',
    '# ', '- ', '> ', ': ', ' #', '{', '[', '&a', '*a', '!!js/function', '%', '@', 'yes', 'no', 'on', 'off', '~', 'null', '1e3',
    '2026-03-15', '😀', '👩‍👩‍👧', 'עברית', '\u202e', '\u2028', '\u0085', '\u00a0', '\ufeff', '\u001b[31m', '\u0007', ' ', 'é'];
  const typed = fc.oneof(
    fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 5 })), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  );
  const RUNS = Number(process.env.INC_E2E_PROPERTY_RUNS ?? 20);

  it(`round-trip exactly through inc open/log and inc show --json, or are refused with a reason (${RUNS} runs)`, async () => {
    const target = await makeRepo({ init: true });
    let stored = 0;
    try {
      await fc.assert(
        fc.asyncProperty(typed, typed, async (title, text) => {
          const opened = await target.inc(['open', '--sev', '2', '--at', '14:05', '--', title]);
          if (opened.code !== 0) {
            expect(opened.code, opened.stderr).toBe(2);
            expect(opened.stderr).toMatch(/^inc: (the title cannot be used: .+|missing the title)/);
            return;
          }
          const id = opened.stdout.split(' ')[0]!;
          const logged = await target.inc(['log', '--incident', id, '--', text]);
          const shown = await target.inc(['show', id, '--json']);
          expect(shown.code, shown.stderr).toBe(0);
          const json = JSON.parse(shown.stdout) as { title: string; timeline: { text: string }[] };
          // inc keeps a title on one line and trims what a table cell cannot keep: nothing else changes.
          expect(json.title).toBe(title.trim().replace(/\s*\n\s*/g, ' '));
          const file = readFileSync(join(target.dir, incidentPath(id)), 'utf8');
          expect((jsYaml.safeLoad(splitFrontMatter(file, 'incident.md').yaml) as { title: string }).title).toBe(json.title);
          if (logged.code !== 0) {
            expect(logged.code, logged.stderr).toBe(2);
            expect(logged.stderr).toMatch(/^inc: the entry text cannot be used: .+/);
            expect(json.timeline).toHaveLength(1);
            return;
          }
          stored += 1;
          expect(json.timeline.map((e) => e.text)).toContain(text.trim());
        }),
        // A pair known to be storable runs first, so that the stored branch is always exercised.
        { numRuns: RUNS, examples: [['Payment | outage: "yes" $(x)', 'Rolled back | 50% of hosts; `ok`']] },
      );
      console.log(`command-line round trip: ${RUNS} runs, ${stored} titles and texts both stored and read back exactly`);
      // Without this, a CLI that refused every title or text would pass the property vacuously.
      expect(stored).toBeGreaterThan(0);
      expect(existsSync(join(target.dir, 'inc-pwned'))).toBe(false);
      expect(target.git(['status', '--porcelain'])).toBe('');
    } finally {
      target.cleanup();
    }
  }, 300_000);
});
