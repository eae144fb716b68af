/**
 * A repository for the site tests: a generated history (scripts/generate-repo.mjs, the
 * bench's own generator, small) plus the worked example, one hostile incident whose files
 * try to inject markup, and a publish section in the config. Everything is committed, as in
 * a real ops repository. "Now" is pinned: the newest generated incidents are still open.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
// @ts-expect-error: a plain ES module of the project's scripts, without types
import { generateRepo } from '../../scripts/generate-repo.mjs';
import { ROOT, runInProcess } from './repo.js';

export const SITE_NOW = '2026-11-27T12:00:00Z';
export const WORKED_EXAMPLE = '2026-03-15-payment-processing-outage';
export const HOSTILE_ID = '2026-06-01-markup-in-files';
/** Texts that only a hostile file holds: none may reach a page as markup. */
export const HOSTILE_TITLE = 'Checkout <script>alert("title")</script> & "quotes"';

export interface SiteRepo {
  dir: string;
  ids: string[];
  open: string[];
  /** Runs inc in-process in the repository at the pinned time. */
  inc(args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** Removes the temporary folder that holds the repository. */
  cleanup(): void;
}

const HOSTILE_INCIDENT = `---
id: "${HOSTILE_ID}"
title: ${JSON.stringify(HOSTILE_TITLE)}
severity: "SEV3"
status: "resolved"
drill: false
services:
  - "checkout-api"
commander: "Mallory Hostile"
detected_at: "2026-06-01T09:00:00Z"
acknowledged_at: "2026-06-01T09:05:00Z"
mitigated_at: "2026-06-01T09:30:00Z"
resolved_at: "2026-06-01T10:00:00Z"
---

# Markup in files

## Summary

<script>document.title = "owned"</script>
<img src="x" onerror="console.error('owned')">
[a link](javascript:alert(1)) and [another](vbscript:msgbox) and ![tracker](https://tracker.invalid/pixel.png)
<iframe src="https://evil.invalid"></iframe>

- [x] rolled back
- [ ] post the fix
`;

const HOSTILE_TIMELINE = `# Timeline: ${HOSTILE_ID}

| Time (UTC) | Event | By | Kind |
|---|---|---|---|
| 2026-06-01T09:00:00Z | Incident declared <b>bold</b> <script>console.error("owned")</script> | Mallory Hostile | declared |
| 2026-06-01T09:10:00Z | Status update sent (investigating): We see <em>errors</em> \\| "quoted" | Mallory Hostile | update |
`;

export function makeSiteRepo(options: { incidents?: number; config?: string } = {}): SiteRepo {
  const base = mkdtempSync(join(tmpdir(), 'inc-site-'));
  const dir = join(base, 'ops');
  const generated = generateRepo({ incidents: options.incidents ?? 24, dir, seed: 7 }) as { ids: string[]; open: string[] };
  cpSync(join(ROOT, 'incidents', WORKED_EXAMPLE), join(dir, 'incidents', WORKED_EXAMPLE), { recursive: true });
  const hostile = join(dir, 'incidents', HOSTILE_ID);
  cpSync(join(ROOT, 'incidents', WORKED_EXAMPLE), hostile, { recursive: true });
  writeFileSync(join(hostile, 'incident.md'), HOSTILE_INCIDENT);
  writeFileSync(join(hostile, 'timeline.md'), HOSTILE_TIMELINE);
  writeFileSync(
    join(hostile, 'postmortem.md'),
    readFileSync(join(ROOT, 'incidents', WORKED_EXAMPLE, 'postmortem.md'), 'utf8')
      .replace(/incident: ".*"/, `incident: "${HOSTILE_ID}"`)
      .replace('## Summary\n', '## Summary\n\n<style>body { display: none }</style> <a href="javascript:alert(1)">click</a>\n'),
  );
  if (options.config !== undefined) writeFileSync(join(dir, '.inc', 'config.yaml'), options.config);
  // stderr piped: git's messages stay out of a green run (a failure carries them).
  const git = (args: string[]) => execFileSync('git', ['-c', 'user.name=Site Test', '-c', 'user.email=site@example.com', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git(['add', '-A']);
  git(['commit', '-qm', 'worked example, hostile incident, config']);
  return {
    dir,
    ids: [...generated.ids, WORKED_EXAMPLE, HOSTILE_ID],
    open: generated.open,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
    inc: async (args) => {
      const result = await runInProcess(args, dir, { NO_COLOR: '1', INC_NOW: SITE_NOW, PATH: process.env.PATH });
      return { code: result.code, out: result.stdout, err: result.stderr };
    },
  };
}
