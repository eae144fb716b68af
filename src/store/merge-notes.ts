/**
 * Values a merge of incident.md did not keep (both clones changed one field), waiting in
 * `.git/inc/merge-notes.jsonl` (never committed) until `inc sync` records them in the
 * incident's timeline. The merge driver cannot write timeline.md itself: git merges each
 * file on its own and writes the results afterwards.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface PendingNote {
  incident: string;
  /** Epoch milliseconds: when the value that was not kept had been set. */
  at: number;
  text: string;
  /** The field and the value the merge kept: a note is recorded only while that still holds. */
  key: string;
  kept: unknown;
}

const FILE = 'merge-notes.jsonl';

export function addPendingNotes(stateDir: string, notes: PendingNote[]): void {
  if (notes.length === 0) return;
  mkdirSync(stateDir, { recursive: true });
  appendFileSync(join(stateDir, FILE), notes.map((note) => `${JSON.stringify(note)}\n`).join(''));
}

/** Takes the waiting notes out of the file (renamed first: a driver running meanwhile starts a new one). */
export function takePendingNotes(stateDir: string): PendingNote[] {
  const path = join(stateDir, FILE);
  const taken = `${path}.${process.pid}`;
  try {
    renameSync(path, taken);
  } catch {
    return [];
  }
  try {
    return readFileSync(taken, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          const note = JSON.parse(line) as PendingNote;
          return typeof note.incident === 'string' && typeof note.text === 'string' && typeof note.at === 'number' ? [note] : [];
        } catch {
          return [];
        }
      });
  } finally {
    rmSync(taken, { force: true });
  }
}
