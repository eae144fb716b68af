import { describe, expect, it } from 'vitest';
import { editDistance, nearMisses } from '../../src/domain/suggest.js';

const COMMANDS = ['init', 'open', 'log', 'ack', 'identify', 'mitigate', 'resolve', 'milestone', 'assign', 'sev', 'status', 'comms', 'runbook', 'sync', 'postmortem', 'actions', 'check', 'list', 'show', 'stats'];

describe('near misses', () => {
  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(editDistance('lgo', 'log')).toBe(1);
    expect(editDistance('use', 'sev')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('names what a typo meant', () => {
    expect(nearMisses('lgo', COMMANDS)).toEqual(['log']);
    expect(nearMisses('opne', COMMANDS)).toEqual(['open']);
    expect(nearMisses('mitgate', COMMANDS)).toEqual(['mitigate']);
    expect(nearMisses('postmorten', COMMANDS)).toEqual(['postmortem']);
    expect(nearMisses('LIST', COMMANDS)).toEqual(['list']);
    expect(nearMisses('stat', COMMANDS)).toEqual(['status', 'stats']);
  });

  it('suggests nothing that is not a near miss', () => {
    expect(nearMisses('use', COMMANDS)).toEqual([]);
    expect(nearMisses('edit', COMMANDS)).toEqual([]);
    expect(nearMisses('v', COMMANDS)).toEqual([]);
    expect(nearMisses('frobnicate', COMMANDS)).toEqual([]);
    expect(nearMisses('', COMMANDS)).toEqual([]);
  });
});
