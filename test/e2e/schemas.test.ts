/**
 * The JSON Schemas in schemas/ (for editors and other tools) accept every file inc writes and
 * the worked examples, and refuse what inc itself refuses; checked with ajv, a standard
 * validator, on what a standard YAML parser reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepoWithIncident, PAYMENT_OUTAGE as ID, ROOT, type TempRepo } from '../helpers/repo.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
const schema = (name: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')) as object);
const incident = schema('incident.schema.json');
const postmortem = schema('postmortem.schema.json');
const matrix = schema('severity-matrix.schema.json');
const config = schema('config.schema.json');

/** The front matter of a markdown file, as a YAML parser reads it. */
const frontMatter = (text: string): unknown => parse(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]!);

function valid(validate: ValidateFunction, data: unknown, what: string): void {
  const ok = validate(data);
  expect(ok, `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

let repo: TempRepo;
beforeAll(async () => {
  repo = await makeRepoWithIncident();
  await repo.ok(['assign', '--commander', 'Alice', '--sme', 'Bob']);
  await repo.ok(['milestone', 'started', '--at', '14:02']);
  await repo.ok(['ack', '--at', '14:06']);
  await repo.ok(['mitigate', '--at', '14:22']);
  await repo.ok(['resolve', '--at', '15:00']);
  await repo.ok(['postmortem', '--no-branch']);
  await repo.ok(['init', '--timezone', 'Europe/Berlin']);
});
afterAll(() => repo?.cleanup());

describe('schemas/', () => {
  it('accept every file inc writes', () => {
    valid(incident, frontMatter(repo.read(`incidents/${ID}/incident.md`)), 'incident.md');
    valid(postmortem, frontMatter(repo.read(`incidents/${ID}/postmortem.md`)), 'postmortem.md');
    valid(matrix, parse(repo.read('incident-severity.yaml')), 'incident-severity.yaml');
    valid(config, parse(repo.read('.inc/config.yaml')), '.inc/config.yaml');
  });

  it('accept the worked examples of this repository', () => {
    valid(matrix, parse(readFileSync(join(ROOT, 'incident-severity.yaml'), 'utf8')), 'incident-severity.yaml');
    const folders = readdirSync(join(ROOT, 'incidents'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      const dir = join(ROOT, 'incidents', folder.name);
      valid(incident, frontMatter(readFileSync(join(dir, 'incident.md'), 'utf8')), `${folder.name}/incident.md`);
      if (readdirSync(dir).includes('postmortem.md')) valid(postmortem, frontMatter(readFileSync(join(dir, 'postmortem.md'), 'utf8')), `${folder.name}/postmortem.md`);
    }
  });

  it('refuse what inc refuses', () => {
    const written = frontMatter(repo.read(`incidents/${ID}/incident.md`)) as Record<string, unknown>;
    expect(incident({ ...written, detected_at: 'yesterday at two' })).toBe(false);
    expect(incident({ ...written, id: 'Not An Id' })).toBe(false);
    expect(incident({ ...written, title: undefined })).toBe(false);
    expect(postmortem({ incident: ID, status: 'finished' })).toBe(false);
    expect(postmortem({ incident: ID, status: 'draft', due_date: '20 March' })).toBe(false);
    expect(matrix({ severities: {} })).toBe(false);
    expect(matrix({ severities: { SEV1: { description: 'x', update_every_minutes: -5 } } })).toBe(false);
    expect(matrix({ severities: { '1st': { description: 'x' } } })).toBe(false);
    expect(config({ commit: 'yes' })).toBe(false);
    expect(config({ lock_timeout_seconds: 0 })).toBe(false);
  });
});
