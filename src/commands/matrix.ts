/**
 * The severity matrix as commands take it: kept apart from shared.ts, since reading the
 * matrix may load the YAML parser, which `inc log` must not pay for.
 */
import type { SeverityMatrix } from '../domain/severity.js';
import type { Context } from '../io/context.js';
import { loadMatrix } from '../store/matrix.js';
import type { Project } from '../store/project.js';

/** Contexts already warned about the matrix's bad values: once per command. */
const warnedOfMatrix = new WeakSet<Context>();

/**
 * The severity matrix, with a warning (once) for each value it could not read: a bad value
 * stops only a command that needs it, which then names its file and line.
 */
export function matrixFor(ctx: Context, project: Project): SeverityMatrix {
  const matrix = loadMatrix(project);
  if (matrix.problems.length > 0 && !warnedOfMatrix.has(ctx)) {
    warnedOfMatrix.add(ctx);
    for (const problem of matrix.problems) ctx.stderr.write(`warning: ${problem.message} (until it is fixed, what needs this value stops or leaves it out)\n`);
  }
  return matrix;
}
