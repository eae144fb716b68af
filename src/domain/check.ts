/**
 * The rules of `inc check`: pure functions from file texts to findings, each with the file,
 * the line and what to do. The command reads the files; nothing here touches the disk, so
 * every rule is tested on strings. Errors fail CI; warnings are printed and pass.
 */
import { type BlameRules, blamingPhrases, mayHoldBlame } from './blame.js';
import { FileError, IncError } from './errors.js';
import { type FrontMatter, normaliseText, parseFrontMatter } from './frontmatter.js';
import { isIncidentId } from './ids.js';
import { interruptionProblems } from './metrics.js';
import { closingOf, type Incident, incidentFromFrontMatter, isClosedWithoutResponse, MILESTONES, milestoneConflicts, milestoneKey, statusOf } from './incident.js';
import {
  blankComments,
  codeFenceTracker,
  isOverdue,
  parseDueDate,
  POSTMORTEM_STATUSES,
  postmortemDueDate,
  postmortemStatus,
  readActionTable,
  REQUIRED_SECTIONS,
  findSections,
  visitSectionContent,
} from './postmortem.js';
import { findBlocks, mayHoldMarkers, type PostmortemFacts, postmortemFacts, staleBlocks, withoutGeneratedContent } from './postmortem-blocks.js';
import { findSeverity, type SeverityMatrix, unknownSeverityExplained, valueProblem } from './severity.js';
import { countCells, parseTimeline } from './timeline.js';
import { correctionProblems } from './corrections.js';
import { readYamlMapping } from './yaml-document.js';

export type FindingLevel = 'error' | 'warning';

export const RULES = {
  'unreadable-file': 'File does not parse',
  'severity-matrix': 'Severity matrix',
  'unknown-severity': 'Severity not in the matrix',
  milestones: 'Milestones',
  'timeline-row': 'Timeline row',
  'timeline-correction': 'Timeline correction naming no entry',
  'postmortem-due': 'Postmortem missing or past due',
  'postmortem-metadata': 'Postmortem front matter',
  'postmortem-section': 'Postmortem section unfinished',
  'postmortem-generated': 'Postmortem generated block',
  'action-item': 'Action item',
  'blaming-language': 'Blaming language',
  'incident-folder': 'Not an incident folder',
} as const;
export type RuleId = keyof typeof RULES;

export interface Finding {
  /** Repository-relative path. */
  file: string;
  /** 1-based. */
  line: number;
  level: FindingLevel;
  rule: RuleId;
  message: string;
}

export interface IncidentFiles {
  /** The folder name under incidents/. */
  id: string;
  /** Repository-relative folder, `incidents/<id>`. */
  folder: string;
  incident?: string;
  timeline?: string;
  postmortem?: string;
}

export interface CheckOptions {
  /** Null when the matrix itself does not parse (reported once, by checkMatrixError). */
  matrix: SeverityMatrix | null;
  /** `YYYY-MM-DD` in the configured zone. */
  today: string;
  now: number;
  zone: string;
  /** Prompt lines of the postmortem template(s) in effect. */
  prompts: Set<string>;
  /** The repository's own blaming phrases and silenced ones (.inc/config.yaml `blameless:`). */
  blame?: BlameRules;
}

function finding(file: string, line: number, level: FindingLevel, rule: RuleId, message: string): Finding {
  return { file, line: Math.max(1, line), level, rule, message };
}

function fromError(error: unknown, file: string, rule: RuleId): Finding {
  if (error instanceof FileError) return finding(error.file, error.line, 'error', rule, error.detail);
  if (error instanceof IncError) return finding(file, 1, 'error', rule, error.message);
  throw error;
}

/** What a listing of incidents/ shows for one entry. */
export interface FolderEntry {
  name: string;
  kind: 'folder' | 'file' | 'link' | 'other';
}

/** Files that belong directly under incidents/: its README (inc init writes one) and a keep file. */
const KNOWN_FILES = new Set(['readme.md', '.gitkeep', '.keep']);

/**
 * Every entry under incidents/ that is not an incident folder. inc reads incidents only from
 * folders named by an id, so a pull request could otherwise merge a postmortem no check reads
 * under another name (`incidents/notes/`, a name holding a line feed, an impossible date).
 */
export function checkIncidentEntries(entries: FolderEntry[], incidentsDir: string): Finding[] {
  const findings: Finding[] = [];
  for (const entry of entries) {
    const path = `${incidentsDir}/${entry.name}`;
    const error = (message: string) => findings.push(finding(path, 1, 'error', 'incident-folder', message));
    if (entry.kind === 'file') {
      if (!KNOWN_FILES.has(entry.name.toLowerCase())) {
        findings.push(finding(path, 1, 'warning', 'incident-folder', `a file directly under ${incidentsDir}/: inc reads only incident folders (${incidentsDir}/YYYY-MM-DD-slug/)`));
      }
    } else if (entry.kind === 'link') {
      error('is a symbolic link; inc reads incidents only from real folders, so nothing in it is checked');
    } else if (entry.kind === 'other') {
      error('is neither a file nor a folder');
    } else if (!isIncidentId(entry.name)) {
      error(`the folder name is not an incident id (YYYY-MM-DD-slug: lower-case letters, digits and hyphens), so inc reads nothing in it and nothing in it is checked`);
    } else if (parseDueDate(entry.name.slice(0, 10)) === null) {
      error(`the folder name starts with ${entry.name.slice(0, 10)}, which is not a date`);
    }
  }
  return findings;
}

/** A matrix that does not load: one finding at its line. */
export function checkMatrixError(error: unknown, file: string): Finding {
  return fromError(error, file, 'severity-matrix');
}

/** Parses front matter with the full YAML parser as a fallback, as every reader of inc does. */
export function readFrontMatter(text: string, file: string): FrontMatter {
  return parseFrontMatter(text, file, readYamlMapping)!;
}

// ---------------------------------------------------------------------------------------
// incident.md

interface IncidentResult {
  findings: Finding[];
  incident?: Incident;
  keyLines: Record<string, number>;
}

function checkIncidentFile(files: IncidentFiles, options: CheckOptions): IncidentResult {
  const file = `${files.folder}/incident.md`;
  if (files.incident === undefined) {
    return { findings: [finding(file, 1, 'error', 'unreadable-file', `${files.folder} has no incident.md; every incident folder needs one`)], keyLines: {} };
  }
  let fm: FrontMatter;
  let incident: Incident;
  try {
    fm = readFrontMatter(files.incident, file);
    incident = incidentFromFrontMatter(fm, file);
  } catch (error) {
    return { findings: [fromError(error, file, 'unreadable-file')], keyLines: {} };
  }
  const findings: Finding[] = [];
  const line = (key: string) => fm.keyLines[key] ?? 1;
  if (incident.id !== files.id) {
    findings.push(finding(file, line('id'), 'error', 'unreadable-file', `id is "${incident.id}" but the folder is "${files.id}"; make them the same`));
  }
  const unknown = options.matrix && unknownSeverityExplained(options.matrix, incident.severity);
  if (unknown) findings.push(finding(file, line('severity'), 'error', 'unknown-severity', `${unknown.problem}. ${unknown.hint}`));
  findings.push(...milestoneFindings(incident, fm, file));
  return { findings, incident, keyLines: fm.keyLines };
}

function milestoneFindings(incident: Incident, fm: FrontMatter, file: string): Finding[] {
  const findings: Finding[] = [];
  const line = (key: string) => fm.keyLines[key] ?? 1;
  const m = incident.milestones;
  if (m.detected === undefined) {
    findings.push(finding(file, line('detected_at'), 'error', 'milestones', 'detected_at is missing; set it with `inc milestone detected --at <time>`'));
  }
  for (const conflict of milestoneConflicts(m)) {
    findings.push(
      finding(file, line(milestoneKey(conflict.earlier)), 'error', 'milestones', `milestones out of order: ${conflict.message}; correct one with \`inc milestone\``),
    );
  }
  for (const problem of interruptionProblems(m, incident.relapses, incident.reopens)) {
    const key = problem.startsWith('reopen_history') || problem.startsWith('resolved_at') ? 'reopen_history' : 'relapse_history';
    findings.push(finding(file, line(key), 'error', 'milestones', `${problem}; correct the file, or the milestone with \`inc milestone\``));
  }
  if (incident.status === 'duplicate' && incident.duplicateOf === null) {
    findings.push(finding(file, line('status'), 'error', 'milestones', 'status is duplicate but duplicate_of does not name the incident it duplicates; set duplicate_of: <id>, or close it with `inc duplicate <id>`'));
  }
  if (incident.duplicateOf !== null && incident.status !== 'duplicate') {
    findings.push(finding(file, line('duplicate_of'), 'warning', 'milestones', `duplicate_of names ${incident.duplicateOf} but status is ${incident.status}, so it counts as an incident; remove duplicate_of, or close it with \`inc duplicate ${incident.duplicateOf}\``));
  }
  const written = fm.data.status;
  const derived = statusOf(m, closingOf(incident.status));
  if (typeof written === 'string' && written.trim() !== '' && written.trim().toLowerCase() !== derived) {
    findings.push(finding(file, line('status'), 'warning', 'milestones', `status says "${written}" but the milestones say "${derived}"`));
  }
  // An imported incident has the milestones its source recorded (a status page knows no
  // acknowledgement or start of impact): nobody can add them now, so they are not flagged.
  if (m.resolved !== undefined && !isImported(incident) && incident.status === 'resolved') {
    const lost: [string, string][] = [
      ['started', 'TTD and the impact'],
      ['acknowledged', 'TTA'],
      ['mitigated', 'TTM'],
    ];
    for (const [milestone, figures] of lost) {
      if (m[milestone as (typeof MILESTONES)[number]] === undefined) {
        findings.push(
          finding(file, line(`${milestone}_at`), 'warning', 'milestones', `resolved without ${milestone}_at, so ${figures} cannot be computed; set it with \`inc milestone ${milestone} --at <time>\``),
        );
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------
// timeline.md

export function checkTimeline(text: string, file: string, parsed = parseTimeline(text, file)): Finding[] {
  const findings: Finding[] = parsed.problems.map((p) => finding(p.file, p.line, 'error', 'timeline-row', p.detail));
  // An amend or retract row that names no entry corrects nothing: readers skip it.
  for (const p of correctionProblems(parsed.entries, file)) findings.push(finding(p.file, p.line, 'error', 'timeline-correction', p.detail));
  let columns: number | undefined;
  normaliseText(text)
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (!line.startsWith('|') || /^\|?\s*:?-{3,}/.test(line)) return;
      const cells = countCells(line);
      if (columns === undefined) {
        columns = cells;
        return;
      }
      if (cells > columns) {
        findings.push(
          finding(file, index + 1, 'error', 'timeline-row', `row has ${cells} cells but the header has ${columns}; GitHub drops the extra ones: write a | inside a text as \\|`),
        );
      }
    });
  return findings;
}

// ---------------------------------------------------------------------------------------
// postmortem.md

function checkPostmortemFrontMatter(fm: FrontMatter, file: string, files: IncidentFiles): Finding[] {
  const findings: Finding[] = [];
  const line = (key: string) => fm.keyLines[key] ?? 1;
  const incident = fm.data.incident;
  if (incident === undefined || incident === null || incident === '') {
    findings.push(finding(file, 1, 'warning', 'postmortem-metadata', `no "incident:" key; add incident: ${files.id}`));
  } else if (String(incident) !== files.id) {
    findings.push(finding(file, line('incident'), 'error', 'postmortem-metadata', `incident is "${String(incident)}" but the folder is "${files.id}"`));
  }
  const status = postmortemStatus(fm);
  if (!(POSTMORTEM_STATUSES as readonly string[]).includes(status)) {
    findings.push(finding(file, line('status'), 'error', 'postmortem-metadata', `status "${String(fm.data.status)}" is not one of ${POSTMORTEM_STATUSES.join(', ')}`));
  }
  for (const key of ['authors', 'reviewers', 'root_causes']) {
    const value = fm.data[key];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      findings.push(finding(file, line(key), 'error', 'postmortem-metadata', `${key} must be a list of texts, such as [Alice, Bob]`));
    }
  }
  const listed = (key: string) => (Array.isArray(fm.data[key]) ? (fm.data[key] as unknown[]).length : 0);
  if (listed('authors') === 0) findings.push(finding(file, line('authors'), 'warning', 'postmortem-metadata', 'no authors listed'));
  if (status === 'published' && listed('reviewers') === 0) {
    findings.push(finding(file, line('reviewers'), 'warning', 'postmortem-metadata', 'published without reviewers: list who approved it'));
  }
  const due = fm.data.due_date;
  if (due !== undefined && due !== null && (typeof due !== 'string' || parseDueDate(due) === null)) {
    findings.push(finding(file, line('due_date'), 'error', 'postmortem-metadata', `due_date "${String(due)}" is not a date (YYYY-MM-DD)`));
  }
  return findings;
}

function checkSections(fm: FrontMatter, file: string, prompts: Set<string>): Finding[] {
  const findings: Finding[] = [];
  // What inc generated is no prose: a section holding only a generated block is still unwritten.
  const text = blankComments(withoutGeneratedContent(fm.body, fm.bodyStartLine - 1));
  // Sections found without cutting the body into lines; each prose section is read line by line.
  const sections = findSections(text, fm.bodyStartLine);
  const titles = sections.map((s) => s.title.trim());
  // A report written before inc has the sections its team used: what it lacks is said once,
  // as a warning, rather than invented to pass.
  const imported = isImportedPostmortem(fm);
  const absent: string[] = [];
  for (const required of REQUIRED_SECTIONS) {
    const index = titles.findIndex((title) => required.pattern.test(title));
    if (index === -1 && imported) {
      absent.push(required.name);
      continue;
    }
    if (index === -1) {
      findings.push(finding(file, fm.bodyStartLine, 'error', 'postmortem-section', `the "${required.name}" section is missing (a "## ${required.name}" heading)`));
      continue;
    }
    if (!required.prose) continue;
    const section = sections[index]!;
    // The first line that is not blank and still the template's prompt, or whether any is written.
    let prompt: number | undefined;
    let written = false;
    visitSectionContent(text, sections, index, (line, content) => {
      const trimmed = content.trim();
      if (trimmed === '') return false;
      if (prompts.has(trimmed) || /^(TODO|TBD|FIXME)\b/i.test(trimmed)) {
        prompt = line;
        return true;
      }
      written = true;
      return false;
    });
    if (prompt !== undefined) {
      findings.push(finding(file, prompt, 'error', 'postmortem-section', `"${section.title}" still holds the template's prompt; write this section`));
    } else if (!written) {
      findings.push(finding(file, section.line, 'error', 'postmortem-section', `"${section.title}" is empty; write this section`));
    }
  }
  if (absent.length > 0) {
    findings.push(finding(file, fm.bodyStartLine, 'warning', 'postmortem-section', `this imported postmortem has no ${absent.map((name) => `"${name}"`).join(', ')} section; add what is known`));
  }
  return findings;
}

function checkActionItems(fm: FrontMatter, file: string, today: string): Finding[] {
  const table = readActionTable(fm.body, fm.bodyStartLine);
  if (table.sectionLine === null) return []; // reported as a missing section
  const findings: Finding[] = [];
  const at = (line: number | null) => line ?? table.sectionLine!;
  if (table.form === null) {
    findings.push(
      finding(file, table.sectionLine, 'warning', 'action-item', 'no action items: neither a table (| Action | Owner | Priority | Due | Ticket | Status |) nor a list (- [ ] ...)'),
    );
    return findings;
  }
  if (table.headerLine !== null && !table.hasSeparator) {
    findings.push(finding(file, table.headerLine, 'error', 'action-item', 'the action-items table has no |---| row under its header, so GitHub does not show it as a table'));
  }
  if (table.headerLine !== null && table.missingColumns.length > 0) {
    findings.push(finding(file, table.headerLine, 'error', 'action-item', `the action-items table has no ${table.missingColumns.join(', ')} column`));
  }
  for (const line of table.strayRows) {
    findings.push(finding(file, line, 'error', 'action-item', 'this row is not part of the action-items table (a blank line or text ends a markdown table)'));
  }
  if (table.items.length === 0) {
    findings.push(finding(file, at(table.headerLine), 'warning', 'action-item', 'no action items: a postmortem without follow-through changes nothing'));
  }
  // A postmortem brought in from before inc rarely knows every owner and date: those gaps are
  // said once, as a warning, and `?` marks a cell as unknown rather than forgotten.
  const imported = isImportedPostmortem(fm);
  const unknown: number[] = [];
  for (const item of table.items) {
    const missing = (['action', 'owner', 'priority', 'due'] as const).filter((c) => !table.missingColumns.includes(c) && (item[c] === '' || item[c] === UNKNOWN));
    if (missing.length > 0 && imported && !missing.includes('action')) {
      unknown.push(item.line);
    } else if (missing.length > 0) {
      findings.push(finding(file, item.line, 'error', 'action-item', `action item without ${missing.join(', ')}${item.action ? `: "${item.action}"` : ''}`));
    }
    if (item.due !== '' && item.due !== UNKNOWN && item.dueDate === null) {
      findings.push(finding(file, item.line, 'error', 'action-item', `due "${item.due}" is not a date (YYYY-MM-DD)`));
    }
    if (item.status === null) {
      findings.push(finding(file, item.line, 'error', 'action-item', `status "${item.statusText}" is not one inc reads (todo, in progress, done, won't do)`));
    }
    // An unknown status word is reported above; calling it overdue as well would say it twice.
    if (item.status !== null && isOverdue(item, today)) {
      findings.push(finding(file, item.line, 'warning', 'action-item', `overdue since ${item.dueDate}${item.owner ? ` (owner ${item.owner})` : ''}: "${item.action}"`));
    }
  }
  if (unknown.length > 0) {
    findings.push(
      finding(
        file,
        unknown[0]!,
        'warning',
        'action-item',
        `${unknown.length === 1 ? '1 action item' : `${unknown.length} action items`} of this imported postmortem without a known owner, priority or due date (lines ${unknown.join(', ')}); fill them in when known`,
      ),
    );
  }
  return findings;
}

/** A cell or field written as `?`: known to be unknown. */
const UNKNOWN = '?';

/** A postmortem brought in from before inc (`imported:` in its front matter). */
function isImportedPostmortem(fm: FrontMatter): boolean {
  const source = fm.data.imported;
  return source === true || (typeof source === 'string' && source.trim() !== '');
}

function checkBlame(fm: FrontMatter, file: string, prompts: Set<string>, rules: BlameRules | undefined): Finding[] {
  const findings: Finding[] = [];
  const text = blankComments(fm.body);
  if (!mayHoldBlame(text, rules)) return findings;
  const isCode = codeFenceTracker();
  text
    .split('\n')
    .forEach((text, index) => {
      if (isCode(text) || prompts.has(text.trim())) return;
      for (const blame of blamingPhrases(text, rules)) {
        findings.push(
          finding(file, fm.bodyStartLine + index, 'warning', 'blaming-language', `"${blame.phrase}": ${blame.why}; describe what in the system allowed it (blameless postmortem)`),
        );
      }
    });
  return findings;
}

/**
 * The generated blocks (between `<!-- inc:generated NAME -->` and `<!-- inc:end NAME -->`)
 * against what the incident files give now: a block out of date, or markers that
 * `inc postmortem --refresh` cannot read. An error once the postmortem is published (it
 * states as fact what the incident files no longer say), a warning while it is a draft.
 * A postmortem without markers (written by hand, or before inc generated blocks) is not
 * compared. Only a text that holds a marker is read further; compared by rendering each
 * block as the refresh would and comparing the texts.
 */
function checkGeneratedBlocks(fm: FrontMatter, file: string, id: string, facts: () => PostmortemFacts | undefined, zone: string): Finding[] {
  if (!mayHoldMarkers(fm.body)) return [];
  const level: FindingLevel = postmortemStatus(fm) === 'published' ? 'error' : 'warning';
  const { blocks, problems } = findBlocks(fm.body, 1, fm.bodyStartLine - 1);
  if (problems.length > 0) {
    return problems.map((p) => finding(file, p.line, level, 'postmortem-generated', `${p.message}; \`inc postmortem --refresh ${id}\` rewrites nothing until the markers are right`));
  }
  const known = blocks.length > 0 ? facts() : undefined;
  if (!known) return [];
  return staleBlocks(fm.body, blocks, known, zone).map(({ block, line }) =>
    finding(
      file,
      block.startLine,
      level,
      'postmortem-generated',
      `the ${block.name} block no longer matches the incident files (it differs from line ${line}); run \`inc postmortem --refresh ${id}\``,
    ),
  );
}

export interface PostmortemResult {
  findings: Finding[];
  frontMatter?: FrontMatter;
}

/**
 * Every finding for a postmortem.md. `facts` gives what its generated blocks should hold
 * (undefined where incident.md does not parse); it is asked only when a block is there.
 */
export function checkPostmortem(
  text: string,
  files: IncidentFiles,
  options: Pick<CheckOptions, 'prompts' | 'today' | 'blame'> & { zone?: string },
  facts: () => PostmortemFacts | undefined = () => undefined,
): PostmortemResult {
  const file = `${files.folder}/postmortem.md`;
  let fm: FrontMatter;
  try {
    fm = readFrontMatter(text, file);
  } catch (error) {
    return { findings: [fromError(error, file, 'unreadable-file')] };
  }
  return {
    frontMatter: fm,
    findings: [
      ...checkPostmortemFrontMatter(fm, file, files),
      ...checkSections(fm, file, options.prompts),
      ...checkActionItems(fm, file, options.today),
      ...checkBlame(fm, file, options.prompts, options.blame),
      ...checkGeneratedBlocks(fm, file, files.id, facts, options.zone ?? 'UTC'),
    ],
  };
}

// ---------------------------------------------------------------------------------------
// The postmortem a resolved incident owes

/** Imported by `inc import` (its `imported:` key names the source). */
export function isImported(incident: Incident): boolean {
  const source = incident.extra.imported;
  return typeof source === 'string' && source.trim() !== '';
}

/** An external postmortem (a wiki page, a published report): an http(s) URL or a path in the repository. */
const POSTMORTEM_URL = /^(?:https?:\/\/\S+|[\w./-]+\.md)$/i;

function checkPostmortemDue(incident: Incident, keyLines: Record<string, number>, files: IncidentFiles, postmortem: FrontMatter | undefined, options: CheckOptions): Finding[] {
  const incidentFile = `${files.folder}/incident.md`;
  const url = incident.extra.postmortem_url;
  if (url !== undefined && url !== null && url !== '' && (typeof url !== 'string' || !POSTMORTEM_URL.test(url.trim()))) {
    return [finding(incidentFile, keyLines.postmortem_url ?? 1, 'error', 'postmortem-metadata', `postmortem_url "${String(url)}" is not an http(s) URL or a .md path`)];
  }
  const resolved = incident.milestones.resolved;
  // Declined and duplicate incidents owe no postmortem: there was no incident to review.
  if (resolved === undefined || incident.drill || !options.matrix || isClosedWithoutResponse(incident.status)) return [];
  const level = findSeverity(options.matrix, incident.severity);
  // A bad value is a finding of the matrix itself; nothing can be said here without it.
  if (!level || valueProblem(level, 'postmortemRequired') || valueProblem(level, 'postmortemDueBusinessDays') || !level.postmortemRequired) return [];
  // The postmortem written elsewhere counts: the requirement is that one exists.
  if (files.postmortem === undefined && typeof url === 'string' && url.trim() !== '') return [];
  const written = typeof postmortem?.data.due_date === 'string' ? parseDueDate(postmortem.data.due_date) : null;
  const due = written ?? postmortemDueDate(resolved, options.now, options.zone, level);
  if (files.postmortem === undefined && isImported(incident)) {
    // History from before inc: a gap to close, not a build to fail.
    return [
      finding(
        incidentFile,
        keyLines.resolved_at ?? 1,
        'warning',
        'postmortem-due',
        `${level.name} (imported) has no postmortem here; link the one that exists with postmortem_url: <URL> in incident.md, or write one with \`inc postmortem ${files.id}\``,
      ),
    ];
  }
  if (files.postmortem === undefined) {
    if (due !== null && options.today > due) {
      return [finding(incidentFile, keyLines.resolved_at ?? 1, 'error', 'postmortem-due', `${level.name} needs a postmortem, due ${due}, and there is none; start it with \`inc postmortem ${files.id}\``)];
    }
    return [finding(incidentFile, keyLines.resolved_at ?? 1, 'warning', 'postmortem-due', `${level.name} needs a postmortem${due ? ` by ${due}` : ''}; start it with \`inc postmortem ${files.id}\``)];
  }
  if (postmortem && due !== null && options.today > due) {
    const status = postmortemStatus(postmortem);
    if (status !== 'published') {
      return [finding(`${files.folder}/postmortem.md`, postmortem.keyLines.status ?? 1, 'error', 'postmortem-due', `the postmortem is still ${status}; it was due ${due}`)];
    }
  }
  return [];
}

/** Every finding for one incident folder. */
export function checkIncident(files: IncidentFiles, options: CheckOptions): Finding[] {
  const incident = checkIncidentFile(files, options);
  const findings = [...incident.findings];
  const timelineFile = `${files.folder}/timeline.md`;
  // Parsed once: the timeline's rules and the postmortem's generated blocks both read it.
  const timeline = files.timeline === undefined ? { entries: [], problems: [] } : parseTimeline(files.timeline, timelineFile);
  if (files.timeline === undefined) {
    if (files.incident !== undefined) findings.push(finding(`${files.folder}/incident.md`, 1, 'warning', 'timeline-row', `${files.folder} has no timeline.md`));
  } else {
    findings.push(...checkTimeline(files.timeline, timelineFile, timeline));
  }
  let postmortem: PostmortemResult | undefined;
  if (files.postmortem !== undefined) {
    const known = incident.incident;
    const facts = () => (known ? postmortemFacts(known, timeline) : undefined);
    postmortem = checkPostmortem(files.postmortem, files, options, facts);
    findings.push(...postmortem.findings);
  }
  if (incident.incident) findings.push(...checkPostmortemDue(incident.incident, incident.keyLines, files, postmortem?.frontMatter, options));
  return findings;
}

/** Findings in the order a reader goes through them: by file, then line, errors first. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}
