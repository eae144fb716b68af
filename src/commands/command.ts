/**
 * What a command module gives main.ts, and the registry of commands main.ts keeps: their own
 * small module, so that commands (describe and completion read the registry) and main.ts
 * share the types without importing each other.
 */
import type { Command } from 'commander';
import type { Context } from '../io/context.js';

export interface CommandModule {
  build(ctx: Context): Command;
}

/** The groups of `inc --help`, in order. */
export const GROUP_ORDER = ['During an incident', 'After an incident', 'Setup and reports'] as const;

export interface CommandEntry {
  summary: string;
  group: (typeof GROUP_ORDER)[number];
  load: () => Promise<CommandModule>;
  /** Plumbing for the shell (`inc __complete`): left out of help, describe and suggestions. */
  hidden?: boolean;
}

/** Every command by name: main.ts's table. */
export type CommandRegistry = Record<string, CommandEntry>;
