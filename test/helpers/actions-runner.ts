/**
 * A small stand-in for the GitHub Actions runner, enough to run inc's composite action and
 * the workflows `inc init --ci github` writes, on this machine without network: each `run`
 * step goes to `bash --noprofile --norc -eo pipefail` as the runner does, with `${{ }}`
 * expressions substituted (an expression it does not know fails the test), the inputs also
 * as INPUT_* variables, the GITHUB_* variables, and the files behind GITHUB_PATH, GITHUB_ENV,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. `uses:` steps of actions/checkout and
 * actions/setup-node are checked for what they ask (the test prepared the checkout; this
 * Node is the one they would install) and the step that uses inc runs the action.yml of
 * the folder given as `actionPath`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface ActionFile {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
}

export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

export interface RunnerOptions {
  /** The checked-out repository (GITHUB_WORKSPACE). */
  workspace: string;
  /** The folder `uses: <inc action>` resolves to (the action's own checkout). */
  actionPath: string;
  /** The `uses:` value that names inc's action, as the workflow must write it. */
  actionReference: string;
  /** Scratch space: RUNNER_TEMP and the runner's files. */
  temp: string;
  /** The runner machine's environment (PATH, HOME, ...). */
  env: Record<string, string>;
  /** `github.*` context values: base_ref, event_name, ... */
  github: Record<string, string>;
}

export interface StepResult {
  step: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface JobResult {
  steps: StepResult[];
  /** The job's exit: the first failing step's code, else 0. */
  code: number;
  summary: string;
  /** Every line the steps printed to stdout, workflow commands included. */
  log: string;
}

type Context = Record<string, Record<string, string>>;

/** Substitutes `${{ a.b }}` expressions; only plain context lookups, as inc's files use. */
export function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const m = /^([a-z]+)\.([A-Za-z0-9_-]+)$/.exec(expression);
    const value = m ? context[m[1]!]?.[m[2]!] : undefined;
    if (value === undefined) throw new Error(`the test runner does not know the expression \${{ ${expression} }}`);
    return value;
  });
}

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, 'utf8')) as Workflow;
}

function stepName(step: Step, context: Context): string {
  return substitute(step.name ?? step.uses ?? step.run?.split('\n')[0] ?? 'step', context);
}

class Runner {
  private readonly files: Record<'path' | 'env' | 'output' | 'summary', string>;
  private readonly addedPath: string[] = [];
  private readonly addedEnv: Record<string, string> = {};
  readonly results: StepResult[] = [];

  constructor(private readonly options: RunnerOptions) {
    mkdirSync(options.temp, { recursive: true });
    this.files = {
      path: join(options.temp, 'github_path'),
      env: join(options.temp, 'github_env'),
      output: join(options.temp, 'github_output'),
      summary: join(options.temp, 'step_summary.md'),
    };
    for (const file of Object.values(this.files)) writeFileSync(file, '');
  }

  summary(): string {
    return readFileSync(this.files.summary, 'utf8');
  }

  private baseEnv(actionPath?: string): Record<string, string> {
    const { github } = this.options;
    const path = [...this.addedPath.slice().reverse(), this.options.env.PATH ?? ''].join(':');
    return {
      ...this.options.env,
      ...this.addedEnv,
      PATH: path,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.options.workspace,
      GITHUB_EVENT_NAME: github.event_name ?? 'pull_request',
      GITHUB_BASE_REF: github.base_ref ?? '',
      GITHUB_HEAD_REF: github.head_ref ?? '',
      GITHUB_REF: github.ref ?? '',
      GITHUB_SHA: github.sha ?? '',
      GITHUB_REPOSITORY: github.repository ?? 'your-org/ops',
      GITHUB_PATH: this.files.path,
      GITHUB_ENV: this.files.env,
      GITHUB_OUTPUT: this.files.output,
      GITHUB_STEP_SUMMARY: this.files.summary,
      RUNNER_TEMP: this.options.temp,
      RUNNER_OS: 'Linux',
      ...(actionPath ? { GITHUB_ACTION_PATH: actionPath } : {}),
    };
  }

  /** After a step: what it appended to GITHUB_PATH and GITHUB_ENV applies to the next ones. */
  private absorbFiles(): void {
    for (const line of readFileSync(this.files.path, 'utf8').split('\n').filter(Boolean)) if (!this.addedPath.includes(line)) this.addedPath.push(line);
    for (const line of readFileSync(this.files.env, 'utf8').split('\n').filter(Boolean)) {
      const at = line.indexOf('=');
      if (at > 0) this.addedEnv[line.slice(0, at)] = line.slice(at + 1);
    }
  }

  private runScript(name: string, step: Step, context: Context, extraEnv: Record<string, string>, actionPath?: string): number {
    if (step.shell !== undefined && step.shell !== 'bash') throw new Error(`step "${name}": shell ${step.shell} is not bash`);
    const script = join(this.options.temp, `step-${this.results.length}.sh`);
    writeFileSync(script, substitute(step.run!, context));
    const env: Record<string, string> = { ...this.baseEnv(actionPath), ...extraEnv };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = substitute(String(value), context);
    const cwd = step['working-directory'] ? substitute(step['working-directory'], context) : this.options.workspace;
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const code = result.status ?? 1;
    this.results.push({ step: name, code, stdout: result.stdout, stderr: result.stderr });
    this.absorbFiles();
    return code;
  }

  /** Runs inc's composite action with `with` as its inputs; returns its first failing step's code. */
  runAction(withInputs: Record<string, string>, github: Context['github']): number {
    const actionPath = this.options.actionPath;
    const action = parse(readFileSync(join(actionPath, 'action.yml'), 'utf8')) as ActionFile;
    if (action.runs.using !== 'composite') throw new Error(`action.yml runs.using is ${action.runs.using}, not composite`);
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs ?? {})) inputs[name] = spec.default ?? '';
    for (const [name, value] of Object.entries(withInputs)) {
      if (!Object.hasOwn(inputs, name)) throw new Error(`the workflow passes input "${name}", which action.yml does not declare`);
      inputs[name] = value;
    }
    const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
    const context: Context = { inputs, github: { ...github, action_path: actionPath, workspace: this.options.workspace }, runner: { temp: this.options.temp } };
    for (const step of action.runs.steps) {
      if (step.run === undefined) throw new Error(`action.yml step ${step.name ?? step.uses}: only run steps are expected in inc's action`);
      if (step.shell === undefined) throw new Error(`action.yml step ${step.name}: a composite action's run step needs shell:`);
      const code = this.runScript(stepName(step, context), step, context, inputEnv, actionPath);
      if (code !== 0) return code;
    }
    return 0;
  }

  runWorkflowStep(step: Step): number {
    const github = { ...this.options.github, workspace: this.options.workspace };
    const context: Context = { github, runner: { temp: this.options.temp } };
    if (step.uses !== undefined) {
      const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), context)]));
      if (step.uses === 'actions/checkout@v4') {
        // The test cloned the repository into the workspace, with the depth asked for.
        const depth = withInputs['fetch-depth'];
        const full = spawnSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: this.options.workspace, encoding: 'utf8' }).stdout.trim() === 'false';
        if (depth !== undefined && depth !== '0') throw new Error(`checkout asks for fetch-depth ${depth}; the test prepared a full clone`);
        if (!full) throw new Error('the workspace is a shallow clone');
        this.results.push({ step: step.uses, code: 0, stdout: '', stderr: '' });
        return 0;
      }
      if (step.uses === 'actions/setup-node@v4') {
        const wanted = withInputs['node-version'];
        if (wanted !== process.versions.node.split('.')[0]) throw new Error(`setup-node asks for Node ${wanted}; this machine runs ${process.version}`);
        this.results.push({ step: step.uses, code: 0, stdout: '', stderr: '' });
        return 0;
      }
      if (step.uses === 'actions/upload-pages-artifact@v3') {
        // Uploading is GitHub's; what the job must leave behind is the folder it names.
        const folder = join(this.options.workspace, withInputs.path ?? '_site');
        const code = existsSync(join(folder, 'index.html')) ? 0 : 1;
        this.results.push({ step: step.uses, code, stdout: '', stderr: code === 0 ? '' : `${folder}/index.html does not exist` });
        return code;
      }
      if (step.uses === this.options.actionReference) return this.runAction(withInputs, github);
      throw new Error(`the test runner cannot run uses: ${step.uses}`);
    }
    return this.runScript(stepName(step, context), step, context, {});
  }
}

/** Runs one job of a workflow, stopping at the first failing step as GitHub does. */
export function runJob(workflow: Workflow, job: string, options: RunnerOptions): JobResult {
  const steps = workflow.jobs[job]?.steps;
  if (!steps) throw new Error(`the workflow has no job ${job}`);
  const runner = new Runner(options);
  let code = 0;
  for (const step of steps) {
    code = runner.runWorkflowStep(step);
    if (code !== 0) break;
  }
  return { steps: runner.results, code, summary: runner.summary(), log: runner.results.map((r) => r.stdout).join('') };
}
