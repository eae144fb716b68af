/**
 * The parts of postmortem.md that inc keeps in step with the incident files. Each lives
 * between two HTML comments, which GitHub does not show, each on a line of its own:
 *
 *   <!-- inc:generated metrics -->
 *   | Figure | Value | From → to |
 *   ...
 *   <!-- inc:end metrics -->
 *
 * Everything outside the markers belongs to people. renderBlock is the one function that
 * says what a block holds, from the incident, its timeline entries and its metrics
 * (postmortemFacts gathers those): the scaffold, `inc postmortem --refresh` and `inc check`
 * all call it, so they cannot disagree. The blocks depend on the incident files and the
 * configured zone only, never on the matrix, so that editing a severity's description does
 * not make every published postmortem out of date.
 *
 * findBlocks reads the markers in one pass over the lines, without a pattern that could
 * backtrack: postmortems come in pull requests and are hostile input.
 */
import { type CorrectedEntry, incidentTimeline } from './corrections.js';
import { quoteForMessage } from './frontmatter.js';
import { type Incident, milestoneKey, type Milestones, recoveredBeforeDetection } from './incident.js';
import { FIGURE_DEFINITIONS, FIGURES, figureEnd, figureEndText, incidentMetrics, type IncidentMetrics } from './metrics.js';
import { dateInZone, formatDuration, formatInZone, minutesBetween, zoneLabel } from './time.js';
import { type ParsedTimeline, splitRow, type TimelineEntry } from './timeline.js';

export const BLOCK_NAMES = ['metadata', 'impact', 'timeline', 'metrics'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];

/** What the blocks are made of. */
export interface PostmortemFacts {
  incident: Incident;
  /** The corrected timeline, as every reader shows it: amendments applied, retracted entries left out, replaced milestone rows flagged. */
  entries: readonly CorrectedEntry[];
  metrics: IncidentMetrics;
}

/**
 * The facts of an incident as its postmortem shows them, from its parsed files: the one place
 * that decides which timeline (corrections applied) and which figures a postmortem carries.
 */
export function postmortemFacts(incident: Incident, timeline: ParsedTimeline): PostmortemFacts {
  return { incident, entries: incidentTimeline(incident, timeline.entries).entries, metrics: incidentMetrics(incident) };
}

export const startMarker = (name: BlockName) => `<!-- inc:generated ${name} -->`;
export const endMarker = (name: BlockName) => `<!-- inc:end ${name} -->`;

// ---------------------------------------------------------------------------------------
// What each block holds

/**
 * A text for a GitHub table cell: `|` escaped, backslashes kept literal, line breaks as
 * `lineBreak` (<br> keeps them), trimmed unless `trim` is false.
 */
export function markdownCell(text: string, { trim = true, lineBreak = '<br>' } = {}): string {
  return (trim ? text.trim() : text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, lineBreak);
}

function timeLabel(at: number, zone: string, withDate: boolean): string {
  const full = formatInZone(at, zone);
  return withDate ? full : full.slice(11);
}

/**
 * The incident's corrected timeline (postmortemFacts) as a markdown table in the zone. A
 * superseded milestone row stays, struck through.
 */
export function renderTimelineTable(entries: readonly (TimelineEntry & { superseded?: boolean })[], zone: string): string {
  const withDate = new Set(entries.map((e) => dateInZone(e.at, zone))).size > 1;
  const header = `| Time (${zoneLabel(zone)}) | Event | By |\n|---|---|---|\n`;
  if (entries.length === 0) return `${header}|  | (the timeline is empty) |  |\n`;
  const event = (e: { text: string; superseded?: boolean }) => (e.superseded ? `~~${markdownCell(e.text)}~~ (superseded)` : markdownCell(e.text));
  return header + entries.map((e) => `| ${timeLabel(e.at, zone, withDate)} | ${event(e)} | ${markdownCell(e.author)} |\n`).join('');
}

/** Why a figure has no value: a milestone missing, a recovery before detection, or an order that cannot be. */
function missingFigure(figure: (typeof FIGURES)[number], m: Milestones): string {
  const definition = FIGURE_DEFINITIONS[figure];
  const end = figureEnd(figure, m);
  const from = m[definition.from];
  const to = m[end];
  if (from === undefined || to === undefined) return `not known (needs ${milestoneKey(definition.from)} and ${milestoneKey(definition.to[0]!)})`;
  if (definition.from === 'detected' && (figure === 'ttm' || figure === 'ttr')) return `none (${end} before detection)`;
  return `not known (${milestoneKey(end)} is before ${milestoneKey(definition.from)})`;
}

/** The response figures as a markdown table; an unknown one says why. */
export function renderMetricsTable(metrics: IncidentMetrics, milestones: Milestones = {}): string {
  const rows = FIGURES.map((figure) => {
    const definition = FIGURE_DEFINITIONS[figure];
    const value = metrics[figure];
    const from = milestoneKey(definition.from);
    return `| ${definition.label} | ${value === null ? missingFigure(figure, milestones) : formatDuration(value)} | ${from} → ${figureEndText(figure)} |`;
  });
  return `| Figure | Value | From → to |\n|---|---|---|\n${rows.join('\n')}\n`;
}

/** `2026-03-15 14:02 – 14:22`: the end's date only where it is another day. */
function timeRange(from: number | undefined, to: number | undefined, zone: string): string {
  const sameDay = from !== undefined && to !== undefined && dateInZone(from, zone) === dateInZone(to, zone);
  const start = from === undefined ? 'start not recorded' : formatInZone(from, zone);
  const end = to === undefined ? 'not yet' : sameDay ? formatInZone(to, zone).slice(11) : formatInZone(to, zone);
  return `${start} – ${end}`;
}

function window(from: number | undefined, to: number | undefined, zone: string): string {
  if (from === undefined && to === undefined) return 'not known';
  return `${timeRange(from, to, zone)} ${zoneLabel(zone)}`;
}

/**
 * When users were affected, and for how long (the time between a mitigation and its relapse
 * not counted); how to record the start where it is unknown.
 */
export function impactWindow(facts: PostmortemFacts, zone: string): string {
  const m = facts.incident.milestones;
  const impact = facts.metrics.impact;
  const hint = m.started === undefined ? ' (set the start with `inc milestone started --at <time>`)' : '';
  const relapses = facts.incident.relapses.map(({ ended, back }) => timeRange(ended, back, zone));
  const gaps = relapses.length === 0 ? '' : `, not counting ${relapses.join(', ')}, between a mitigation and a relapse`;
  const unnoticed = recoveredBeforeDetection(m) ? `; recovered before detection, which came at ${formatInZone(m.detected!, zone)}` : '';
  return window(m.started, m.mitigated ?? m.resolved, zone) + (impact === null ? hint : ` (${formatDuration(impact)}${gaps}${unnoticed})`);
}

/** What set the incident off, where it is known. */
function triggerLine(incident: PostmortemFacts['incident'], zone: string): string[] {
  const at = incident.milestones.triggered;
  if (at === undefined) return [];
  return [`- **Trigger**: ${formatInZone(at, zone)} ${zoneLabel(zone)}${incident.triggerRef ? `, ${incident.triggerRef}` : ''}`];
}

/** The date of the incident and how long it lasted, as the metadata shows them. */
export function incidentDates(facts: PostmortemFacts, zone: string): { date: string; duration: string } {
  const m = facts.incident.milestones;
  const start = m.started ?? m.detected;
  const date = m.detected !== undefined ? dateInZone(m.detected, zone) : start !== undefined ? dateInZone(start, zone) : 'not known';
  const duration =
    start !== undefined && m.resolved !== undefined
      ? `${formatDuration(minutesBetween(start, m.resolved))}, from ${m.started !== undefined ? 'the start of impact' : 'detection'} to resolution`
      : 'not known yet (the incident is not resolved)';
  return { date, duration };
}

/**
 * The content of a block (without its markers or a final line break), from the incident
 * files alone. The scaffold, the refresh and the check all call this.
 */
export function renderBlock(name: BlockName, facts: PostmortemFacts, zone: string): string {
  const { incident } = facts;
  switch (name) {
    case 'metadata': {
      const { date, duration } = incidentDates(facts, zone);
      return [
        `- **Incident**: \`${incident.id}\``,
        `- **Date**: ${date}`,
        `- **Duration**: ${duration}`,
        `- **Severity**: ${incident.severity}`,
        `- **Services**: ${incident.services.length > 0 ? incident.services.join(', ') : 'not recorded'}`,
        `- **Incident commander**: ${incident.commander ?? 'not recorded'}`,
        ...triggerLine(incident, zone),
      ].join('\n');
    }
    case 'impact':
      return `- **Impact window**: ${impactWindow(facts, zone)}`;
    case 'timeline':
      return renderTimelineTable(facts.entries, zone).trimEnd();
    case 'metrics':
      return renderMetricsTable(facts.metrics, incident.milestones).trimEnd();
  }
}

/** A block as the scaffold writes it: its markers around its content. */
export function renderBlockWithMarkers(name: BlockName, facts: PostmortemFacts, zone: string): string {
  return `${startMarker(name)}\n${renderBlock(name, facts, zone)}\n${endMarker(name)}`;
}

// ---------------------------------------------------------------------------------------
// Finding the blocks of a file

export interface GeneratedBlock {
  name: BlockName;
  /** 1-based lines of the start and end markers. */
  startLine: number;
  endLine: number;
  /** The content: from just after the start marker's line break to the start of the end marker's line. */
  contentStart: number;
  contentEnd: number;
  /** The start marker's line break (`\r\n` in a CRLF file), for the content written back. */
  lineBreak: string;
}

export interface MarkerProblem {
  /** 1-based. */
  line: number;
  message: string;
}

export interface BlockScan {
  /** The well-formed blocks, in file order; to be used only when there is no problem. */
  blocks: GeneratedBlock[];
  problems: MarkerProblem[];
}

/** Reported one by one up to this many; the rest are counted (a hostile file can hold 70,000). */
const MAX_PROBLEMS = 20;

const USAGE = `each block is a line ${startMarker('metrics')}, its content, then a line ${endMarker('metrics')}`;

type Marker = { kind: 'generated' | 'end'; name: BlockName } | { problem: string } | undefined;

/**
 * Reads a line as a marker: undefined for any other line (another comment included), a
 * problem for a line that means to be one but is not (`<!-- inc:generated metric -->`).
 */
function readMarker(line: string): Marker {
  const text = line.trim();
  if (!text.startsWith('<!--')) return undefined;
  const closed = text.endsWith('-->') && text.length >= 7;
  const inner = (closed ? text.slice(4, -3) : text.slice(4)).trim();
  const kind = inner.startsWith('inc:generated') ? 'generated' : inner.startsWith('inc:end') ? 'end' : undefined;
  if (kind === undefined) return undefined;
  const words = inner.split(/\s+/);
  if (!closed || words.length !== 2 || words[0] !== `inc:${kind}`) {
    return { problem: `${quoteForMessage(text)} is not a marker inc reads: ${USAGE}` };
  }
  const name = words[1]!;
  if (!(BLOCK_NAMES as readonly string[]).includes(name)) {
    return { problem: `${quoteForMessage(text)} names no block inc generates (${BLOCK_NAMES.join(', ')})` };
  }
  return { kind, name: name as BlockName };
}

/**
 * The generated blocks of a postmortem, and what is wrong with its markers, each with its
 * line: an end marker missing or doubled, a block twice, a marker that names no block.
 * Reading starts at line `fromLine` of the text (the body, after the front matter); lines are
 * reported `lineOffset` further on (for a body given without its front matter). One pass, linear.
 */
export function findBlocks(text: string, fromLine = 1, lineOffset = 0): BlockScan {
  const blocks: GeneratedBlock[] = [];
  const problems: MarkerProblem[] = [];
  let hidden = 0;
  const problem = (line: number, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, message });
    else hidden += 1;
  };
  const seen = new Map<BlockName, { start: number; end?: number }>();
  let open: { name: BlockName; line: number; contentStart: number; lineBreak: string } | undefined;
  let line = 1 + lineOffset;
  let start = 0;
  while (line < fromLine + lineOffset && start <= text.length) {
    const end = text.indexOf('\n', start);
    start = end === -1 ? text.length + 1 : end + 1;
    line += 1;
  }
  for (; start <= text.length; line += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const next = end + 1;
    // Most lines are no comment: only a line that starts with `<!--` is looked at further.
    let first = start;
    while (first < end && (text[first] === ' ' || text[first] === '\t')) first += 1;
    const marker = text.startsWith('<!--', first) ? readMarker(text.slice(first, end)) : undefined;
    if (marker !== undefined && 'problem' in marker) {
      problem(line, marker.problem);
    } else if (marker?.kind === 'generated') {
      if (open) problem(open.line, `the ${open.name} block has no end marker: expected ${endMarker(open.name)} before line ${line}`);
      const earlier = seen.get(marker.name);
      if (earlier) problem(line, `a second ${marker.name} block (the first starts at line ${earlier.start}); keep one`);
      else seen.set(marker.name, { start: line });
      const lineBreak = newline > start && text[newline - 1] === '\r' ? '\r\n' : '\n';
      open = { name: marker.name, line, contentStart: Math.min(next, text.length), lineBreak };
    } else if (marker?.kind === 'end') {
      if (!open) {
        const ended = seen.get(marker.name)?.end;
        problem(line, `${endMarker(marker.name)} ends no block${ended === undefined ? `: no ${startMarker(marker.name)} above it` : ` (the ${marker.name} block already ended at line ${ended}: a duplicated end marker?)`}`);
      } else if (open.name !== marker.name) {
        problem(line, `${endMarker(marker.name)} ends the ${marker.name} block, but the block open here is ${open.name} (line ${open.line})`);
        open = undefined;
      } else {
        const entry = seen.get(open.name);
        if (entry && entry.start === open.line) entry.end = line;
        blocks.push({ name: open.name, startLine: open.line, endLine: line, contentStart: open.contentStart, contentEnd: start, lineBreak: open.lineBreak });
        open = undefined;
      }
    }
    start = next;
  }
  if (open) problem(open.line, `the ${open.name} block has no end marker: add ${endMarker(open.name)} on the line after its content`);
  if (hidden > 0) problems.push({ line: problems[problems.length - 1]!.line, message: `and ${hidden} more marker ${hidden === 1 ? 'problem' : 'problems'}` });
  return { blocks, problems };
}

/** Whether a text may hold a marker: most postmortems hold none, and they are skipped at this cost. */
export function mayHoldMarkers(text: string): boolean {
  return text.includes('inc:generated') || text.includes('inc:end');
}

// ---------------------------------------------------------------------------------------
// Comparing and rewriting

/**
 * A block's lines as compared: line breaks and trailing spaces aside, blank lines at either
 * end left out (a markdown formatter adds them around a comment).
 */
function comparedLines(content: string): string[] {
  const lines = content.split('\n').map((line) => line.trimEnd());
  let first = 0;
  let last = lines.length;
  while (first < last && lines[first] === '') first += 1;
  while (last > first && lines[last - 1] === '') last -= 1;
  return lines.slice(first, last);
}

const DELIMITER_CELL = /^:?-+:?$/;

/** Two table rows that read the same: cells compared trimmed, `|---|` as `| :--- |` (a formatter aligns tables). */
function sameRow(a: string, b: string): boolean {
  if (!a.startsWith('|') || !b.startsWith('|')) return false;
  const cells = (row: string) => splitRow(row).map((cell) => (DELIMITER_CELL.test(cell) ? '---' : cell));
  const x = cells(a);
  const y = cells(b);
  return x.length === y.length && x.every((cell, i) => cell === y[i]);
}

/**
 * Where a block's content (as found in the file) first differs from what the incident files
 * give: the 1-based line within the content, or undefined when they read the same.
 */
export function firstDifference(found: string, rendered: string): number | undefined {
  const lines = found.split('\n');
  // Content ends with the line break before the end marker: no line follows it.
  if (lines[lines.length - 1] === '') lines.pop();
  let leading = 0;
  while (leading < lines.length && lines[leading]!.trim() === '') leading += 1;
  const have = comparedLines(found);
  const want = rendered.split('\n');
  const common = Math.min(have.length, want.length);
  for (let i = 0; i < common; i += 1) {
    if (have[i] !== want[i] && !sameRow(have[i]!, want[i]!)) return leading + i + 1;
  }
  return have.length === want.length ? undefined : leading + common + 1;
}

export interface StaleBlock {
  block: GeneratedBlock;
  /** The file line where the content first differs. */
  line: number;
}

/** The blocks whose content no longer reads as the incident files give it. */
export function staleBlocks(text: string, blocks: GeneratedBlock[], facts: PostmortemFacts, zone: string): StaleBlock[] {
  const stale: StaleBlock[] = [];
  for (const block of blocks) {
    const offset = firstDifference(text.slice(block.contentStart, block.contentEnd), renderBlock(block.name, facts, zone));
    if (offset !== undefined) stale.push({ block, line: Math.min(block.startLine + offset, block.endLine) });
  }
  return stale;
}

/**
 * The text with the given blocks' content replaced by what the incident files give; every
 * other byte (the markers themselves included) as it was.
 */
export function rewriteBlocks(text: string, blocks: GeneratedBlock[], facts: PostmortemFacts, zone: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const block of [...blocks].sort((a, b) => a.contentStart - b.contentStart)) {
    const content = renderBlock(block.name, facts, zone).split('\n');
    parts.push(text.slice(at, block.contentStart), content.map((line) => line + block.lineBreak).join(''));
    at = block.contentEnd;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * The text with the content of its generated blocks blanked (line breaks kept, so lines keep
 * their numbers): what people wrote, for the rules that read prose. Unchanged where the
 * markers are broken.
 */
export function withoutGeneratedContent(text: string, lineOffset = 0): string {
  if (!mayHoldMarkers(text)) return text;
  const { blocks, problems } = findBlocks(text, 1, lineOffset);
  if (problems.length > 0 || blocks.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const block of blocks) {
    parts.push(text.slice(at, block.contentStart), text.slice(block.contentStart, block.contentEnd).replace(/[^\n]+/g, ''));
    at = block.contentEnd;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** How to add the markers by hand, for a postmortem written without them. */
export function markerHelp(names: readonly BlockName[]): string {
  return names.map((name) => `  ${startMarker(name)}\n  ${endMarker(name)}`).join('\n');
}
