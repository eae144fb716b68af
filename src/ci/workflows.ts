/**
 * The GitHub Actions workflows `inc init --ci github` writes: each a template file (a
 * repository's own templates/ may override it) filled with the `uses:` line of the running
 * inc. A new workflow is one more entry in githubWorkflows().
 */
export const CI_PROVIDERS = ['github'] as const;

/** The repository that holds inc's action.yml: what a workflow's `uses:` names. */
export const ACTION_REPOSITORY = 'inc-cli/inc';

/** When the scheduled workflow runs (cron in UTC): Mondays, or every weekday, at 09:00 UTC. */
export const SCHEDULES: Record<string, string> = {
  weekly: '0 9 * * 1',
  daily: '0 9 * * 1-5',
};

export interface WorkflowPlan {
  /** Repository-relative path of the workflow file. */
  path: string;
  /** The template it is rendered from. */
  template: string;
  /** What it is for, as messages and commit messages name it ("the GitHub workflow for inc check"). */
  purpose: string;
  values: Record<string, string>;
}

export interface WorkflowOptions {
  version: string;
  /** A key of SCHEDULES: also the scheduled overdue-actions workflow. */
  schedule?: string;
  /** Also the workflow that publishes the public status site to GitHub Pages. */
  pages?: boolean;
}

export const CHECK_WORKFLOW = '.github/workflows/inc-check.yml';
export const OVERDUE_WORKFLOW = '.github/workflows/inc-overdue-actions.yml';
export const PAGES_WORKFLOW = '.github/workflows/inc-pages.yml';

/** `inc-cli/inc@v0.1.0`: the action at the tag of the running version. */
export function actionReference(version: string): string {
  return `${ACTION_REPOSITORY}@v${version}`;
}

export function githubWorkflows(options: WorkflowOptions): WorkflowPlan[] {
  const values = { version: options.version, action_repository: ACTION_REPOSITORY };
  const plans: WorkflowPlan[] = [{ path: CHECK_WORKFLOW, template: 'github-workflow.yml', purpose: 'inc check', values }];
  if (options.schedule !== undefined) {
    plans.push({
      path: OVERDUE_WORKFLOW,
      template: 'github-overdue-actions.yml',
      purpose: 'overdue action items',
      values: { ...values, schedule: options.schedule, cron: SCHEDULES[options.schedule]! },
    });
  }
  if (options.pages) plans.push({ path: PAGES_WORKFLOW, template: 'github-pages.yml', purpose: 'the status site', values });
  return plans;
}
