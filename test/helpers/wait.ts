/** Polling for a state another process reaches, with a bound: a test never hangs on it. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `condition()` holds; after `timeoutMs` it throws an error naming `what`, so a
 * state that never comes fails the test with a reason instead of timing it out.
 */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000, everyMs = 20): Promise<void> {
  // A bound on the number of polls, not a reading of the clock: the test asserts the state,
  // never how long it took, and a busy machine only makes each poll later.
  for (let polls = Math.ceil(timeoutMs / everyMs); !condition(); polls -= 1) {
    if (polls <= 0) throw new Error(`gave up after ${timeoutMs / 1000} s of polling for ${what}`);
    await sleep(everyMs);
  }
}
