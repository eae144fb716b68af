/**
 * Shell completion. `inc completion bash|zsh|fish` prints a small script; on every <TAB> the
 * script runs `inc __complete -- <words...>` once (the `--` keeps a typed `--` a word), and
 * inc answers with the candidates, one per line as `value<TAB>description`: commands, flags and subcommands read from the same
 * commander definitions the CLI parses with, severity names from the matrix, services seen in
 * incidents and runbooks, and incident ids (the open ones; all of them when no open one
 * matches what was typed). The answer is computed in one start of inc, from this clone's
 * caches, so a <TAB> costs what `inc list` costs.
 *
 * The shell scripts are written here rather than taken from a library: @pnpm/tabtab installs
 * itself by editing the user's shell start-up files (we print a script the user sources, as
 * gh and kubectl do), and @bomb.sh/tab is still at 0.0.x. The protocol is kubectl's and
 * gh's (cobra's `__complete`), which keeps the scripts to a few lines per shell.
 */
import type { Command, Option } from 'commander';
import { UsageError } from '../domain/errors.js';
import { MILESTONES } from '../domain/incident.js';
import { COMMS_PHASES } from '../domain/response.js';
import type { Context } from '../io/context.js';
import { loadMatrix } from '../store/matrix.js';
import { openProject, type Project } from '../store/project.js';
import { loadAllIncidents } from '../store/read-all.js';
import type { CommandModule, CommandRegistry } from './command.js';
import { listRunbooks } from './runbook.js';
import { configureCommand, newCommand } from './shared.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const BASH = `# inc completion for bash. Install: echo 'source <(inc completion bash)' >> ~/.bashrc
_inc_complete() {
  local IFS=$'\\n' line
  local -a candidates
  COMPREPLY=()
  for line in $(inc __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null); do
    candidates+=("\${line%%$'\\t'*}")
  done
  COMPREPLY=("\${candidates[@]}")
}
complete -o default -F _inc_complete inc
`;

const ZSH = `#compdef inc
# inc completion for zsh. Install: echo 'source <(inc completion zsh)' >> ~/.zshrc
# (after compinit), or save it as _inc in a folder of your $fpath.
_inc() {
  local -a candidates
  local line
  for line in "\${(@f)$(inc __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    [[ -n $line ]] || continue
    candidates+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
  done
  _describe -t values 'inc' candidates
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _inc "$@"
else
  compdef _inc inc
fi
`;

const FISH = `# inc completion for fish. Install: inc completion fish > ~/.config/fish/completions/inc.fish
function __inc_complete
    set -l words (commandline -opc)
    set -e words[1]
    inc __complete -- $words (commandline -ct) 2>/dev/null
end
complete -c inc -f -a '(__inc_complete)'
`;

const SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH };

export function completionCommand(): CommandModule {
  return {
    build: (ctx: Context) =>
      newCommand('completion', 'Print the shell completion script for bash, zsh or fish', [
        "echo 'source <(inc completion bash)' >> ~/.bashrc",
        "echo 'source <(inc completion zsh)' >> ~/.zshrc      # after compinit",
        'inc completion fish > ~/.config/fish/completions/inc.fish',
      ])
        .argument('<shell>', `the shell: ${SHELLS.join(', ')}`)
        .action((shell: string) => {
          if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`inc completion: no script for "${shell}"`, `Choose one of ${SHELLS.join(', ')}.`);
          ctx.stdout.write(SCRIPTS[shell as Shell]);
        }),
  };
}

interface Candidate {
  value: string;
  description: string;
}

/** What the repository offers as values: read once, and only when a value is asked for. */
class RepositoryWords {
  private project: Promise<Project | undefined> | undefined;

  constructor(private readonly ctx: Context) {}

  private open(): Promise<Project | undefined> {
    this.project ??= openProject(this.ctx).catch(() => undefined);
    return this.project;
  }

  async severities(): Promise<Candidate[]> {
    const project = await this.open();
    if (!project) return [];
    return loadMatrix(project).levels.map((level) => ({ value: level.name, description: level.description ?? '' }));
  }

  /** Incident ids matching `typed`: the open ones, or every one where no open one matches. */
  async incidents(typed: string, openFirst: boolean): Promise<Candidate[]> {
    const project = await this.open();
    if (!project) return [];
    const records = (await loadAllIncidents(project)).records.map((record) => record.incident).filter((incident) => incident.id.startsWith(typed));
    const open = records.filter((incident) => incident.status !== 'resolved');
    const chosen = openFirst && open.length > 0 ? open : records;
    return chosen.map((incident) => ({ value: incident.id, description: `${incident.severity} ${incident.status}: ${incident.title}` }));
  }

  async services(): Promise<Candidate[]> {
    const project = await this.open();
    if (!project) return [];
    const seen = new Set<string>(listRunbooks(project));
    for (const record of (await loadAllIncidents(project)).records) for (const service of record.incident.services) seen.add(service);
    return [...seen].sort().map((service) => ({ value: service, description: 'service' }));
  }
}

function optionCandidates(command: Command, used: string[]): Candidate[] {
  const options = [...command.options, ...(command.createHelp().visibleOptions(command).filter((option) => option.long === '--help'))];
  return options
    .filter((option) => option.long && (!used.includes(option.long) || option.variadic || Array.isArray(option.defaultValue)))
    .map((option) => ({ value: option.long!, description: option.description }));
}

function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((option) => option.long === flag || option.short === flag);
}

/** Values for an option or argument, by what it names. */
async function valuesFor(name: string, choices: readonly string[] | undefined, typed: string, words: RepositoryWords, registry: CommandRegistry): Promise<Candidate[]> {
  if (choices) return choices.map((choice) => ({ value: choice, description: '' }));
  if (name === 'incident') return words.incidents(typed, true);
  if (name === 'id') return words.incidents(typed, false);
  if (name === 'sev' || name === 'severity' || name === 'level') return words.severities();
  if (name === 'phase') return COMMS_PHASES.map((phase) => ({ value: phase, description: '' }));
  if (name === 'milestone') return MILESTONES.map((milestone) => ({ value: milestone, description: '' }));
  if (name === 'service') return words.services();
  if (name === 'command') return visibleCommands(registry);
  if (name === 'shell') return SHELLS.map((shell) => ({ value: shell, description: '' }));
  return [];
}

function visibleCommands(registry: CommandRegistry): Candidate[] {
  return Object.entries(registry)
    .filter(([, entry]) => !entry.hidden)
    .map(([name, entry]) => ({ value: name, description: entry.summary }));
}

/** The candidates for the last word of `words` (the one being typed, possibly empty). */
export async function complete(ctx: Context, registry: CommandRegistry, words: string[]): Promise<Candidate[]> {
  const typed = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const repository = new RepositoryWords(ctx);
  if (before.length === 0) {
    if (typed.startsWith('-')) return ['--help', '--version', '--no-color'].map((value) => ({ value, description: '' }));
    return visibleCommands(registry);
  }
  const name = before[0]!;
  const entry = Object.hasOwn(registry, name) && !registry[name]!.hidden ? registry[name]! : undefined;
  if (name === 'help' && before.length === 1) return visibleCommands(registry);
  if (!entry) return [];
  let command: Command = configureCommand((await entry.load()).build(ctx), ctx);
  // Walk subcommands (`runbook new`) and count the positional words given so far.
  let positionals = 0;
  let afterDashes = false;
  for (let i = 1; i < before.length; i += 1) {
    const word = before[i]!;
    if (afterDashes) {
      positionals += 1;
    } else if (word === '--') {
      afterDashes = true;
    } else if (word.startsWith('-')) {
      const option = findOption(command, word.split('=')[0]!);
      if (option && (option.required || option.optional) && !word.includes('=')) i += 1; // its value
    } else {
      const sub = positionals === 0 ? command.commands.find((c) => c.name() === word) : undefined;
      if (sub) command = sub;
      else positionals += 1;
    }
  }
  const previous = before.at(-1)!;
  const previousOption = previous.startsWith('-') && !afterDashes ? findOption(command, previous) : undefined;
  if (previousOption && (previousOption.required || previousOption.optional) && !previous.includes('=')) {
    return valuesFor(previousOption.attributeName(), previousOption.argChoices, typed, repository, registry);
  }
  if (typed.startsWith('-') && !afterDashes) return optionCandidates(command, before);
  if (positionals === 0 && command.commands.length > 0) return command.commands.map((sub) => ({ value: sub.name(), description: sub.description() }));
  const argument = command.registeredArguments[Math.min(positionals, command.registeredArguments.length - 1)];
  if (!argument || (positionals >= command.registeredArguments.length && !argument.variadic)) return [];
  return valuesFor(argument.name(), argument.argChoices, typed, repository, registry);
}

export function completeCommand(registry: CommandRegistry): CommandModule {
  return {
    build: (ctx: Context) =>
      newCommand('__complete', 'Completion candidates for the shell scripts of `inc completion`', ['inc __complete -- log --incident 2026-'])
        .argument('[words...]', 'the words typed after inc, the last one being completed')
        .allowUnknownOption()
        .helpOption(false)
        .action(async (words: string[]) => {
          let candidates: Candidate[] = [];
          try {
            candidates = await complete(ctx, registry, words.length === 0 ? [''] : words);
          } catch {
            // A <TAB> never prints an error into the command line being typed.
          }
          const typed = words.at(-1) ?? '';
          const lines = candidates.filter((c) => c.value.startsWith(typed)).map((c) => `${c.value}\t${c.description.replace(/\s+/g, ' ')}`);
          if (lines.length > 0) ctx.stdout.write(`${lines.join('\n')}\n`);
        }),
  };
}
