/**
 * The README's transcript of one incident, from `inc open` to `inc postmortem publish`, is a
 * real run: this test replays its commands in a temporary repository, each at the time its
 * prompt shows (`14:06 $ inc ack`), with stdout and stderr in the order a terminal shows them,
 * and compares what they print with the README, so that the two cannot drift apart.
 *
 * After a deliberate change of what the commands print, regenerate the block:
 *   INC_UPDATE_TRANSCRIPT=1 npx vitest run test/e2e/transcript.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFromEnv, type Context } from '../../src/io/context.js';
import { run } from '../../src/main.js';
import { finishPostmortem } from '../helpers/postmortem.js';
import { collector, makeRepo, ROOT, type TempRepo } from '../helpers/repo.js';

const README = join(ROOT, 'README.md');
const MARK = '<!-- A real run: test/e2e/transcript.test.ts replays it and compares. -->\n```console\n';
const DATE = '2026-03-15';

interface Command {
  time: string;
  line: string;
}

/** The block after MARK: its place in the README and the commands of its prompts. */
function readBlock(readme: string): { start: number; end: number; text: string; commands: Command[] } {
  const at = readme.indexOf(MARK);
  if (at === -1) throw new Error(`README.md has no transcript block (${JSON.stringify(MARK)})`);
  const start = at + MARK.length;
  const end = readme.indexOf('```\n', start);
  const text = readme.slice(start, end);
  const commands = [...text.matchAll(/^(\d{2}:\d{2}) \$ (.+)$/gm)].map((m) => ({ time: m[1]!, line: m[2]! }));
  return { start, end, text, commands };
}

/** The words of a command line as a POSIX shell splits them: quotes, no expansions. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    words.push(match[1] ?? match[2]?.replace(/\\(.)/g, '$1') ?? match[3]!);
  }
  return words;
}

/** Runs one inc command in-process; stdout and stderr go to one stream, in the order written. */
async function runAsOnATerminal(repo: TempRepo, args: string[], time: string): Promise<string> {
  const screen = collector();
  const env = { ...repo.env, INC_NOW: `${DATE}T${time}:00Z` };
  const stdin = Readable.from([]) as Readable & { isTTY?: boolean };
  const ctx: Context = { cwd: repo.dir, env, now: clockFromEnv(env), stdin, stdout: screen.stream, stderr: screen.stream };
  const code = await run(args, ctx);
  if (code !== 0) throw new Error(`inc ${args.join(' ')} exited ${code}:\n${screen.text()}`);
  return screen.text();
}

async function replay(repo: TempRepo, commands: Command[]): Promise<string> {
  let transcript = '';
  for (const { time, line } of commands) {
    const [program, ...args] = shellWords(line);
    let output = '';
    if (program === 'inc') output = await runAsOnATerminal(repo, args, time);
    // The one step that is not inc: the team writes the postmortem.
    else if (program === '$EDITOR' && args.length === 1) repo.write(args[0]!, finishPostmortem(repo.read(args[0]!)));
    else throw new Error(`the transcript may run inc and $EDITOR <file> only, not: ${line}`);
    transcript += `${time} $ ${line}\n${output}`;
  }
  return transcript;
}

let repo: TempRepo;
beforeAll(async () => {
  repo = await makeRepo({ init: true });
});
afterAll(() => repo?.cleanup());

describe('the README transcript', () => {
  it('is what its commands print, stdout and stderr as a terminal shows them', async () => {
    const readme = readFileSync(README, 'utf8');
    const block = readBlock(readme);
    expect(block.commands.length, 'a short story: about fifteen commands').toBeGreaterThanOrEqual(10);
    const printed = await replay(repo, block.commands);
    if (process.env.INC_UPDATE_TRANSCRIPT === '1') writeFileSync(README, readme.slice(0, block.start) + printed + readme.slice(block.end));
    else expect(printed, 'README.md transcript; after a deliberate change: INC_UPDATE_TRANSCRIPT=1 npx vitest run test/e2e/transcript.test.ts').toBe(block.text);
  });
});
