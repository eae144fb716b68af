/**
 * The benchmark's generated repository (scripts/generate-repo.mjs) must be one that inc reads
 * exactly as its own: otherwise `npm run bench` would time warnings and fallbacks instead of
 * the real read path. No timings here: the benchmark is the measure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/domain/frontmatter.js';
import { incidentFields, incidentFromFrontMatter } from '../../src/domain/incident.js';
import { parseActionItems } from '../../src/domain/postmortem.js';
import { renderTemplate } from '../../src/domain/template.js';
import { formatTimelineRow, parseTimeline, renderTimelineHeader } from '../../src/domain/timeline.js';
import { renderFrontMatter } from '../../src/domain/yaml-document.js';
import { baseEnv, ROOT, runBinary } from '../helpers/repo.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { generateRepo } from '../../scripts/generate-repo.mjs';

interface Generated {
  root: string;
  ids: string[];
  open: string[];
  postmortems: number;
  files: number;
}

const N = 20;
let base: string;
let repo: Generated;
let env: Record<string, string>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'inc-bench-gen-'));
  repo = generateRepo({ incidents: N, dir: join(base, 'ops'), seed: 7 }) as Generated;
  env = { ...baseEnv(join(base, 'home')), INC_NOW: '2026-11-27T09:00:00Z' };
  // The generated repository carries its own identity, as the benchmark needs for `inc log`.
  for (const key of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']) delete env[key];
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const git = (args: string[]) => execFileSync('git', args, { cwd: repo.root, encoding: 'utf8', stdio: 'pipe' });
const read = (path: string) => readFileSync(join(repo.root, path), 'utf8');
/** Runs the built inc; stderr holds no warning, only the sentence a write says (`sentence`). */
const inc = async (args: string[], sentence = '') => {
  const result = await runBinary(args, repo.root, env);
  expect(result.stderr, `inc ${args.join(' ')}`).toBe(sentence);
  expect(result.code, `inc ${args.join(' ')}`).toBe(0);
  return result;
};

describe('scripts/generate-repo.mjs', () => {
  it('writes N incidents, some open, postmortems for resolved SEV1/SEV2, in one commit', () => {
    expect(repo.ids).toHaveLength(N);
    expect(new Set(repo.ids).size).toBe(N);
    expect(repo.open.length).toBeGreaterThan(0);
    expect(repo.files).toBe(2 * N + repo.postmortems);
    expect(git(['rev-list', '--count', 'HEAD']).trim()).toBe('1');
    expect(git(['status', '--porcelain'])).toBe('');
  });

  it('writes incident.md and timeline.md byte for byte as inc open/log/resolve write them', () => {
    const template = readFileSync(join(ROOT, 'templates', 'incident.md'), 'utf8');
    for (const id of repo.ids) {
      const path = `incidents/${id}/incident.md`;
      const text = read(path);
      const fm = parseFrontMatter(text, path)!;
      expect(fm, `${path} is read by the fast reader`).toBeDefined();
      const incident = incidentFromFrontMatter(fm, path);
      expect(incident.id).toBe(id);
      const body = `\n${renderTemplate(template, { title: incident.title, id, severity: incident.severity })}`;
      expect(text).toBe(renderFrontMatter(incidentFields(incident), body));

      const timelinePath = `incidents/${id}/timeline.md`;
      const timeline = read(timelinePath);
      const parsed = parseTimeline(timeline, timelinePath);
      expect(parsed.problems).toEqual([]);
      expect(parsed.entries.length).toBeGreaterThanOrEqual(18);
      const rows = [...parsed.entries].sort((a, b) => a.line! - b.line!).map((e) => `${formatTimelineRow(e)}\n`);
      expect(timeline).toBe(renderTimelineHeader(id) + rows.join(''));
    }
  });

  it('writes incident.md and timeline.md in the layout inc writes, checked against hand-written patterns', () => {
    const KEYS = ['id', 'title', 'severity', 'status', 'drill', 'services', 'commander', 'communications', 'smes', 'started_at', 'detected_at', 'acknowledged_at', 'identified_at', 'mitigated_at', 'resolved_at', 'tags'];
    const TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z';
    const ROW = new RegExp(`^\\| ${TIME} \\| .+ \\| [^|]+ \\| (milestone|declared|role|update|action|decision|note|)? ?\\|$`);
    for (const id of repo.ids) {
      const text = read(`incidents/${id}/incident.md`);
      const lines = text.split('\n');
      const end = lines.indexOf('---', 1);
      expect(lines[0]).toBe('---');
      expect(end).toBeGreaterThan(0);
      const frontMatter = lines.slice(1, end);
      expect(frontMatter.filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.slice(0, l.indexOf(':')))).toEqual(KEYS);
      expect(frontMatter[0]).toBe(`id: "${id}"`);
      expect(frontMatter[2]).toMatch(/^severity: "SEV[1-4]"$/);
      expect(frontMatter[3]).toMatch(/^status: "(investigating|identified|mitigated|resolved)"$/);
      expect(frontMatter[4]).toBe('drill: false');
      for (const line of frontMatter.filter((l) => /^[a-z]+_at:/.test(l))) expect(line).toMatch(new RegExp(`^[a-z]+_at: ("${TIME}"|null)$`));
      expect(frontMatter.find((l) => l.startsWith('detected_at:'))).toMatch(new RegExp(`^detected_at: "${TIME}"$`));

      const timeline = read(`incidents/${id}/timeline.md`).split('\n');
      expect(timeline.slice(0, 6)).toEqual([
        `# Timeline: ${id}`,
        '',
        '<!-- One entry per row, times in UTC. Append rows at the end; inc sorts them by time when reading. -->',
        '',
        '| Time (UTC) | Event | By | Kind |',
        '|---|---|---|---|',
      ]);
      expect(timeline.at(-1)).toBe('');
      for (const row of timeline.slice(6, -1)) expect(row).toMatch(ROW);
      // The declaration row: at detected_at, with the severity and title of the front matter.
      const field = (key: string) => /^[a-z_]+: "(.*)"$/.exec(frontMatter.find((l) => l.startsWith(`${key}:`))!)![1];
      const declared = timeline.filter((row) => row.endsWith(' | declared |'));
      expect(declared).toHaveLength(1);
      expect(declared[0]!.startsWith(`| ${field('detected_at')} | Incident declared: ${field('severity')} ${field('title')} | `)).toBe(true);
    }
  });

  it('writes postmortems with inc\'s front matter keys and a readable action-items table', () => {
    const withPostmortem = repo.ids.filter((id) => {
      try {
        read(`incidents/${id}/postmortem.md`);
        return true;
      } catch {
        return false;
      }
    });
    expect(withPostmortem).toHaveLength(repo.postmortems);
    expect(repo.postmortems).toBeGreaterThan(0);
    for (const id of withPostmortem) {
      const path = `incidents/${id}/postmortem.md`;
      const fm = parseFrontMatter(read(path), path)!;
      expect(Object.keys(fm.data)).toEqual(['incident', 'status', 'authors', 'reviewers', 'due_date', 'root_causes']);
      expect(fm.data.incident).toBe(id);
      const items = parseActionItems(fm.body, fm.bodyStartLine);
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const item of items) {
        expect(item.status).not.toBeNull();
        expect(item.dueDate).not.toBeNull();
      }
    }
  });

  it('is read by the built inc without a warning: list --all --json, show --json, log with its commit', async () => {
    const list = JSON.parse((await inc(['list', '--all', '--json'])).stdout) as { id: string; status: string }[];
    expect(list.map((i) => i.id).sort()).toEqual([...repo.ids].sort());
    expect(list.filter((i) => i.status !== 'resolved').map((i) => i.id).sort()).toEqual([...repo.open].sort());

    const id = repo.open.at(-1)!;
    const shown = JSON.parse((await inc(['show', id, '--json'])).stdout) as { id: string; timeline: unknown[] };
    expect(shown.id).toBe(id);
    expect(shown.timeline.length).toBeGreaterThanOrEqual(18);

    const logged = await inc(['log', 'bench check | entry', '--incident', id], 'Logged at 2026-11-27 09:00 UTC.\n');
    expect(logged.stdout).toBe(`${id} logged 2026-11-27T09:00:00Z\n`);
    expect(git(['rev-list', '--count', 'HEAD']).trim()).toBe('2');
    expect(git(['show', '--name-only', '--format=', 'HEAD']).trim()).toBe(`incidents/${id}/timeline.md`);
    expect(read(`incidents/${id}/timeline.md`)).toMatch(/\| 2026-11-27T09:00:00Z \| bench check \\\| entry \| Bench Bot \|  \|\n$/);
  });
});
