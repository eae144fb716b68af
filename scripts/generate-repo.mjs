#!/usr/bin/env node
/**
 * Generates an ops repository with N incidents for the benchmark, fast: the files
 * are written with plain fs in the exact formats inc writes (front matter as renderFrontMatter
 * produces it, timeline rows as formatTimelineRow does, a postmortem with an action-items
 * table), then committed with ONE `git add -A && git commit`. Deterministic: the same N and
 * seed give the same repository.
 *
 *   node scripts/generate-repo.mjs [--incidents 10000] [--dir PATH] [--seed 1]
 *
 * prints the repository's path on stdout. Also importable: generateRepo({ incidents, dir }).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Two years of incidents, the last detected before 2026-11-01 (today is 2026-11-27). */
const END = Date.UTC(2026, 10, 1) - 6 * 60 * MINUTE;
const START = END - 730 * DAY;

const SERVICES = ['payment-service', 'checkout-api', 'search', 'auth', 'notifications', 'mobile-gateway', 'orders-db', 'cdn', 'billing', 'profile-service'];
const PEOPLE = ['Alice Martin', 'Bob Chen', 'Carol Diaz', 'Dan Okafor', 'Erin Walsh', 'Farid Haddad', 'Grace Kim', 'Hugo Laurent'];
const SYMPTOMS = ['returns 500s', 'latency above SLO', 'serves stale results', 'cannot process payments', 'login failures', 'queue backlog growing', 'elevated error rate', 'timeouts from upstream', 'partial outage in eu-west-1', 'certificate expired'];
const CAUSES = ['bad-deploy', 'config-change', 'capacity', 'dependency-failure', 'expired-certificate', 'database-failover', 'dns'];
// Weights: a realistic mix with few SEV1s and many minor incidents.
const SEVERITIES = [
  ['SEV1', 0.05],
  ['SEV2', 0.15],
  ['SEV3', 0.4],
  ['SEV4', 0.4],
];
const DRILL_SHARE = 0.03;
/** The newest incidents still in progress, so `inc list` has open ones to show. */
const OPEN_COUNT = 8;

/** A small seeded PRNG (mulberry32): the same seed gives the same repository. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slugify(title) {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48).replace(/-+$/, '');
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const date = (ms) => iso(ms).slice(0, 10);
/** YAML values exactly as inc's renderFrontMatter writes them: JSON-quoted strings, block lists. */
function yamlValue(key, value) {
  if (value === null || value === undefined) return `${key}: null`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${key}: []`;
    return `${key}:\n${value.map((v) => `  - ${JSON.stringify(v)}`).join('\n')}`;
  }
  return `${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
}
const frontMatter = (fields) => `---\n${Object.entries(fields).map(([k, v]) => yamlValue(k, v)).join('\n')}\n---\n`;
const cell = (text) => text.replace(/[\\|\n\r]/g, (c) => ({ '\\': '\\\\', '|': '\\|', '\n': '\\n', '\r': '\\r' })[c]);
const row = (e) => `| ${iso(e.at)} | ${cell(e.text)} | ${cell(e.author)} | ${e.kind ? cell(e.kind) : ''} |`;

const INCIDENT_BODY = (title) => `
# ${title}

## Summary

<!-- What users see, which services are affected, what has been tried. Keep it current: the
     timeline (timeline.md) holds the minute-by-minute record. -->

## Status updates

<!-- Stakeholder and status-page updates, newest last. \`inc comms\` renders them. -->
`;

function timelineText(id, entries) {
  return (
    `# Timeline: ${id}\n\n` +
    '<!-- One entry per row, times in UTC. Append rows at the end; inc sorts them by time when reading. -->\n\n' +
    '| Time (UTC) | Event | By | Kind |\n|---|---|---|---|\n' +
    entries.map((e) => `${row(e)}\n`).join('')
  );
}

/** The plan of one incident: its fields, milestones and timeline. */
function planIncident(random, index, count, taken) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const roll = random();
  let acc = 0;
  const severity = SEVERITIES.find(([, weight]) => (acc += weight) >= roll)?.[0] ?? 'SEV4';
  const service = pick(SERVICES);
  const drill = random() < DRILL_SHARE;
  const title = drill ? `Game day: ${service} failover` : `${service} ${pick(SYMPTOMS)}`;
  // Spread evenly over two years with jitter, sorted by index so the newest are last.
  const detected = Math.floor((START + ((index + random()) / count) * (END - START)) / MINUTE) * MINUTE;
  const base = `${date(detected)}-${slugify(title)}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);

  const open = index >= count - OPEN_COUNT;
  const scale = severity === 'SEV1' ? 1 : severity === 'SEV2' ? 2 : 4;
  const m = { detected };
  if (random() < 0.8) m.started = detected - Math.floor(1 + random() * 20 * scale) * MINUTE;
  m.acknowledged = detected + Math.floor(1 + random() * 5 * scale) * MINUTE;
  if (!open || random() < 0.5) m.identified = m.acknowledged + Math.floor(2 + random() * 30 * scale) * MINUTE;
  if (!open) {
    m.mitigated = m.identified + Math.floor(1 + random() * 40 * scale) * MINUTE;
    m.resolved = m.mitigated + Math.floor(5 + random() * 120 * scale) * MINUTE;
  }
  const status = m.resolved ? 'resolved' : m.mitigated ? 'mitigated' : m.identified ? 'identified' : 'investigating';
  const commander = pick(PEOPLE);
  const communications = random() < 0.6 ? pick(PEOPLE) : null;
  const smes = random() < 0.5 ? [pick(PEOPLE), pick(PEOPLE)].filter((v, i, all) => all.indexOf(v) === i) : [];
  const services = random() < 0.3 ? [service, pick(SERVICES)].filter((v, i, all) => all.indexOf(v) === i) : [service];
  const tags = random() < 0.4 ? [pick(CAUSES)] : [];

  const scribe = pick(PEOPLE);
  const entries = [];
  if (m.started !== undefined) entries.push({ at: m.started, text: 'User impact started', author: scribe, kind: 'milestone' });
  entries.push({ at: detected, text: `${drill ? 'Drill declared' : 'Incident declared'}: ${severity} ${title}`, author: commander, kind: 'declared' });
  entries.push({ at: detected, text: `Incident commander: ${commander}`, author: commander, kind: 'role' });
  entries.push({ at: m.acknowledged, text: 'Acknowledged', author: commander, kind: 'milestone' });
  const last = m.resolved ?? m.identified ?? m.acknowledged + 30 * MINUTE;
  const notes = [
    ['Checking dashboards: error rate 12% on %s', 'note'],
    ['Paged the %s owners', 'action'],
    ['Status page updated: investigating', 'update'],
    ['Decision: roll back the last deploy of %s', 'decision'],
    ['Rollback started | v2.13.9 -> v2.13.8', 'action'],
    ['Traffic shifted away from the failing zone', 'action'],
    ['Customer support informed', 'update'],
    ['Error rate falling on %s', 'note'],
  ];
  while (entries.length < 18) {
    const [text, kind] = pick(notes);
    const at = detected + Math.floor(random() * (last - detected));
    entries.push({ at: Math.floor(at / 1000) * 1000, text: text.replace('%s', service), author: pick(PEOPLE), kind });
  }
  if (m.identified) entries.push({ at: m.identified, text: 'Cause identified: bad config in the last deploy', author: commander, kind: 'milestone' });
  if (m.mitigated) entries.push({ at: m.mitigated, text: 'Mitigated: error rate back to baseline', author: commander, kind: 'milestone' });
  if (m.resolved) entries.push({ at: m.resolved, text: 'Resolved', author: commander, kind: 'milestone' });
  // Appended in time order, as responders mostly log them, with a note typed in late.
  entries.sort((a, b) => a.at - b.at);
  entries.push({ at: detected + MINUTE, text: 'Scribe note: started recording late, times are approximate', author: scribe, kind: null });

  const fields = {
    id,
    title,
    severity,
    status,
    drill,
    services,
    commander,
    communications,
    smes,
    started_at: m.started === undefined ? null : iso(m.started),
    detected_at: iso(m.detected),
    acknowledged_at: iso(m.acknowledged),
    identified_at: m.identified === undefined ? null : iso(m.identified),
    mitigated_at: m.mitigated === undefined ? null : iso(m.mitigated),
    resolved_at: m.resolved === undefined ? null : iso(m.resolved),
    tags,
  };
  const postmortem = !drill && m.resolved && (severity === 'SEV1' || severity === 'SEV2') && random() < 0.9;
  return { id, title, severity, service, fields, entries, m, postmortem, pick, random };
}

/** A finished postmortem in the shape of templates/postmortem.md, front matter as inc writes it. */
function postmortemText(plan) {
  const { id, title, severity, service, fields, m, pick, random } = plan;
  const due = m.resolved + 7 * DAY;
  const status = due < END - 30 * DAY ? pick(['published', 'published', 'in-review']) : pick(['draft', 'in-review']);
  const statuses = ['Done', 'Done', 'done', 'In progress', 'todo', "Won't do"];
  const actions = [
    `Add an alert on ${service} error rate above 2% for 5 minutes`,
    `Canary deploys for ${service}`,
    'Document the rollback procedure in the runbook',
    'Load test the failover path every quarter',
    `Add a circuit breaker between checkout-api and ${service}`,
    'Rotate certificates automatically',
  ];
  const count = 2 + Math.floor(random() * 4);
  const items = actions.slice(0, count).map((action, i) => {
    const itemDue = date(m.resolved + (14 + i * 7) * DAY);
    const ticket = `OPS-${1000 + Math.floor(random() * 9000)}`;
    return `| ${cell(action)} | ${pick(PEOPLE)} | ${pick(['P1', 'P2', 'P3'])} | ${itemDue} | ${ticket} | ${pick(statuses)} |`;
  });
  const authors = [pick(PEOPLE)];
  const front = {
    incident: id,
    status,
    authors,
    reviewers: [pick(PEOPLE), pick(PEOPLE)].filter((v, i, all) => all.indexOf(v) === i),
    due_date: date(due),
    root_causes: [pick(CAUSES)],
  };
  const minutes = (a, b) => Math.round((b - a) / MINUTE);
  const metric = (name, from, to) => `- ${name}: ${from === undefined || to === undefined ? 'unknown' : `${minutes(from, to)} min`}`;
  return `${frontMatter(front)}
# Postmortem: ${title}

## Metadata

- **Incident**: \`${id}\`
- **Date**: ${date(m.detected)}
- **Duration**: ${minutes(m.detected, m.resolved)} min
- **Impact window**: ${m.started === undefined ? 'unknown' : `${iso(m.started)} to ${iso(m.mitigated)}`}
- **Severity**: ${severity}
- **Services**: ${fields.services.join(', ')}
- **Incident commander**: ${fields.commander}
- **Authors**: ${authors.join(', ')}

## Summary

${severity} incident on ${service}: ${title}. Detected at ${iso(m.detected)}, mitigated after
${minutes(m.detected, m.mitigated)} minutes, resolved after ${minutes(m.detected, m.resolved)} minutes.

## Impact

About ${Math.floor(random() * 40) + 1}% of requests to ${service} failed while the incident lasted.

## Root cause

A configuration change deployed to ${service} removed a connection-pool limit; under peak load
the service exhausted its database connections.

## Timeline

See [timeline.md](timeline.md) for every entry.

### Response metrics

${metric('Time to detect', m.started, m.detected)}
${metric('Time to acknowledge', m.detected, m.acknowledged)}
${metric('Time to mitigate', m.detected, m.mitigated)}
${metric('Time to resolve', m.detected, m.resolved)}

## What went well

- The alert fired within minutes.
- The rollback procedure worked as documented.

## What went poorly

- The status page had no owner for the first updates.
- The dashboard for ${service} lacked a saturation panel.

## Action items

| Action | Owner | Priority | Due | Ticket | Status |
|---|---|---|---|---|---|
${items.join('\n')}

## Lessons learned

Configuration changes deserve the same canary as code changes.
`;
}

/** Exactly what `inc init` writes, from inc's own planInit (the build must exist: npm install makes it). */
const { planInit } = await import(pathToFileURL(join(PROJECT, 'dist', 'commands', 'init.js')).href);

function writeInitFiles(dir) {
  for (const file of planInit(dir, { commit: true })) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

export const GIT_IDENTITY = ['-c', 'user.name=Bench Bot', '-c', 'user.email=bench@example.com'];

/**
 * Writes and commits the repository. Returns its path, every id (oldest first), the open
 * ones, and counts of what was written.
 */
/** git with its stderr kept (in the error when it fails) rather than printed into a test run. */
const git = (args, options = {}) => execFileSync('git', args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });

export function generateRepo({ incidents = 10_000, dir, seed = 1 } = {}) {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'inc-bench-'));
  mkdirSync(root, { recursive: true });
  git(['init', '-q', '-b', 'main', root]);
  writeInitFiles(root);
  const random = prng(seed);
  const taken = new Set();
  const ids = [];
  const open = [];
  let postmortems = 0;
  let files = 0;
  for (let index = 0; index < incidents; index += 1) {
    const plan = planIncident(random, index, incidents, taken);
    const folder = join(root, 'incidents', plan.id);
    mkdirSync(folder);
    writeFileSync(join(folder, 'incident.md'), frontMatter(plan.fields) + INCIDENT_BODY(plan.title));
    writeFileSync(join(folder, 'timeline.md'), timelineText(plan.id, plan.entries));
    files += 2;
    if (plan.postmortem) {
      writeFileSync(join(folder, 'postmortem.md'), postmortemText(plan));
      postmortems += 1;
      files += 1;
    }
    ids.push(plan.id);
    if (plan.fields.status !== 'resolved') open.push(plan.id);
  }
  git(['add', '-A'], { cwd: root });
  git([...GIT_IDENTITY, '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', 'commit', '-q', '--no-verify', '-m', `Generated: ${incidents} incidents`], {
    cwd: root,
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-11-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T00:00:00Z' },
  });
  // Packed now, as a clone is, rather than by the `git gc --auto` that this commit or the
  // first one timed would start in the background in the middle of the measurements.
  git(['gc', '--quiet'], { cwd: root });
  // The identity inc's writes use in this repository (`inc log` checks it before writing).
  git(['config', 'user.name', 'Bench Bot'], { cwd: root });
  git(['config', 'user.email', 'bench@example.com'], { cwd: root });
  return { root, ids, open, postmortems, files };
}

function flag(args, name, fallback) {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const incidents = Number(flag(args, '--incidents', '10000'));
  if (!Number.isInteger(incidents) || incidents < 1) {
    process.stderr.write('generate-repo: --incidents must be a positive whole number\n');
    process.exitCode = 2;
  } else {
    const started = performance.now();
    const result = generateRepo({ incidents, dir: flag(args, '--dir', undefined), seed: Number(flag(args, '--seed', '1')) });
    process.stderr.write(
      `Generated ${incidents} incidents (${result.postmortems} postmortems, ${result.files} files) in ${Math.round(performance.now() - started)} ms\n`,
    );
    process.stdout.write(`${result.root}\n`);
  }
}
