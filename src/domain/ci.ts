/** Whether the environment says a CI job is running: CI set (as GitHub Actions, GitLab CI and most others set it), and not to 0 or false. */
export function isCiEnvironment(env: Record<string, string | undefined>): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}
