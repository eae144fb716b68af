import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findSeverity, parseSeverityMatrix, resolveSeverity, severityRank, unknownSeverityExplained, valueProblem } from '../../src/domain/severity.js';
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

  it('a bad value stops only what reads it: the level loads, the field throws with its line', () => {
    const bad = load('severities:\n  SEV1:\n    description: x\n    update_every_minutes: soon\n    escalate_after_minutes: 30\n  SEV2:\n    response_time: 5m\n');
    expect(bad.problems.map((p) => p.message)).toEqual([
      'incident-severity.yaml:4: update_every_minutes of SEV1 must be a positive number of minutes, found "soon"',
      'incident-severity.yaml:6: severity SEV2 needs a description',
    ]);
    const sev1 = findSeverity(bad, 'SEV1')!;
    expect(sev1.escalateAfterMinutes).toBe(30);
    expect(() => sev1.updateEveryMinutes).toThrow('incident-severity.yaml:4: update_every_minutes of SEV1 must be a positive number of minutes, found "soon"');
    expect(valueProblem(sev1, 'updateEveryMinutes')?.line).toBe(4);
    expect(valueProblem(sev1, 'escalateAfterMinutes')).toBeUndefined();
    expect(() => findSeverity(bad, 'SEV2')!.description).toThrow(/needs a description/);
  });

  it('matches aliases, so that incidents written under an old name keep their level', () => {
    const renamed = load('severities:\n  P1:\n    description: worst\n    aliases: [SEV1, Critical]\n    update_every_minutes: 15\n  P2:\n    description: bad\n');
    expect(findSeverity(renamed, 'SEV1')?.name).toBe('P1');
    expect(findSeverity(renamed, 'critical')?.name).toBe('P1');
    expect(findSeverity(renamed, 'SEV1')?.updateEveryMinutes).toBe(15);
    expect(unknownSeverityExplained(renamed, 'SEV1')).toBeUndefined();
    const explained = unknownSeverityExplained(renamed, 'SEV2')!;
    expect(explained.problem).toBe('severity "SEV2" matches no level or alias of incident-severity.yaml (levels: P1 (also SEV1, Critical), P2)');
    expect(explained.hint).toContain('`aliases: [SEV2]` under P2');
    expect(unknownSeverityExplained(renamed, 'Blocker')!.hint).toContain('aliases: [Blocker]');
  });

  it('follows renamed levels (P1-P5)', () => {
    const p = load('severities:\n' + [1, 2, 3, 4, 5].map((n) => `  P${n}:\n    description: level ${n}\n`).join(''));
    expect(findSeverity(p, '3')?.name).toBe('P3');
    expect(findSeverity(p, 'p5')?.name).toBe('P5');
    expect(findSeverity(p, 'SEV3')).toBeUndefined();
  });

  it('reports a malformed matrix with its line', () => {
    expect(() => load('severities:\n  SEV1:\n    description: x\n    aliases: [P 1]\n')).toThrow(/incident-severity.yaml:4: aliases of SEV1 must be a list of level names/);
    expect(() => load('severities:\n  P1:\n    description: x\n    aliases: [SEV1]\n  P2:\n    description: y\n    aliases: [sev1]\n')).toThrow(
      'incident-severity.yaml:7: alias sev1 of P2 is also a name of P1',
    );
    expect(() => load('severities:\n  SEV1: {description: a}\n  SEV1: {description: b}\n')).toThrow(/incident-severity.yaml:3: invalid YAML/);
    expect(() => load('severities: [SEV1]\n')).toThrow(/incident-severity.yaml:1: "severities" must be a mapping/);
  });
});

describe('finding levels in a large matrix', () => {
  it('finds every one of 5,000 levels by name, number and alias, and ranks it by its place', () => {
    const yaml = `severities:\n${Array.from({ length: 5000 }, (_, i) => `  L${i + 1}:\n    description: level ${i + 1}\n    aliases: [OLD${i + 1}]\n`).join('')}`;
    const big = load(yaml);
    for (const i of [0, 1, 2499, 4999]) {
      const level = big.levels[i]!;
      expect(findSeverity(big, `l${i + 1}`)).toBe(level);
      expect(findSeverity(big, String(i + 1))).toBe(level);
      expect(findSeverity(big, `old${i + 1}`)).toBe(level);
      expect(severityRank(big, level.name)).toBe(i);
    }
    expect(severityRank(big, 'nope')).toBe(5000);
  });
});
