import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findSeverity, parseSeverityMatrix, resolveSeverity } from '../../src/domain/severity.js';
import { readYamlFile } from '../../src/domain/yaml-document.js';

const load = (text: string) => {
  const { data, lineOf } = readYamlFile(text, 'incident-severity.yaml');
  return parseSeverityMatrix(data, 'incident-severity.yaml', lineOf);
};

describe('severity matrix', () => {
  const matrix = load(readFileSync(new URL('../../templates/incident-severity.yaml', import.meta.url), 'utf8'));

  it('ships the SEV1-SEV4 table with the keys inc acts on', () => {
    expect(matrix.levels.map((l) => l.name)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    const [sev1, sev2] = matrix.levels;
    expect(sev1).toMatchObject({ updateEveryMinutes: 15, escalateAfterMinutes: 30, postmortemRequired: true, postmortemDueBusinessDays: 5 });
    expect(sev2).toMatchObject({ updateEveryMinutes: 30, postmortemRequired: true, postmortemDueBusinessDays: 5 });
    expect(matrix.levels[2]!.postmortemRequired).toBe(false);
  });

  it('reads 2, SEV2 and sev2 as the same level and refuses others listing the valid ones', () => {
    for (const input of ['2', 'SEV2', 'sev2', ' Sev2 ']) expect(findSeverity(matrix, input)?.name).toBe('SEV2');
    expect(() => resolveSeverity(matrix, '7')).toThrow(/no such severity/);
    expect(() => resolveSeverity(matrix, 'SEV7')).toThrow(
      expect.objectContaining({ exitCode: 2, hint: expect.stringContaining('SEV1, SEV2, SEV3, SEV4') }),
    );
  });

  it('follows renamed levels (P1-P5)', () => {
    const p = load('severities:\n' + [1, 2, 3, 4, 5].map((n) => `  P${n}:\n    description: level ${n}\n`).join(''));
    expect(findSeverity(p, '3')?.name).toBe('P3');
    expect(findSeverity(p, 'p5')?.name).toBe('P5');
    expect(findSeverity(p, 'SEV3')).toBeUndefined();
  });

  it('reports a malformed matrix with its line', () => {
    expect(() => load('severities:\n  SEV1:\n    description: x\n    update_every_minutes: soon\n')).toThrow(
      'incident-severity.yaml:4: update_every_minutes must be a positive number of minutes, found "soon"',
    );
    expect(() => load('severities:\n  SEV1:\n    response_time: 5m\n')).toThrow('incident-severity.yaml:2: severity SEV1 needs a description');
    expect(() => load('severities:\n  SEV1: {description: a}\n  SEV1: {description: b}\n')).toThrow(/incident-severity.yaml:3: invalid YAML/);
    expect(() => load('severities: [SEV1]\n')).toThrow(/incident-severity.yaml:1: "severities" must be a mapping/);
  });
});
